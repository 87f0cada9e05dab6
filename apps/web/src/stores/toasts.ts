import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ToastKind } from '@contact-sync/contract';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  shownAt: number;
}

const TOAST_LIFETIME_MS = 6000;
/** A navigation this soon after a toast is the one the toast announces ("saved and activated" → the list). */
const FOLLOWING_NAVIGATION_MS = 1500;

/**
 * Notifications, one at a time: a new one replaces the one showing, and a
 * navigation dismisses one shown earlier (it belonged to the last screen). In
 * iframe mode the host shows them in its own style (`forwardTo`); in module
 * mode they appear in the app's live region.
 */
export const useToastsStore = defineStore('toasts', () => {
  const current = ref<Toast | null>(null);
  let nextId = 1;
  let forward: ((kind: ToastKind, message: string) => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function forwardTo(target: ((kind: ToastKind, message: string) => void) | null): void {
    forward = target;
  }

  function clear(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    current.value = null;
  }

  function dismiss(id: number): void {
    if (current.value?.id === id) clear();
  }

  function notify(kind: ToastKind, message: string): void {
    if (forward) {
      forward(kind, message);
      return;
    }
    clear();
    const toast = { id: nextId++, kind, message, shownAt: Date.now() };
    current.value = toast;
    timer = setTimeout(() => dismiss(toast.id), TOAST_LIFETIME_MS);
  }

  /** After a navigation: the toast of an earlier screen goes; the one announcing this navigation stays. */
  function dismissStale(now = Date.now()): void {
    if (current.value && now - current.value.shownAt > FOLLOWING_NAVIGATION_MS) clear();
  }

  return { current, notify, dismiss, dismissStale, clear, forwardTo };
});
