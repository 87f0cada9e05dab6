import { CODE_INFO, RuleCode, createIssue, type RuleCode as Code } from '@contact-sync/rules';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { Component } from 'vue';
import type { RecordError, Run } from '../api/types.ts';
import CreateIntegrationPage from '../pages/create-integration-page.vue';
import IntegrationDetailPage from '../pages/detail/integration-detail-page.vue';
import IntegrationsPage from '../pages/integrations/integrations-page.vue';
import WizardPage from '../pages/wizard/wizard-page.vue';
import { createFakeApi, type FakeApi } from '../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeMappingInputs, makePreview, makeRecordError, makeRecordErrorPage, makeRun } from '../test-utils/fixtures.ts';
import { render } from '../test-utils/render.ts';
import { findEnglish, findEnglishWords } from './leftovers.ts';

/**
 * Every screen in Italian, filled as a marketer meets it (runs of every trigger and outcome,
 * record errors of every kind, quota warnings, unavailable fields), with no English fallback:
 * a key Italian lacks and any English sentence on screen fail.
 */
async function italianScreen(component: Component, api: FakeApi, route: string, props: Record<string, unknown> = {}, plan = 'BrevoPlus') {
  const missing: string[] = [];
  const { wrapper } = await render(component, { api, locale: 'it', plan, route, props, onMissingKey: (locale, key) => void missing.push(`${locale}: ${key}`) });
  await flushPromises();
  return { wrapper, missing };
}

function expectItalian(screen: { wrapper: { text(): string; html(): string }; missing: string[] }) {
  expect(screen.missing).toEqual([]);
  // What a person reads: the text, and the labels only assistive technology reads out.
  const labels = [...screen.wrapper.html().matchAll(/(?:aria-label|title|placeholder)="([^"]*)"/g)].map((match) => match[1]).join(' ');
  const shown = `${screen.wrapper.text()} ${labels}`;
  expect(findEnglish(shown)).toEqual([]);
  expect(findEnglishWords(shown)).toEqual([]);
}

const triggers: Run['trigger'][] = ['schedule', 'sync_now', 'brevo_change', 'activation', 'retry'];
const statuses: Run['status'][] = ['succeeded', 'failed', 'stopped', 'running'];

function everyRecordError(): RecordError[] {
  // One record error per rule code the engine stores, both directions, errors and warnings.
  const codes = Object.keys(CODE_INFO) as Code[];
  return codes.map((code, index) => {
    const issue = createIssue(code, 'Email', { attribute: 'EMAIL', fieldType: 'string', attributeType: 'date', min: 6, max: 16, digits: 3, value: 'x', length: 50, limit: 100_000, used: 80_000, reason: 'LOCKED', salesforceField: 'Email', otherAttribute: 'EMAIL' });
    return makeRecordError({
      id: `e${index}`,
      salesforceId: `0030000000000${String(index).padStart(2, '0')}AAA`,
      direction: index % 2 ? 'brevo_to_salesforce' : 'salesforce_to_brevo',
      severity: code === RuleCode.NoEmailOrSms || code === RuleCode.PhoneEmptiedKept ? 'warning' : 'error',
      code,
      rule: issue.rule,
      messageKey: issue.messageKey,
      params: { ...issue.params },
      fixHintKey: `rules.fix.${code}`,
      retryable: code === RuleCode.Duplicate,
      brevoId: index % 3 ? null : 40 + index,
      contact: index % 4 ? { name: `Contatto ${index}`, email: `c${index}@example.com` } : null,
    });
  });
}

describe('the Italian UI', () => {
  it('integrations page: integrations syncing, at 80 % of quota, drafts', async () => {
    const api = createFakeApi();
    api.listIntegrations.mockResolvedValue([
      makeIntegration({ id: 'a'.repeat(24), status: 'active', nextStep: null, list: { id: 2, name: 'Newsletter' }, lastSyncAt: null, sync: { running: true, processed: 40, total: 160, startedAt: new Date(Date.now() - 60_000).toISOString() }, quota: { used: 85_000, limit: 100_000, month: '2026-11' } }),
      makeIntegration({ id: 'b'.repeat(24), kind: 'salesforce-leads', name: 'Lead', nextStep: 'mapping' }),
      makeIntegration({ id: 'c'.repeat(24), status: 'disabled_quota', nextStep: null, lastSyncAt: '2026-11-27T10:00:00.000Z', quota: { used: 100_000, limit: 100_000, month: '2026-11' } }),
    ]);
    expectItalian(await italianScreen(IntegrationsPage, api, '/'));
  });

  it('integrations page on the free plan', async () => {
    expectItalian(await italianScreen(IntegrationsPage, createFakeApi(), '/', {}, 'Free'));
  });

  it('create page', async () => {
    expectItalian(await italianScreen(CreateIntegrationPage, createFakeApi(), '/new/salesforce-contacts', { kind: 'salesforce-contacts' }));
  });

  it.each(['connect', 'consent', 'mapping', 'list', 'preview'] as const)('wizard step %s', async (step) => {
    const api = createFakeApi();
    api.getIntegration.mockResolvedValue(
      makeIntegration({ nextStep: 'preview', salesforce: CONNECTED, consent: { by: 'u1', at: '2026-11-27T10:02:00.000Z' }, list: { id: 2, name: 'Newsletter' } }),
    );
    api.getMappingOptions.mockResolvedValue(makeMappingInputs());
    api.getPreview.mockResolvedValue(
      makePreview({
        noEmailOrSms: 2,
        toDelete: 1,
        rejected: Object.values(RuleCode).slice(0, 12).map((code) => ({ code, messageKey: CODE_INFO[code].messageKey, params: { field: 'Phone', fieldType: 'picklist', attributeType: 'category', min: 6, max: 16, digits: 3 }, count: 2 })),
      }),
    );
    expectItalian(await italianScreen(WizardPage, api, `/${INTEGRATION_ID}/setup/${step}`, { id: INTEGRATION_ID, step }));
  });

  it('detail page: runs of every trigger and outcome, every kind of record error, quota warning, mapping editor', async () => {
    const api = createFakeApi();
    api.getIntegration.mockResolvedValue(
      makeIntegration({ status: 'error', statusReason: { code: 'record_errors', at: '2026-11-27T10:05:04.000Z' }, nextStep: null, salesforce: CONNECTED, mapping: { EMAIL: 'Email' }, list: { id: 2, name: 'Newsletter' }, lastSyncAt: '2026-11-27T10:05:04.000Z', quota: { used: 90_000, limit: 100_000, month: '2026-11' } }),
    );
    api.listRuns.mockResolvedValue(
      triggers.flatMap((trigger, i) =>
        statuses.map((status, j) =>
          makeRun({
            id: `r${i}${j}`,
            trigger,
            status,
            direction: j % 2 ? 'brevo_to_salesforce' : 'salesforce_to_brevo',
            finishedAt: status === 'running' ? null : '2026-11-27T10:05:04.000Z',
            progress: { done: 10, total: 40 },
            counts: { read: 20, created: 1, updated: 1, deleted: 1, skipped: 1, noEmailOrSms: 1, rejected: 1, failed: 1, leftList: 1, notMatching: 1 },
          }),
        ),
      ).concat([makeRun({ id: 'idle', trigger: 'schedule', counts: { read: 0, created: 0, updated: 0, deleted: 0, skipped: 0, noEmailOrSms: 0, rejected: 0, failed: 0, leftList: 0, notMatching: 0 } })]),
    );
    api.listRecordErrors.mockResolvedValue(makeRecordErrorPage(everyRecordError(), { truncated: true, total: 999 }));
    api.getMappingOptions.mockResolvedValue(makeMappingInputs({ EMAIL: 'Email' }));
    const screen = await italianScreen(IntegrationDetailPage, api, `/${INTEGRATION_ID}`, { id: INTEGRATION_ID });
    expectItalian(screen);
    await screen.wrapper.findAll('button').find((button) => button.text() === "Modifica l'abbinamento")!.trigger('click');
    await flushPromises();
    expectItalian(screen);
  });
});
