import { createTestingPinia } from '@pinia/testing';
import { describe, expect, it, vi } from 'vitest';
import { useContextStore } from './context.ts';

describe('context store', () => {
  it('derives R1 from the plan', () => {
    createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const context = useContextStore();
    const base = { contractVersion: '1.0.0', accountId: 'acc_free', user: { id: 'u', email: 'e@x.test', locale: 'en' }, basePath: '/' };
    context.setContext({ ...base, plan: 'Free' });
    expect(context.canCreate).toBe(false);
    expect(context.planIssue?.code).toBe('plan_required');
    context.setContext({ ...base, plan: 'BrevoPlus' });
    expect(context.canCreate).toBe(true);
  });

  it('refuses to run without an API client', () => {
    createTestingPinia({ createSpy: vi.fn, stubActions: false });
    expect(() => useContextStore().requireApi()).toThrow(/not configured/);
  });
});
