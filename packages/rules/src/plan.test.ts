import { describe, expect, it } from 'vitest';
import { httpStatusOf } from './codes.ts';
import { checkPlan } from './plan.ts';

describe('checkPlan (R1)', () => {
  it('lets BrevoPlus create and activate', () => {
    expect(checkPlan('BrevoPlus')).toBeNull();
  });

  it.each(['Free', 'Starter', 'brevoplus', '', null, undefined])('refuses plan %j with plan_required (403)', (plan) => {
    const issue = checkPlan(plan);
    expect(issue).toMatchObject({ code: 'plan_required', rule: 'R1', messageKey: 'rules.plan.required', field: 'plan' });
    expect(httpStatusOf(issue!.code)).toBe(403);
  });
});
