import type { RetryOptions } from '@contact-sync/retry';
import type { BrevoClient } from '@getbrevo/brevo';
import { brevoCall } from './call.ts';
import { classifyBrevoError } from './errors.ts';

export interface BrevoListSummary {
  id: number;
  name: string;
  totalSubscribers: number | null;
  folderId: number | null;
}

/** Brevo pages lists 10 by default, at most 50. */
export const MAX_LISTS_PAGE = 50;

export async function listLists(
  client: BrevoClient,
  page: { offset: number; limit: number },
  retry?: RetryOptions,
): Promise<{ lists: BrevoListSummary[]; count: number }> {
  const response = await brevoCall(
    () => client.contacts.getLists({ offset: page.offset, limit: Math.min(page.limit, MAX_LISTS_PAGE), sort: 'desc' }),
    { idempotent: true, ...(retry ? { retry } : {}) },
  );
  return {
    lists: (response.lists ?? []).map((list) => ({
      id: list.id,
      name: list.name,
      totalSubscribers: list.totalSubscribers ?? null,
      folderId: list.folderId ?? null,
    })),
    count: response.count ?? 0,
  };
}

/** The list, or null when it does not exist in the account. */
export async function findList(client: BrevoClient, listId: number, retry?: RetryOptions): Promise<BrevoListSummary | null> {
  try {
    const list = await brevoCall(() => client.contacts.getList({ listId }), { idempotent: true, ...(retry ? { retry } : {}) });
    return { id: list.id, name: list.name, totalSubscribers: list.totalSubscribers ?? null, folderId: list.folderId ?? null };
  } catch (error) {
    if (classifyBrevoError(error, { idempotent: true }).kind === 'not_found') return null;
    throw error;
  }
}

/** Lists are created in this folder (Brevo requires one), created on first use. */
export const PLUGIN_FOLDER_NAME = 'Salesforce sync';

async function findOrCreateFolder(client: BrevoClient, name: string, retry?: RetryOptions): Promise<number> {
  const options = { idempotent: true, ...(retry ? { retry } : {}) };
  for (let offset = 0; offset < 1000; offset += MAX_LISTS_PAGE) {
    const page = await brevoCall(() => client.contacts.getFolders({ offset, limit: MAX_LISTS_PAGE }), options);
    const found = page.folders?.find((folder) => folder.name === name);
    if (found) return found.id;
    if ((page.folders?.length ?? 0) < MAX_LISTS_PAGE) break;
  }
  const created = await brevoCall(() => client.contacts.createFolder({ name }), { idempotent: false, ...(retry ? { retry } : {}) });
  return created.id!;
}

/** Creates a list in the plugin's folder. Not idempotent: retried only when Brevo cannot have acted. */
export async function createList(client: BrevoClient, name: string, retry?: RetryOptions): Promise<BrevoListSummary> {
  const folderId = await findOrCreateFolder(client, PLUGIN_FOLDER_NAME, retry);
  const created = await brevoCall(() => client.contacts.createList({ name, folderId }), { idempotent: false, ...(retry ? { retry } : {}) });
  return { id: created.id, name, totalSubscribers: 0, folderId };
}
