import { AttributeStore } from './attributes/store.ts';
import { ContactStore } from './contacts/store.ts';
import { ListStore } from './lists/store.ts';
import { ProcessStore } from './imports/processes.ts';
import { WebhookRegistry } from './webhooks/registry.ts';

/** Everything one Brevo account owns. Each API key maps to one account. */
export class AccountState {
  readonly attributes = new AttributeStore();
  readonly contacts: ContactStore;
  readonly lists: ListStore;
  readonly processes = new ProcessStore();
  readonly webhooks: WebhookRegistry;

  constructor(
    readonly accountId: string,
    now: () => number,
  ) {
    this.contacts = new ContactStore(now);
    this.lists = new ListStore(now);
    this.webhooks = new WebhookRegistry(now);
    this.lists.seed();
  }
}
