import express, { type Router } from 'express';
import { ctx } from './context.ts';

/**
 * `GET limits`: the org's limits with Max/Remaining. Only DailyApiRequests
 * moves (every REST call counts, this one too, as on Salesforce); the others
 * are a fresh Developer Edition's figures so code reading them finds them.
 */
const STATIC_LIMITS: Record<string, { Max: number; Remaining: number }> = {
  ActiveScratchOrgs: { Max: 3, Remaining: 3 },
  AnalyticsExternalDataSizeMB: { Max: 40960, Remaining: 40960 },
  ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
  ConcurrentSyncReportRuns: { Max: 20, Remaining: 20 },
  DailyAnalyticsDataflowJobExecutions: { Max: 60, Remaining: 60 },
  DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
  DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
  DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
  DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
  DailyDurableGenericStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyDurableStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyGenericStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyStandardVolumePlatformEvents: { Max: 10000, Remaining: 10000 },
  DailyStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyWorkflowEmails: { Max: 390, Remaining: 390 },
  DataStorageMB: { Max: 5, Remaining: 5 },
  DurableStreamingApiConcurrentClients: { Max: 20, Remaining: 20 },
  FileStorageMB: { Max: 20, Remaining: 20 },
  HourlyAsyncReportRuns: { Max: 1200, Remaining: 1200 },
  HourlyDashboardRefreshes: { Max: 200, Remaining: 200 },
  HourlyDashboardResults: { Max: 5000, Remaining: 5000 },
  HourlyDashboardStatuses: { Max: 999999999, Remaining: 999999999 },
  HourlyODataCallout: { Max: 10000, Remaining: 10000 },
  HourlyPublishedPlatformEvents: { Max: 50000, Remaining: 50000 },
  HourlySyncReportRuns: { Max: 500, Remaining: 500 },
  HourlyTimeBasedWorkflow: { Max: 50, Remaining: 50 },
  MassEmail: { Max: 10, Remaining: 10 },
  MonthlyPlatformEventsUsageEntitlement: { Max: 0, Remaining: 0 },
  Package2VersionCreates: { Max: 6, Remaining: 6 },
  PermissionSets: { Max: 1500, Remaining: 1500 },
  SingleEmail: { Max: 15, Remaining: 15 },
  StreamingApiConcurrentClients: { Max: 20, Remaining: 20 },
};

export function limitsRouter(): Router {
  const router = express.Router();
  router.get('/limits', (_req, res) => {
    const { org } = ctx(res);
    res.json({
      ...STATIC_LIMITS,
      DailyApiRequests: { Max: org.apiLimit, Remaining: Math.max(0, org.apiLimit - org.apiUsage) },
    });
  });
  return router;
}
