import { onUnmounted } from 'vue';
import { useContextStore } from '../stores/context.ts';
import { openSalesforcePopup, type PopupOutcome, type SalesforcePopup } from '../utils/salesforce-popup.ts';

/**
 * Connect or reconnect Salesforce from a component: one popup at a time,
 * cancelled when the component goes away. Call `start` inside the click.
 */
export function useSalesforcePopup(onOutcome: (outcome: PopupOutcome) => void | Promise<void>) {
  const context = useContextStore();
  let popup: SalesforcePopup | null = null;

  function start(integrationId: string): void {
    popup?.cancel();
    const current = openSalesforcePopup({
      integrationId,
      bffOrigin: context.bffOrigin,
      getAuthorizeUrl: async () => (await context.requireApi().startSalesforceConnect(integrationId)).authorizeUrl,
      complete: (authorization) => context.requireApi().completeSalesforceConnect(integrationId, authorization),
    });
    popup = current;
    void current.outcome.then((outcome) => {
      if (popup !== current) return;
      popup = null;
      return onOutcome(outcome);
    });
  }

  onUnmounted(() => {
    popup?.cancel();
    popup = null;
  });

  return { start };
}
