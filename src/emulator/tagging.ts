/**
 * Resource Groups Tagging API GetResources over the emulated account: every tagged AppStream stack,
 * fleet and image and every Nimble streaming image. Untagged resources are absent, as in AWS.
 */
import type { Context, Handler, Json } from './context.js';
import { ServiceError } from './errors.js';
import { paginate } from './paging.js';
import type { Store, Tags } from './state.js';

interface TagFilter {
  Key?: string;
  Values?: string[];
}

const invalid = (message: string) => new ServiceError('InvalidParameterException', message);

function taggedResources(store: Store): { arn: string; tags: Tags }[] {
  const appstream = [
    ...store.visibleStacks(),
    ...store.fleets.values(),
    ...[...store.images.values()].filter((i) => i.Visibility !== 'PUBLIC'),
    ...store.imageBuilders.list(),
    ...store.appBlocks.list(),
    ...store.applications.list(),
  ];
  const nimble = [...store.studios.keys()].flatMap((studioId) => store.streamingImages(studioId)).filter((i) => i.state !== 'DELETED');
  return [...appstream.map((r) => ({ arn: r.Arn, tags: r.Tags })), ...nimble.map((i) => ({ arn: i.arn, tags: i.tags }))].filter(
    (r) => Object.keys(r.tags).length > 0,
  );
}

/** `service` or `service:type`, the way they appear in the ARN (`appstream:stack`, `nimble:streaming-image`). */
function matchesType(arn: string, filters: string[]): boolean {
  const [, , service, , , resource] = arn.split(':');
  const type = `${service}:${resource.split('/')[0]}`;
  return filters.some((f) => f === service || f === type);
}

function matchesTags(tags: Tags, filters: TagFilter[]): boolean {
  return filters.every((f) => f.Key! in tags && (!f.Values?.length || f.Values.includes(tags[f.Key!])));
}

function getResources(input: Json, { store, pageSize }: Context): Json {
  const arns = input.ResourceARNList as string[] | undefined;
  const tagFilters = (input.TagFilters ?? []) as TagFilter[];
  const typeFilters = (input.ResourceTypeFilters ?? []) as string[];
  if (arns && ['TagFilters', 'ResourceTypeFilters', 'ResourcesPerPage', 'TagsPerPage', 'PaginationToken'].some((m) => input[m] !== undefined)) {
    throw invalid('ResourceARNList cannot be combined with TagFilters, ResourceTypeFilters or pagination parameters.');
  }
  if (tagFilters.some((f) => f.Key === undefined)) throw invalid('Every TagFilter must have a Key.');

  const resources = taggedResources(store).filter(
    (r) => (!arns || arns.includes(r.arn)) && (!typeFilters.length || matchesType(r.arn, typeFilters)) && matchesTags(r.tags, tagFilters),
  );
  // An empty token is how the first page is asked for.
  const token = input.PaginationToken === '' ? undefined : (input.PaginationToken as string | undefined);
  const pageOf = (size: number) => paginate(resources, (r) => r.arn, token, size, 'InvalidParameterException');
  const full = pageOf(pageSize(100, input.ResourcesPerPage as number | undefined));
  const fitting = resourcesWithinTagBudget(full.items, input.TagsPerPage as number | undefined);
  const page = fitting < full.items.length ? pageOf(fitting) : full;
  return {
    ResourceTagMappingList: page.items.map((r) => ({ ResourceARN: r.arn, Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) })),
    ...(page.next ? { PaginationToken: page.next } : {}),
  };
}

/** How many of `items` fit in TagsPerPage: a resource is never split from its tags, and counts at least one. */
function resourcesWithinTagBudget(items: { tags: Tags }[], budget: number | undefined): number {
  if (budget === undefined) return items.length;
  let used = 0;
  let count = 0;
  for (const item of items) {
    used += Math.max(1, Object.keys(item.tags).length);
    if (used > budget && count > 0) break;
    count++;
  }
  return count;
}

export const taggingHandlers: Record<string, Handler> = { GetResources: getResources };
