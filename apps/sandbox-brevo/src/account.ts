import express, { type Router } from 'express';
import { sandboxRequest } from './request-context.ts';

export type PlanName = 'BrevoPlus' | 'Free';

export interface AccountProfile {
  accountId: string;
  /** The product's name for the plan (SPEC R1). Brevo itself has no plan called that. */
  plan: PlanName;
  email: string;
  firstName: string;
  lastName: string;
  companyName: string;
}

export const DEFAULT_PROFILES: Record<string, AccountProfile> = {
  acc_demo: { accountId: 'acc_demo', plan: 'BrevoPlus', email: 'marketing@acme.test', firstName: 'Alex', lastName: 'Martin', companyName: 'Acme Demo' },
  acc_free: { accountId: 'acc_free', plan: 'Free', email: 'owner@free.test', firstName: 'Sam', lastName: 'Free', companyName: 'Free Tier Ltd' },
};

export function profileFor(accountId: string, profiles: Record<string, AccountProfile>): AccountProfile {
  return profiles[accountId] ?? { accountId, plan: 'Free', email: `${accountId}@sandbox.test`, firstName: 'Sandbox', lastName: 'User', companyName: accountId };
}

/**
 * GET /v3/account in the SDK's GetAccountResponse shape. Brevo reports
 * `plan[].type` as payAsYouGo | free | subscription | sms, and the commercial
 * plan name in `planVerticals[].name`; a paid plan is reported as
 * `subscription`, and the sandbox writes the product's plan name (BrevoPlus)
 * into planVerticals so the product can read it from the real place.
 */
export function accountJson(profile: AccountProfile, nowMs: number): Record<string, unknown> {
  const paid = profile.plan !== 'Free';
  const start = new Date(Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth(), 1));
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  return {
    organization_id: `org_${profile.accountId}`,
    user_id: 1,
    enterprise: false,
    email: profile.email,
    firstName: profile.firstName,
    lastName: profile.lastName,
    companyName: profile.companyName,
    address: { street: '1 Sandbox Street', city: 'Paris', zipCode: '75001', country: 'France' },
    plan: [
      paid
        ? // The SDK calls these "Unix timestamp format"; Brevo's reference example shows ISO date-times, which the sandbox follows.
          { type: 'subscription', credits: 20000, creditsType: 'sendLimit', startDate: start.toISOString(), endDate: end.toISOString() }
        : { type: 'free', credits: 300, creditsType: 'sendLimit' },
    ],
    planVerticals: [
      {
        planCategory: 'Marketing',
        planType: paid ? 'subscription' : 'free',
        name: profile.plan,
        status: 'active',
        startDate: String(Math.floor(start.getTime() / 1000)),
        endDate: String(Math.floor(end.getTime() / 1000)),
      },
    ],
    relay: { enabled: true, data: { userName: profile.email, relay: 'smtp-relay.brevo.com', port: 587 } },
    marketingAutomation: { enabled: false },
  };
}

export function accountRouter(profiles: Record<string, AccountProfile>, now: () => number): Router {
  const router = express.Router();
  router.get('/account', (req, res) => {
    const { account } = sandboxRequest(req);
    res.json(accountJson(profileFor(account.accountId, profiles), now()));
  });
  return router;
}
