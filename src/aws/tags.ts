/**
 * Reading AppStream tags at the lowest cost. Resource Groups Tagging API GetResources reads the
 * tags of every tagged resource of the asked types in pages of 100; ListTagsForResource reads one.
 * Which is cheaper depends on counts known before reading: the resources listed from the account
 * (all of which may be tagged) against the resources whose tags the plan needs.
 */
import type { AppStreamClient } from '@aws-sdk/client-appstream';
import type { ResourceGroupsTaggingAPIClient, ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import { OWNER_TAG } from '../core/ownership.js';
import { allPages, pageTokens } from './paging.js';
import { appstreamSdk, taggingSdk } from './sdk.js';

const { ListTagsForResourceCommand } = appstreamSdk();
const { GetResourcesCommand } = taggingSdk();

export type Tags = Record<string, string>;
export type TagReader = 'bulk' | 'per-resource';

const RESOURCES_PER_PAGE = 100;

export interface TagNeeds {
  /** Resources listed from the whole account (stacks, fleets, …): an upper bound of those GetResources returns. */
  accountResources: number;
  /** Resources of those account-wide kinds whose tags the plan needs. */
  account: number;
  /** Resources read by name (images) whose tags the plan needs; the account's others are unknown. */
  named: number;
  /** GetResources pages already read by a bulk read started before these counts were known. */
  pagesRead?: number;
}

/**
 * Bulk when its pages still to read (estimated from what is known: all account-wide resources, plus
 * the needed named ones; at least one while the read is not finished) are fewer than the
 * per-resource calls. One declared stack among 500: 1 call against 5 pages.
 */
export function chooseTagReader(needs: TagNeeds): TagReader {
  const listed = (needs.account ? needs.accountResources : 0) + needs.named;
  const pages = Math.max(1, Math.ceil(listed / RESOURCES_PER_PAGE) - (needs.pagesRead ?? 0));
  return pages < needs.account + needs.named ? 'bulk' : 'per-resource';
}

/** What one bulk read found: tags by ARN (untagged resources are absent) and the types it asked. */
export interface BulkTags {
  byArn: Map<string, Tags>;
  types: ReadonlySet<string>;
}

/**
 * Tags of every tagged resource of these types, or undefined when `proceed`, asked before each page
 * with the number of pages read, says to stop.
 */
export async function readTagsInBulk(
  client: ResourceGroupsTaggingAPIClient,
  resourceTypes: () => string[],
  proceed: (pagesRead: number) => Promise<boolean>,
): Promise<BulkTags | undefined> {
  const byArn = new Map<string, Tags>();
  let types: string[] | undefined;
  let token: string | undefined;
  const tokens = pageTokens('GetResources', 'PaginationToken');
  for (let pagesRead = 0; pagesRead === 0 || token; pagesRead++) {
    if (!(await proceed(pagesRead))) return undefined;
    types ??= resourceTypes();
    if (types.length === 0) break;
    const page = await client.send(new GetResourcesCommand({ ResourceTypeFilters: types, ResourcesPerPage: RESOURCES_PER_PAGE, PaginationToken: token }));
    addTags(byArn, page.ResourceTagMappingList);
    token = tokens.next(page.PaginationToken);
  }
  return { byArn, types: new Set(types) };
}

/** Tags of every resource of these types that carries this project's owner tag, by ARN: one call a hundred. */
export async function readOwnedTags(client: ResourceGroupsTaggingAPIClient, resourceTypes: string[], project: string): Promise<Map<string, Tags>> {
  const mappings = await allPages(
    async (token) => {
      const page = await client.send(
        new GetResourcesCommand({ ResourceTypeFilters: resourceTypes, TagFilters: [{ Key: OWNER_TAG, Values: [project] }], ResourcesPerPage: RESOURCES_PER_PAGE, PaginationToken: token }),
      );
      return { items: page.ResourceTagMappingList, next: page.PaginationToken };
    },
    { who: 'GetResources', what: 'PaginationToken' },
  );
  const byArn = new Map<string, Tags>();
  addTags(byArn, mappings);
  return byArn;
}

function addTags(byArn: Map<string, Tags>, mappings: ResourceTagMapping[] | undefined): void {
  for (const m of mappings ?? []) byArn.set(m.ResourceARN ?? '', Object.fromEntries((m.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])));
}

export async function readTags(client: AppStreamClient, arn: string): Promise<Tags> {
  return (await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? {};
}

/** The caller may not use the tagging API: read per resource instead. */
export function isAccessDenied(error: unknown): boolean {
  return /AccessDenied|UnauthorizedOperation/.test((error as Error)?.name ?? '');
}
