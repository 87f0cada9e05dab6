import type { LinkDoc, SyncStore } from '@contact-sync/store';
import type { SalesforceRow } from './plan.ts';

/** What `planPage` plans a chunk against. */
export interface ChunkLinks {
  /** The integration's own links of the chunk's records. */
  links: Map<string, LinkDoc>;
  /** The chunk's Ids that the account's integrations on other Salesforce orgs link (R14, `linked_other_org`). */
  linkedByOtherOrg: Set<string>;
}

export interface ChunkLinksOf {
  integrationId: string;
  /** The account's integrations on other Salesforce orgs; asked only for a chunk with records. */
  otherOrgIntegrations: () => Promise<readonly string[]>;
  /** No link existed when the run started: only the deleted rows' links are read (a record created and deleted during the run must still be unlinked). */
  noLinksAtStart: boolean;
  /** The chunk's own links, when the caller read them already: not read again. */
  links?: Map<string, LinkDoc>;
}

/**
 * A chunk's links, read the same way by the run (`processChunk`) and the preview, so that the preview plans what
 * the run will: the chunk's own links by `_id`, and one `LinkStore.linkedByAnyOf` for the chunk's Ids only (none
 * without integrations on other orgs).
 */
export async function readChunkLinks(store: SyncStore['links'], rows: readonly SalesforceRow[], of: ChunkLinksOf): Promise<ChunkLinks> {
  if (rows.length === 0) return { links: of.links ?? new Map(), linkedByOtherOrg: new Set() };
  const lookup = of.noLinksAtStart ? rows.filter((row) => row.IsDeleted === true) : rows;
  const links = of.links ?? (lookup.length === 0 ? new Map<string, LinkDoc>() : await store.findBySalesforceIds(of.integrationId, lookup.map((row) => row.Id)));
  const linkedByOtherOrg = await store.linkedByAnyOf(await of.otherOrgIntegrations(), rows.map((row) => row.Id));
  return { links, linkedByOtherOrg };
}
