import { makeId, orgSequenceStart } from '../org/ids.ts';
import { Org, type SandboxUser } from '../org/org.ts';

/**
 * The two orgs and users of SPEC §7. Fixed ids so a connection made before a
 * sandbox restart still names the same org and user (R3 counts by them).
 */
export const DEMO_ORG_ID = makeId('00D', 4_418_205_117);
export const DEMO_USER_ID = makeId('005', 3_902_771_456);
export const NOAPI_ORG_ID = makeId('00D', 4_418_205_903);
export const NOAPI_USER_ID = makeId('005', 3_902_772_018);

export function createOrgs(dailyApiLimit: number): { orgs: Org[]; users: SandboxUser[] } {
  const demo = new Org(DEMO_ORG_ID, 'Acme Demo', true, dailyApiLimit);
  const noapi = new Org(NOAPI_ORG_ID, 'Acme Professional (no API)', false, dailyApiLimit, orgSequenceStart(1));
  const common = { timezone: 'Europe/Rome', locale: 'en_US', language: 'en_US', password: 'demo1234' };
  return {
    orgs: [demo, noapi],
    users: [
      { ...common, id: DEMO_USER_ID, orgId: DEMO_ORG_ID, username: 'demo@acme.test', firstName: 'Dana', lastName: 'Demo', email: 'demo@acme.test' },
      { ...common, id: NOAPI_USER_ID, orgId: NOAPI_ORG_ID, username: 'noapi@acme.test', firstName: 'Nico', lastName: 'Noapi', email: 'noapi@acme.test' },
    ],
  };
}
