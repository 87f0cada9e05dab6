import { createTestingPinia } from '@pinia/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useToastsStore } from './toasts.ts';

afterEach(() => vi.useRealTimers());

describe('toasts store', () => {
  it('shows toasts itself or forwards them to the host', () => {
    createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const toasts = useToastsStore();
    toasts.notify('success', 'Saved');
    expect(toasts.current?.message).toBe('Saved');
    toasts.dismiss(toasts.current!.id);
    expect(toasts.current).toBeNull();

    const forward = vi.fn();
    toasts.forwardTo(forward);
    toasts.notify('error', 'Nope');
    expect(forward).toHaveBeenCalledWith('error', 'Nope');
    expect(toasts.current).toBeNull();
  });

  it('shows one at a time: the next replaces it, and a later screen dismisses it', () => {
    vi.useFakeTimers();
    createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const toasts = useToastsStore();
    toasts.notify('success', 'List created.');
    toasts.notify('success', 'Mapping saved.');
    expect(toasts.current?.message).toBe('Mapping saved.');

    // The navigation this toast announces keeps it…
    toasts.dismissStale();
    expect(toasts.current?.message).toBe('Mapping saved.');
    // …a later step does not show it any more.
    vi.advanceTimersByTime(2_000);
    toasts.dismissStale();
    expect(toasts.current).toBeNull();

    toasts.notify('info', 'Saved as a draft.');
    vi.advanceTimersByTime(6_000);
    expect(toasts.current).toBeNull();
  });
});
