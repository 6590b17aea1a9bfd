/**
 * From what an account has to a config that declares it: pure, no AWS. Each declared value is the
 * live value in normal form (the form the plan compares), and only values that differ from the
 * service default are declared, so that planning the result right away shows no changes (apart from
 * adopting resources no streamform project owns yet).
 *
 * What is declared, and why:
 * - stacks: all of them, with every attribute that differs from the default, their fleets and tags;
 * - images: private, AVAILABLE images that are shared or tagged (the only things streamform manages
 *   on an image). An image with neither would be an empty declaration; it is listed in a comment;
 * - streaming images: those the studio owns (not the ones AWS provides), one per name and studio.
 * Resources owned by another streamform project are never declared.
 */
import type { Image, Stack } from '@aws-sdk/client-appstream';
import type { StreamingImage } from '@aws-sdk/client-nimble';
import type { Config, ImageConfig, StackConfig, StreamingImageConfig } from '../config/types.js';
import { imageAddress, stackAddress, streamingImageAddress, type LiveState } from '../describe/types.js';
import { shareFromLive } from '../normalize/image.js';
import { defaultUserSetting, normalizeStackAttribute, normalizeUserSetting, STACK_ATTRIBUTES, type NormalUserSetting, type StackAttribute } from '../normalize/stack.js';
import { asSet, clean, sameValue, userTags } from '../normalize/values.js';
import { ownerOf, readRecord, type AppliedRecord } from '../plan/ownership.js';

export interface ImportOptions {
  project: string;
  region: string;
}

/** Something the reader of the imported file should know about one resource. */
export interface ImportNote {
  address: string;
  message: string;
  /** Declared resources carry their note as a comment; the others are listed as left out. */
  declared: boolean;
}

export interface ImportResult {
  config: Config;
  notes: ImportNote[];
}

/** Attribute values that mean the same as leaving the attribute out. */
const DEFAULTS: Partial<Record<StackAttribute, unknown>> = { ApplicationSettings: normalizeStackAttribute('ApplicationSettings', undefined) };

const FAILED_STREAMING_IMAGE = /_FAILED$/;

export function buildImport(live: LiveState, options: ImportOptions): ImportResult {
  const notes: ImportNote[] = live.errors.map((error) => ({ address: error.address, message: `could not be read: ${error.message}`, declared: false }));
  const leaveOut = (address: string, message: string) => void notes.push({ address, message, declared: false });
  const note = (address: string, message: string) => void notes.push({ address, message, declared: true });
  /** Whether this project may declare a resource with these tags; notes why not, or that it will be adopted. */
  const claim = (address: string, tags: Record<string, string> | undefined): boolean => {
    const owner = ownerOf(tags);
    if (owner !== undefined && owner !== options.project) {
      leaveOut(address, `owned by the streamform project "${owner}"`);
      return false;
    }
    if (owner === undefined) note(address, 'no streamform project owns it yet: the first apply adopts it');
    return true;
  };

  const stacks: StackConfig[] = [];
  for (const { stack, tags, fleets } of sortedBy(Object.values(live.stacks), (s) => s.stack.Name!)) {
    const address = stackAddress(stack.Name!);
    if (!claim(address, tags)) continue;
    for (const error of stack.StackErrors ?? []) note(address, `StackErrors: ${[error.ErrorCode, error.ErrorMessage].filter(Boolean).join(': ')}`);
    stacks.push(stackConfig(stack, fleets ?? [], tags ?? {}, readRecord(tags)));
  }

  const images: ImageConfig[] = [];
  for (const { image, tags, sharedWith } of sortedBy(Object.values(live.images), (i) => i.image.Name!)) {
    const address = imageAddress(image.Name!);
    if (image.State !== 'AVAILABLE') {
      leaveOut(address, `state ${image.State ?? 'unknown'}: only AVAILABLE images can be declared`);
      continue;
    }
    const declared = imageConfig(image, sharedWith ?? [], tags ?? {});
    const owned = ownerOf(tags) === options.project;
    if (!declared.SharedWith && !declared.Tags && !owned) {
      leaveOut(address, 'neither shared nor tagged (declare it to manage its sharing or tags, or to check its base image age)');
      continue;
    }
    if (claim(address, tags)) images.push(declared);
  }

  const streamingImages: StreamingImageConfig[] = [];
  for (const [studioId, list] of sortedBy(Object.entries(live.streamingImages), ([id]) => id)) {
    const provided = list.filter((image) => image.owner !== studioId);
    if (provided.length > 0) leaveOut(`streamingImage/${studioId}`, `${provided.length} streaming image(s) provided by AWS (owner ${provided[0].owner}), not by the studio`);
    const byName = new Map<string, StreamingImage[]>();
    for (const image of list.filter((i) => i.owner === studioId)) byName.set(image.name ?? '', [...(byName.get(image.name ?? '') ?? []), image]);
    for (const [name, [image, ...others]] of sortedBy([...byName], ([n]) => n)) {
      const address = streamingImageAddress(studioId, name);
      if (others.length > 0) leaveOut(address, `${others.length + 1} streaming images have this name in the studio: rename all but one, then import again`);
      else if (FAILED_STREAMING_IMAGE.test(image.state ?? '') || image.state === 'DELETE_IN_PROGRESS') {
        leaveOut(address, `state ${image.state}${image.statusMessage ? ` (${image.statusMessage})` : ''}`);
      } else if (claim(address, image.tags)) streamingImages.push(streamingImageConfig(studioId, image));
    }
  }

  const config: Config = {
    version: 1,
    project: options.project,
    region: options.region,
    ...(stacks.length ? { stacks } : {}),
    ...(images.length ? { images } : {}),
    ...(streamingImages.length ? { streamingImages } : {}),
  };
  return { config, notes: sortedBy(notes, (n) => n.address) };
}

/**
 * A stack's declaration. What streamform applied last (the record on a stack this project owns) is
 * declared even when it equals the default: leaving it out would make the plan clear it.
 */
function stackConfig(stack: Stack, fleets: string[], tags: Record<string, string>, record: AppliedRecord | undefined): StackConfig {
  const managed = new Set(record?.a ?? []);
  const declared: Record<string, unknown> = { Name: stack.Name };
  for (const attribute of STACK_ATTRIBUTES) {
    const normal = normalizeStackAttribute(attribute, stack[attribute]);
    const isDefault = normal === undefined || sameValue(normal, DEFAULTS[attribute]);
    if (!isDefault || managed.has(attribute)) declared[attribute] = normal ?? null;
  }
  const recordedActions = new Set(record?.u ?? []);
  const settings = sortedBy(stack.UserSettings ?? [], (s) => s.Action!)
    .map((setting) => normalizeUserSetting({ Action: setting.Action!, Permission: setting.Permission!, MaximumLength: setting.MaximumLength }))
    .filter((setting) => !sameValue(setting, defaultUserSetting(setting.Action)) || recordedActions.has(setting.Action))
    .map(declaredUserSetting);
  if (settings.length) declared.UserSettings = settings;
  const fleetSet = asSet(fleets);
  if (fleetSet) declared.Fleets = fleetSet;
  const userTagMap = userTags(tags);
  if (Object.keys(userTagMap).length) declared.Tags = userTagMap;
  return declared as unknown as StackConfig;
}

/** The default clipboard limit is implied; declaring it would only add noise. */
function declaredUserSetting(setting: NormalUserSetting): NormalUserSetting {
  const implied = sameValue(normalizeUserSetting({ Action: setting.Action, Permission: setting.Permission }), setting);
  return implied ? { Action: setting.Action, Permission: setting.Permission } : setting;
}

function imageConfig(image: Image, sharedWith: NonNullable<LiveState['images'][string]['sharedWith']>, tags: Record<string, string>): ImageConfig {
  const shares = asSet(sharedWith.map(shareFromLive), (share) => share.AccountId);
  const userTagMap = userTags(tags);
  return {
    Name: image.Name!,
    ...(shares ? { SharedWith: shares } : {}),
    ...(Object.keys(userTagMap).length ? { Tags: userTagMap } : {}),
  };
}

function streamingImageConfig(studioId: string, image: StreamingImage): StreamingImageConfig {
  const description = clean(image.description) as string | undefined;
  const userTagMap = userTags(image.tags);
  return {
    StudioId: studioId,
    Name: image.name ?? '',
    Ec2ImageId: image.ec2ImageId ?? '',
    ...(description !== undefined ? { Description: description } : {}),
    ...(Object.keys(userTagMap).length ? { Tags: userTagMap } : {}),
  };
}

function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
