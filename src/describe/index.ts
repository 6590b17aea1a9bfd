/**
 * The describe stage, the only one that calls AWS: reads what the plan needs and nothing more,
 * each thing once, and each as soon as what it depends on is in. The listings (stacks, declared
 * images, the declared studios' streaming images) run in parallel; tags are read alongside them
 * (in bulk when the config is large enough for that to pay whatever the account holds, else once
 * the listings tell which way is cheaper); fleet associations follow the stacks and their tags,
 * image permissions the images and theirs. A failure to read one resource is recorded for it; a
 * failure to list the account's stacks ends the plan.
 */
import type { AwsClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { UserError } from '../cli/errors.js';
import type { Config } from '../config/types.js';
import { reportedAmong } from '../plan/build.js';
import { ownerOf, ownRecord } from '../plan/ownership.js';
import { describeImagesByName, listAssociatedFleets, listImagePermissions, listStacks } from './appstream.js';
import { listStreamingImages } from './nimble.js';
import { mapPool } from './paging.js';
import { chooseTagReader, isAccessDenied, readTags, readTagsInBulk, type Tags } from './tags.js';
import { imageAddress, stackAddress, streamingImageAddress, type DescribeError, type LiveImage, type LiveStack, type LiveState } from './types.js';

export type { LiveState, LiveStack, LiveImage, DescribeError, TagSource } from './types.js';

export interface DescribeOptions {
  prune: boolean;
  /** Told once about anything the user should know that is not an error (e.g. a slower fallback). */
  onNotice?: (message: string) => void;
}

/** A resource whose tags the plan needs, under its plan address. */
interface Tagged {
  address: string;
  arn: string;
  target: LiveStack | LiveImage;
}

/**
 * From this many declared stacks and images, tags are read in bulk while the stacks are still being
 * listed: reading them one by one would be cheaper only in an account with about a hundred times as
 * many stacks, and then the early pages stop before they number as many as those reads.
 */
export const EARLY_BULK_AT = 10;

export async function describeLive(config: Config, clients: AwsClients, options: DescribeOptions): Promise<LiveState> {
  const live: LiveState = { stacks: {}, images: {}, streamingImages: {}, errors: [] };
  const fail = (address: string, operation: string, error: unknown) => live.errors.push(describeError(address, operation, error));
  const { prune } = options;

  let stacksListedSoFar = 0;
  const stacksListed = listStacks(clients.appstream, (listed) => (stacksListedSoFar = listed)).then(
    (stacks) => {
      for (const stack of stacks) live.stacks[stack.Name!] = { stack };
    },
    (error: unknown) => {
      throw new UserError(`cannot list the account's stacks (DescribeStacks): ${awsErrorMessage(error)}`);
    },
  );
  const imagesListed = describeImagesByName(
    clients.appstream,
    (config.images ?? []).map((image) => image.Name),
    (name, error) => fail(imageAddress(name), 'DescribeImages', error),
  ).then((images) => {
    for (const image of images) live.images[image.Name!] = { image };
  });
  const streamingImages = config.streamingImages ?? [];
  const studios = [...new Set(streamingImages.map((image) => image.StudioId))];
  // Studios are known only from the config: a studio none of whose images is declared is not listed (nor pruned).
  const studiosListed = mapPool(studios, async (studioId) => {
    try {
      live.streamingImages[studioId] = await listStreamingImages(clients.nimble, studioId);
    } catch (error) {
      for (const image of streamingImages.filter((i) => i.StudioId === studioId)) fail(streamingImageAddress(studioId, image.Name), `ListStreamingImages (${studioId})`, error);
    }
  });

  const readTagsOf = tagReader(config, clients, live, options, {
    stacksListedSoFar: () => stacksListedSoFar,
    listed: Promise.all([stacksListed, imagesListed]).then(
      () => true,
      () => false,
    ),
  });
  // Each kind's details follow as soon as its own listing and tags are in.
  const [stacks, images] = await Promise.all([
    stacksListed.then(() => readTagsOf(stacksNeedingTags(config, live, prune))).then(async (tagged) => {
      await readFleets(config, clients, live, prune);
      return tagged;
    }),
    imagesListed.then(() => readTagsOf(imagesNeedingTags(live))).then(async (tagged) => {
      await readPermissions(config, clients, live);
      return tagged;
    }),
    studiosListed,
  ]);
  // Bulk tags are eventually consistent: whatever they would make the plan report is read again, alone.
  const bulkTagged = [...stacks, ...images].filter((r) => r.target.tagSource === 'bulk');
  const confirm = bulkTagged.length ? bulkTaggedWorthReporting(config, live, prune, bulkTagged) : [];
  if (confirm.length) {
    await readEach(clients, confirm, live);
    await Promise.all([readFleets(config, clients, live, prune), readPermissions(config, clients, live)]);
  }
  return live;
}

/**
 * Reads the tags of the resources it is given, from one bulk read shared by all, or one call each.
 * Whether to read in bulk is settled once the listings are `listed` (false when they failed); a large
 * config starts the bulk read before, while the stacks listed so far leave it likely to pay.
 */
function tagReader(
  config: Config,
  clients: AwsClients,
  live: LiveState,
  { prune, onNotice }: DescribeOptions,
  listing: { stacksListedSoFar: () => number; listed: Promise<boolean> },
): (resources: Tagged[]) => Promise<Tagged[]> {
  let listingDone = false;
  void listing.listed.then(() => (listingDone = true));
  const declared = { stacks: config.stacks?.length ?? 0, images: config.images?.length ?? 0 };
  // Early pages stop once the stacks listed so far, or the pages read, show reading one by one may be fewer calls.
  const bulkStillLikely = (pagesRead: number) => {
    const accountStacks = listing.stacksListedSoFar();
    const stacks = prune ? Math.max(accountStacks, declared.stacks) : declared.stacks;
    return (
      declared.stacks + declared.images >= EARLY_BULK_AT &&
      pagesRead + 1 < stacks + declared.images &&
      chooseTagReader({ accountStacks, stacks, images: declared.images }) === 'bulk'
    );
  };
  const proceed = async (pagesRead: number) => {
    if (!listingDone && bulkStillLikely(pagesRead)) return true;
    if (!(await listing.listed)) return false;
    const needs = { stacks: stacksNeedingTags(config, live, prune).length, images: imagesNeedingTags(live).length };
    return chooseTagReader({ accountStacks: listing.stacksListedSoFar(), ...needs, pagesRead }) === 'bulk';
  };
  const resourceTypes = () => {
    const stacks = listingDone ? stacksNeedingTags(config, live, prune).length > 0 : prune || declared.stacks > 0;
    const images = listingDone ? imagesNeedingTags(live).length > 0 : declared.images > 0;
    return [...(stacks ? ['appstream:stack'] : []), ...(images ? ['appstream:image'] : [])];
  };
  const bulk = readTagsInBulk(clients.tagging, resourceTypes, proceed).catch((error: unknown) => {
    if (!isAccessDenied(error)) throw new UserError(`cannot read tags in bulk (GetResources): ${awsErrorMessage(error)}`);
    onNotice?.(`GetResources is not allowed (${awsErrorMessage(error)}); reading tags with one ListTagsForResource per resource instead`);
    return undefined;
  });
  return async (resources) => {
    const byArn = await bulk;
    if (!byArn) {
      await readEach(clients, resources, live);
      return resources;
    }
    for (const { arn, target } of resources) {
      target.tags = byArn.get(arn) ?? {};
      target.tagSource = 'bulk';
    }
    return resources;
  };
}

/** One resource's read failed: one line, saying which call and what AWS answered. */
function describeError(address: string, operation: string, error: unknown): DescribeError {
  return { address, message: `${operation} failed: ${awsErrorMessage(error)}` };
}

/** Declared stacks, and with prune every other stack (it may be ours to delete). */
function stacksNeedingTags(config: Config, live: LiveState, prune: boolean): Tagged[] {
  const declared = new Set((config.stacks ?? []).map((stack) => stack.Name));
  return Object.entries(live.stacks)
    .filter(([name]) => prune || declared.has(name))
    .map(([name, target]): Tagged => ({ address: stackAddress(name), arn: target.stack.Arn!, target }));
}

/** Declared images that exist; those that are not the account's own cannot carry its tags. */
function imagesNeedingTags(live: LiveState): Tagged[] {
  return Object.entries(live.images)
    .filter(([, { image }]) => (image.Visibility ?? 'PRIVATE') === 'PRIVATE')
    .map(([name, target]): Tagged => ({ address: imageAddress(name), arn: target.image.Arn!, target }));
}

async function readEach(clients: AwsClients, resources: Tagged[], live: LiveState): Promise<void> {
  await mapPool(resources, async ({ address, arn, target }) => {
    try {
      target.tags = await readTags(clients.appstream, arn);
      target.tagSource = 'resource';
    } catch (error) {
      live.errors.push(describeError(address, 'ListTagsForResource', error));
    }
  });
}

/** Whether the plan may act on a resource with these tags: read, owned by nobody or by this project. */
const mine = (config: Config, tags: Tags | undefined) => tags !== undefined && [undefined, config.project].includes(ownerOf(tags));

/**
 * Fleet associations not read yet of declared stacks that declare Fleets (or had them recorded) and
 * of stacks to be pruned. Stacks another project owns are left alone, unread.
 */
async function readFleets(config: Config, clients: AwsClients, live: LiveState, prune: boolean): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const declaredStacks = new Map((config.stacks ?? []).map((stack) => [stack.Name, stack]));
  const needed = Object.entries(live.stacks).filter(([name, { tags, fleets }]) => {
    if (fleets !== undefined || failed.has(stackAddress(name)) || !mine(config, tags)) return false;
    const declared = declaredStacks.get(name);
    if (!declared) return prune && ownerOf(tags) === config.project;
    return declared.Fleets !== undefined || Boolean(ownRecord(config.project, tags)?.f?.length);
  });
  await mapPool(needed, async ([name, stack]) => {
    try {
      stack.fleets = await listAssociatedFleets(clients.appstream, name);
    } catch (error) {
      live.errors.push(describeError(stackAddress(name), 'ListAssociatedFleets', error));
    }
  });
}

/** Permissions not read yet of images that declare SharedWith (or had it recorded); other projects' images are left unread. */
async function readPermissions(config: Config, clients: AwsClients, live: LiveState): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const needed = (config.images ?? []).filter(({ Name, SharedWith }) => {
    const image = live.images[Name];
    if (!image || image.sharedWith !== undefined || failed.has(imageAddress(Name)) || !mine(config, image.tags)) return false;
    return SharedWith !== undefined || Boolean(ownRecord(config.project, image.tags)?.s?.length);
  });
  await mapPool(needed, async ({ Name }) => {
    try {
      live.images[Name].sharedWith = await listImagePermissions(clients.appstream, Name);
    } catch (error) {
      live.errors.push(describeError(imageAddress(Name), 'DescribeImagePermissions', error));
    }
  });
}

/** Bulk-tagged resources the plan would show as changed, adopted or in error. */
function bulkTaggedWorthReporting(config: Config, live: LiveState, prune: boolean, bulkTagged: Tagged[]): Tagged[] {
  const failed = new Set(live.errors.map((e) => e.address));
  const reported = reportedAmong(config, live, prune, new Set(bulkTagged.map((r) => r.address)));
  return bulkTagged.filter((r) => reported.has(r.address) && !failed.has(r.address));
}
