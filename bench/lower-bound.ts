import {
  DescribeFleetsCommand,
  DescribeImagesCommand,
  DescribeStacksCommand,
  DescribeUsersCommand,
  DescribeUserStackAssociationsCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
} from '@aws-sdk/client-appstream';
import { ListStreamingImagesCommand } from '@aws-sdk/client-nimble';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import type { AwsClients } from '../src/aws/clients.js';
import { allPages, mapPool } from '../src/aws/paging.js';
import type { Config } from '../src/config/types.js';
import { facts, type Facts } from '../src/emulator/shapes.js';
import { OWNER_TAG } from '../src/core/ownership.js';
import { KINDS } from '../src/kinds/index.js';

/** A model integer with no maximum is a 32-bit one: the largest page such a member can ask for. */
const INTEGER_MAX = 2 ** 31 - 1;

/** The largest page a page-size member allows in the service model (INTEGER_MAX where the model sets none). */
export function largestPage(model: Facts, operation: string, member: string): number {
  const input = model.shapes[model.operations[operation].input!];
  return model.shapes[input.members![member].shape].max ?? INTEGER_MAX;
}

const IMAGES_PER_PAGE = largestPage(facts.appstream, 'DescribeImages', 'MaxResults');
const TAGGED_RESOURCES_PER_PAGE = largestPage(facts.tagging, 'GetResources', 'ResourcesPerPage');
/** The kinds whose resources are listed from the whole account: prune deletes those this project owns. */
const ACCOUNT_TYPES = KINDS.flatMap((kind) => (kind.describe.tags?.listing === 'account' ? [kind.describe.tags.resourceType] : []));
const USERS_PER_PAGE = largestPage(facts.appstream, 'DescribeUsers', 'MaxResults');
const ASSIGNMENTS_PER_PAGE = largestPage(facts.appstream, 'DescribeUserStackAssociations', 'MaxResults');

export interface BoundPart {
  what: string;
  calls: number;
}

export interface LowerBound {
  total: number;
  parts: BoundPart[];
}

export interface LowerBounds {
  bulk: LowerBound;
  /** Where GetResources is denied: one refused attempt, then one ListTagsForResource per declared stack, image and fleet. */
  fallback: LowerBound;
}

/** The parts of a bound, for the notes under the table. */
export const boundNote = (bound: LowerBound) => bound.parts.map((part) => `${part.calls} ${part.what}`).join(' + ');

type Page = Promise<{ NextToken?: string }>;

/**
 * The fewest calls any tool needs to plan `config` against this account: every listing read at the
 * largest page the service model allows (pages with no size member are the server's, counted by
 * reading them), plus the calls that no API can batch, each read from whichever side of a relation
 * costs fewer calls.
 */
export async function measureLowerBounds(clients: AwsClients, config: Config): Promise<LowerBounds> {
  const { appstream } = clients;
  const stacks = config.stacks ?? [];
  const images = config.images ?? [];
  const fleets = config.fleets ?? [];
  const users = config.users ?? [];
  const studios = [...new Set((config.streamingImages ?? []).map((image) => image.StudioId))];
  // The tag reads (bulk or per resource) come between the account's listings and the other reads.
  const listings: BoundPart[] = [];
  const reads: BoundPart[] = [];
  const add = (parts: BoundPart[], what: string, calls: number) => calls > 0 && parts.push({ what, calls });

  if (stacks.length) add(listings, 'DescribeStacks pages', await countPages((token) => appstream.send(new DescribeStacksCommand({ NextToken: token }))));
  // The stacks' fleet names are checked against the account's fleets, so naming one lists them all.
  const withFleets = stacks.filter((stack) => stack.Fleets !== undefined);
  if (fleets.length || withFleets.length) add(listings, 'DescribeFleets pages', await countPages((token) => appstream.send(new DescribeFleetsCommand({ NextToken: token }))));

  const tagged = stacks.length + images.length + fleets.length;
  const types = [...(stacks.length ? ['appstream:stack'] : []), ...(images.length ? ['appstream:image'] : []), ...(fleets.length ? ['appstream:fleet'] : [])];
  const tagPages = tagged
    ? await countPages(async (token) => {
        const page = await clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: types, ResourcesPerPage: TAGGED_RESOURCES_PER_PAGE, PaginationToken: token }));
        return { NextToken: page.PaginationToken };
      })
    : 0;

  // Telling what this project owns and no longer declares, of the account-wide kinds the config does not declare
  // (those it declares are told by the tag reads above, at least where the account holds only what is declared).
  const untold = ACCOUNT_TYPES.filter((type) => !types.includes(type));
  const ownerPages = untold.length
    ? await countPages(async (token) => {
        const page = await clients.tagging.send(
          new GetResourcesCommand({ ResourceTypeFilters: untold, TagFilters: [{ Key: OWNER_TAG, Values: [config.project] }], ResourcesPerPage: TAGGED_RESOURCES_PER_PAGE, PaginationToken: token }),
        );
        return { NextToken: page.PaginationToken };
      })
    : 0;

  if (images.length) {
    const names = images.map((image) => image.Name);
    const byName = await countPages((token) => appstream.send(new DescribeImagesCommand({ Names: names, MaxResults: IMAGES_PER_PAGE, NextToken: token })));
    const byListing = await countPages((token) => appstream.send(new DescribeImagesCommand({ Type: 'PRIVATE', MaxResults: IMAGES_PER_PAGE, NextToken: token })));
    add(reads, `DescribeImages pages (${byName <= byListing ? 'by name' : 'private listing'})`, Math.min(byName, byListing));
  }
  add(reads, 'DescribeImagePermissions per image declaring SharedWith', images.filter((image) => image.SharedWith?.length).length);
  if (withFleets.length) reads.push(await associationReads(clients, withFleets.map((stack) => stack.Name)));
  let streamingPages = 0;
  for (const studioId of studios) {
    streamingPages += await countPages(async (token) => {
      const page = await clients.nimble.send(new ListStreamingImagesCommand({ studioId, nextToken: token }));
      return { NextToken: page.nextToken };
    });
  }
  add(reads, `ListStreamingImages pages (${studios.length} studios)`, streamingPages);
  if (users.length) reads.push(...(await userPoolReads(clients, config)));

  const bound = (tagParts: BoundPart[]): LowerBound => {
    const all = [...listings, ...tagParts.filter((part) => part.calls > 0), ...reads];
    return { total: sum(all.map((part) => part.calls)), parts: all };
  };
  const perResource = { what: 'ListTagsForResource per declared stack, image and fleet', calls: tagged };
  return {
    bulk: bound([
      tagPages <= tagged ? { what: `GetResources pages (${types.map((type) => type.split(':')[1]).join(', ')} tags)`, calls: tagPages } : perResource,
      { what: 'GetResources pages of what the project owns, by its owner tag (the account-wide kinds not declared)', calls: ownerPages },
    ]),
    fallback: bound([{ what: 'GetResources attempt (denied)', calls: tagged ? 1 : 0 }, perResource]),
  };
}

/**
 * The fleets of the stacks that declare Fleets. AppStream lists them per stack (ListAssociatedFleets)
 * or per fleet (ListAssociatedStacks); the per-fleet side must cover every fleet of the account, since
 * any of them may have been associated outside the config. Neither call has a page-size member.
 */
async function associationReads(clients: AwsClients, stackNames: string[]): Promise<BoundPart> {
  const { appstream } = clients;
  const perStack = sum(
    await mapPool(stackNames, (StackName) => countPages((token) => appstream.send(new ListAssociatedFleetsCommand({ StackName, NextToken: token })))),
  );
  const fleetNames = await allPages(async (token) => {
    const page = await appstream.send(new DescribeFleetsCommand({ NextToken: token }));
    return { items: page.Fleets?.map((fleet) => fleet.Name!), next: page.NextToken };
  });
  const perFleet = sum(
    await mapPool(fleetNames, (FleetName) => countPages((token) => appstream.send(new ListAssociatedStacksCommand({ FleetName, NextToken: token })))),
  );
  return perFleet < perStack
    ? { what: `ListAssociatedStacks pages, per fleet of the account (${fleetNames.length}; per stack: ${perStack} ListAssociatedFleets pages)`, calls: perFleet }
    : { what: `ListAssociatedFleets pages, per stack declaring Fleets (${stackNames.length}; per fleet: ${perFleet} ListAssociatedStacks pages)`, calls: perStack };
}

/**
 * The whole pool (DescribeUsers has no name filter) and the assignments of every stack the config
 * names, by stack: by user instead it would be one call or more per user of the pool, since a user
 * assigned by hand to a declared stack is to be found too.
 */
async function userPoolReads(clients: AwsClients, config: Config): Promise<BoundPart[]> {
  const { appstream } = clients;
  const named = new Set((config.stacks ?? []).map((stack) => stack.Name));
  for (const user of config.users ?? []) for (const entry of user.Stacks ?? []) named.add(typeof entry === 'string' ? entry : entry.Name);
  const users = await countPages((token) => appstream.send(new DescribeUsersCommand({ AuthenticationType: 'USERPOOL', MaxResults: USERS_PER_PAGE, NextToken: token })));
  const assignments = sum(
    await mapPool([...named], (StackName) =>
      countPages((token) => appstream.send(new DescribeUserStackAssociationsCommand({ StackName, MaxResults: ASSIGNMENTS_PER_PAGE, NextToken: token }))),
    ),
  );
  const size = (n: number) => (n === INTEGER_MAX ? 'MaxResults has no maximum in the model' : `${n} a page`);
  return [
    { what: `DescribeUsers pages (${size(USERS_PER_PAGE)})`, calls: users },
    { what: `DescribeUserStackAssociations pages, per stack the config names (${named.size}; ${size(ASSIGNMENTS_PER_PAGE)})`, calls: assignments },
  ];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

async function countPages(fetchPage: (token: string | undefined) => Page): Promise<number> {
  let pages = 0;
  let token: string | undefined;
  do {
    token = (await fetchPage(token)).NextToken || undefined;
    pages++;
  } while (token);
  return pages;
}
