import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ToastKind } from '@contact-sync/contract';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

const TOAST_LIFETIME_MS = 6000;

/**
 * Notifications. In iframe mode the host shows them in its own style
 * (`forwardTo`); in module mode they appear in the app's live region.
 */
export const useToastsStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;
  let forward: ((kind: ToastKind, message: string) => void) | null = null;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  function forwardTo(target: ((kind: ToastKind, message: string) => void) | null): void {
    forward = target;
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
    clearTimeout(timers.get(id));
    timers.delete(id);
  }

  function notify(kind: ToastKind, message: string): void {
    if (forward) {
      forward(kind, message);
      return;
    }
    const id = nextId++;
    toasts.value.push({ id, kind, message });
    timers.set(id, setTimeout(() => dismiss(id), TOAST_LIFETIME_MS));
  }

  function clear(): void {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    toasts.value = [];
  }

  return { toasts, notify, dismiss, clear, forwardTo };
});
