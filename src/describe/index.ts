/**
 * The describe stage, the only one that calls AWS: reads what the plan needs and nothing more,
 * each thing once. Listings come first (stacks, declared images, the declared studios' streaming
 * images, in parallel), then tags, then what the tags make necessary (fleet associations, image
 * permissions). A failure to read one resource is recorded for it; a failure to list the
 * account's stacks ends the plan.
 */
import type { AwsClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { UserError } from '../cli/errors.js';
import type { Config } from '../config/types.js';
import { buildPlan } from '../plan/build.js';
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

export async function describeLive(config: Config, clients: AwsClients, options: DescribeOptions): Promise<LiveState> {
  const live: LiveState = { stacks: {}, images: {}, streamingImages: {}, errors: [] };
  const fail = (address: string, operation: string, error: unknown) => live.errors.push(describeError(address, operation, error));

  const streamingImages = config.streamingImages ?? [];
  const studios = [...new Set(streamingImages.map((image) => image.StudioId))];
  const [stacks, images] = await Promise.all([
    listStacks(clients.appstream).catch((error: unknown) => {
      throw new UserError(`cannot list the account's stacks (DescribeStacks): ${awsErrorMessage(error)}`);
    }),
    describeImagesByName(
      clients.appstream,
      (config.images ?? []).map((image) => image.Name),
      (name, error) => fail(imageAddress(name), 'DescribeImages', error),
    ),
    // Studios are known only from the config: a studio none of whose images is declared is not listed (nor pruned).
    mapPool(studios, async (studioId) => {
      try {
        live.streamingImages[studioId] = await listStreamingImages(clients.nimble, studioId);
      } catch (error) {
        for (const image of streamingImages.filter((i) => i.StudioId === studioId)) fail(streamingImageAddress(studioId, image.Name), `ListStreamingImages (${studioId})`, error);
      }
    }),
  ]);
  for (const stack of stacks) live.stacks[stack.Name!] = { stack };
  for (const image of images) live.images[image.Name!] = { image };

  const needed = resourcesNeedingTags(config, live, options.prune);
  const reader = chooseTagReader({
    accountStacks: stacks.length,
    stacks: needed.filter((r) => 'stack' in r.target).length,
    images: needed.filter((r) => 'image' in r.target).length,
  });
  const readInBulk = reader === 'bulk' && (await readBulk(clients, needed, options));
  if (!readInBulk) await readEach(clients, needed, live);
  await readDetails(config, clients, live, options.prune);
  if (readInBulk) {
    // Bulk tags are eventually consistent: whatever they would make the plan report is read again, alone.
    await readEach(clients, bulkTaggedWorthReporting(config, live, options.prune, needed), live);
    await readDetails(config, clients, live, options.prune);
  }
  return live;
}

/** One resource's read failed: one line, saying which call and what AWS answered. */
function describeError(address: string, operation: string, error: unknown): DescribeError {
  return { address, message: `${operation} failed: ${awsErrorMessage(error)}` };
}

/** Declared stacks and images that exist, and with prune every other stack (it may be ours to delete). */
function resourcesNeedingTags(config: Config, live: LiveState, prune: boolean): Tagged[] {
  const declared = new Set((config.stacks ?? []).map((stack) => stack.Name));
  const stacks = Object.entries(live.stacks)
    .filter(([name]) => prune || declared.has(name))
    .map(([name, target]): Tagged => ({ address: stackAddress(name), arn: target.stack.Arn!, target }));
  // Images that are not the account's own cannot carry its tags.
  const images = Object.entries(live.images)
    .filter(([, { image }]) => (image.Visibility ?? 'PRIVATE') === 'PRIVATE')
    .map(([name, target]): Tagged => ({ address: imageAddress(name), arn: target.image.Arn!, target }));
  return [...stacks, ...images];
}

/** Reads every needed resource's tags with GetResources; false when the caller may not use it. */
async function readBulk(clients: AwsClients, needed: Tagged[], options: DescribeOptions): Promise<boolean> {
  const types = [...new Set(needed.map((r) => ('stack' in r.target ? 'appstream:stack' : 'appstream:image')))];
  let byArn: Map<string, Tags>;
  try {
    byArn = await readTagsInBulk(clients.tagging, types);
  } catch (error) {
    if (!isAccessDenied(error)) throw new UserError(`cannot read tags in bulk (GetResources): ${awsErrorMessage(error)}`);
    options.onNotice?.(`GetResources is not allowed (${awsErrorMessage(error)}); reading tags with one ListTagsForResource per resource instead`);
    return false;
  }
  for (const { arn, target } of needed) {
    target.tags = byArn.get(arn) ?? {};
    target.tagSource = 'bulk';
  }
  return true;
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

/**
 * What the tags make necessary and was not read yet: fleet associations of declared stacks that
 * declare Fleets (or had them recorded) and of stacks to be pruned; permissions of images that
 * declare SharedWith (or had it recorded). Resources another project owns are left alone, unread.
 */
async function readDetails(config: Config, clients: AwsClients, live: LiveState, prune: boolean): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const mine = (tags: Tags | undefined) => tags !== undefined && [undefined, config.project].includes(ownerOf(tags));
  const declaredStacks = new Map((config.stacks ?? []).map((stack) => [stack.Name, stack]));
  const fleetsNeeded = Object.entries(live.stacks).filter(([name, { tags, fleets }]) => {
    if (fleets !== undefined || failed.has(stackAddress(name)) || !mine(tags)) return false;
    const declared = declaredStacks.get(name);
    if (!declared) return prune && ownerOf(tags) === config.project;
    return declared.Fleets !== undefined || Boolean(ownRecord(config.project, tags)?.f?.length);
  });
  const permissionsNeeded = (config.images ?? []).filter(({ Name, SharedWith }) => {
    const image = live.images[Name];
    if (!image || image.sharedWith !== undefined || failed.has(imageAddress(Name)) || !mine(image.tags)) return false;
    return SharedWith !== undefined || Boolean(ownRecord(config.project, image.tags)?.s?.length);
  });
  await Promise.all([
    mapPool(fleetsNeeded, async ([name, stack]) => {
      try {
        stack.fleets = await listAssociatedFleets(clients.appstream, name);
      } catch (error) {
        live.errors.push(describeError(stackAddress(name), 'ListAssociatedFleets', error));
      }
    }),
    mapPool(permissionsNeeded, async ({ Name }) => {
      try {
        live.images[Name].sharedWith = await listImagePermissions(clients.appstream, Name);
      } catch (error) {
        live.errors.push(describeError(imageAddress(Name), 'DescribeImagePermissions', error));
      }
    }),
  ]);
}

/** Bulk-tagged resources the plan would show as changed, adopted or in error. */
function bulkTaggedWorthReporting(config: Config, live: LiveState, prune: boolean, needed: Tagged[]): Tagged[] {
  const probe = buildPlan({ loaded: { config, files: [], locate: () => ({ file: '', line: 0, column: 0 }) }, live, prune, region: '' });
  const failed = new Set(live.errors.map((e) => e.address));
  const reported = new Set([
    ...probe.changes.filter((c) => c.action !== 'no-op' || c.adopt).map((c) => c.address),
    ...probe.diagnostics.filter((d) => d.severity === 'error' && d.address).map((d) => d.address!),
  ]);
  return needed.filter((r) => r.target.tagSource === 'bulk' && reported.has(r.address) && !failed.has(r.address));
}
