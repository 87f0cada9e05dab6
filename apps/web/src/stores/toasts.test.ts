import { createTestingPinia } from '@pinia/testing';
import { describe, expect, it, vi } from 'vitest';
import { useToastsStore } from './toasts.ts';

describe('toasts store', () => {
  it('shows toasts itself or forwards them to the host', () => {
    createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const toasts = useToastsStore();
    toasts.notify('success', 'Saved');
    expect(toasts.toasts.map((toast) => toast.message)).toEqual(['Saved']);
    toasts.dismiss(toasts.toasts[0]!.id);
    expect(toasts.toasts).toEqual([]);

    const forward = vi.fn();
    toasts.forwardTo(forward);
    toasts.notify('error', 'Nope');
    expect(forward).toHaveBeenCalledWith('error', 'Nope');
    expect(toasts.toasts).toEqual([]);
  });
});
