/**
 * Reading AppStream tags at the lowest cost. Resource Groups Tagging API GetResources reads the
 * tags of every tagged stack and image in pages of 100; ListTagsForResource reads one resource.
 * Which is cheaper depends on counts known before reading: the stacks in the account (all of which
 * may be tagged) against the stacks and images whose tags the plan needs.
 */
import { ListTagsForResourceCommand, type AppStreamClient } from '@aws-sdk/client-appstream';
import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { allPages } from './paging.js';

export type Tags = Record<string, string>;
export type TagReader = 'bulk' | 'per-resource';

const RESOURCES_PER_PAGE = 100;

export interface TagNeeds {
  /** Stacks in the account (from DescribeStacks): an upper bound of the tagged stacks GetResources returns. */
  accountStacks: number;
  /** Stacks whose tags the plan needs. */
  stacks: number;
  /** Images whose tags the plan needs (the images of the account beyond these are unknown). */
  images: number;
}

/**
 * Bulk when its pages (estimated from what is known: all stacks of the account, plus the needed
 * images) are fewer than the per-resource calls. One declared stack among 500: 1 call against 5 pages.
 */
export function chooseTagReader(needs: TagNeeds): TagReader {
  const listed = (needs.stacks ? needs.accountStacks : 0) + needs.images;
  const pages = Math.max(1, Math.ceil(listed / RESOURCES_PER_PAGE));
  return pages < needs.stacks + needs.images ? 'bulk' : 'per-resource';
}

/** Tags of every tagged resource of these types, by ARN. Untagged resources are absent. */
export async function readTagsInBulk(client: ResourceGroupsTaggingAPIClient, resourceTypes: string[]): Promise<Map<string, Tags>> {
  const mappings = await allPages(async (token) => {
    const page = await client.send(new GetResourcesCommand({ ResourceTypeFilters: resourceTypes, ResourcesPerPage: RESOURCES_PER_PAGE, PaginationToken: token }));
    return { items: page.ResourceTagMappingList, next: page.PaginationToken };
  });
  return new Map(mappings.map((m) => [m.ResourceARN ?? '', Object.fromEntries((m.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))]));
}

export async function readTags(client: AppStreamClient, arn: string): Promise<Tags> {
  return (await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? {};
}

/** The caller may not use the tagging API: read per resource instead. */
export function isAccessDenied(error: unknown): boolean {
  return /AccessDenied|UnauthorizedOperation/.test((error as Error)?.name ?? '');
}
