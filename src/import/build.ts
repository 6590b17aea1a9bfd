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
 * Resources owned by another streamform project are never declared. A resource this project
 * already owns declares exactly what its last apply managed (the record in its tags), so that the
 * plan finds the same declaration; other values set on it are named in a comment.
 */
import type { Image, SharedImagePermissions, Stack } from '@aws-sdk/client-appstream';
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

  /** The resource's declaration, or undefined when it is not this project's to declare. */
  const declare = <T extends object>(address: string, tags: Record<string, string> | undefined, build: (select: Selection) => T): T | undefined => {
    if (!claim(address, tags)) return undefined;
    const record = ownerOf(tags) === options.project ? readRecord(tags) : undefined;
    const declared = build(selection(record));
    const extra = record ? unmanaged(build(selection(undefined)), declared) : [];
    if (extra.length) note(address, `also set, but not managed by this project (declare it to manage it): ${extra.join(', ')}`);
    return declared;
  };

  const stacks: StackConfig[] = [];
  for (const { stack, tags, fleets } of sortedBy(Object.values(live.stacks), (s) => s.stack.Name!)) {
    const address = stackAddress(stack.Name!);
    for (const error of stack.StackErrors ?? []) note(address, `StackErrors: ${[error.ErrorCode, error.ErrorMessage].filter(Boolean).join(': ')}`);
    const declared = declare(address, tags, (select) => stackConfig(stack, fleets ?? [], tags ?? {}, select));
    if (declared) stacks.push(declared);
  }

  const images: ImageConfig[] = [];
  for (const { image, tags, sharedWith } of sortedBy(Object.values(live.images), (i) => i.image.Name!)) {
    const address = imageAddress(image.Name!);
    if (image.State !== 'AVAILABLE') {
      leaveOut(address, `state ${image.State ?? 'unknown'}: only AVAILABLE images can be declared`);
      continue;
    }
    const build = (select: Selection) => imageConfig(image, sharedWith ?? [], tags ?? {}, select);
    const full = build(selection(undefined));
    if (!full.SharedWith && !full.Tags && ownerOf(tags) !== options.project) {
      leaveOut(address, 'neither shared nor tagged (declare it to manage its sharing or tags, or to check its base image age)');
      continue;
    }
    const declared = declare(address, tags, build);
    if (declared) images.push(declared);
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
      } else {
        const declared = declare(address, image.tags, (select) => streamingImageConfig(studioId, image, select));
        if (declared) streamingImages.push(declared);
      }
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
 * Which live values a resource declares. Without a record: those that differ from the service
 * default. With the record of this project's last apply: exactly what that apply managed, default
 * or not, so that the plan finds the same declaration (and record) and has nothing to do.
 */
interface Selection {
  attribute(name: string, normal: unknown, fallback?: unknown): boolean;
  userSetting(setting: NormalUserSetting): boolean;
  tag(key: string): boolean;
  list(field: 'f' | 's'): boolean;
}

function selection(record: AppliedRecord | undefined): Selection {
  if (!record) {
    return {
      attribute: (_, normal, fallback) => normal !== undefined && !sameValue(normal, fallback),
      userSetting: (setting) => !sameValue(setting, defaultUserSetting(setting.Action)),
      tag: () => true,
      list: () => true,
    };
  }
  return {
    attribute: (name) => record.a?.includes(name) ?? false,
    userSetting: (setting) => record.u?.includes(setting.Action) ?? false,
    tag: (key) => record.t?.includes(key) ?? false,
    list: (field) => (record[field]?.length ?? 0) > 0,
  };
}

/** Live values left undeclared on a resource this project owns: its config did not manage them. */
function unmanaged(full: object, declared: object): string[] {
  return Object.entries(full)
    .filter(([key, value]) => !sameValue(value, (declared as Record<string, unknown>)[key]))
    .map(([key]) => key);
}

function stackConfig(stack: Stack, fleets: string[], tags: Record<string, string>, select: Selection): StackConfig {
  const declared: Record<string, unknown> = { Name: stack.Name };
  for (const attribute of STACK_ATTRIBUTES) {
    const normal = normalizeStackAttribute(attribute, stack[attribute]);
    if (select.attribute(attribute, normal, DEFAULTS[attribute])) declared[attribute] = normal ?? null;
  }
  const settings = sortedBy(stack.UserSettings ?? [], (s) => s.Action!)
    .map((setting) => normalizeUserSetting({ Action: setting.Action!, Permission: setting.Permission!, MaximumLength: setting.MaximumLength }))
    .filter(select.userSetting)
    .map(declaredUserSetting);
  if (settings.length) declared.UserSettings = settings;
  const fleetSet = asSet(fleets);
  if (fleetSet && select.list('f')) declared.Fleets = fleetSet;
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  return declared as unknown as StackConfig;
}

/** The default clipboard limit is implied; declaring it would only add noise. */
function declaredUserSetting(setting: NormalUserSetting): NormalUserSetting {
  const implied = sameValue(normalizeUserSetting({ Action: setting.Action, Permission: setting.Permission }), setting);
  return implied ? { Action: setting.Action, Permission: setting.Permission } : setting;
}

function imageConfig(image: Image, sharedWith: SharedImagePermissions[], tags: Record<string, string>, select: Selection): ImageConfig {
  const shares = asSet(sharedWith.map(shareFromLive), (share) => share.AccountId);
  const userTagMap = selectedTags(tags, select);
  return {
    Name: image.Name!,
    ...(shares && select.list('s') ? { SharedWith: shares } : {}),
    ...(userTagMap ? { Tags: userTagMap } : {}),
  };
}

function streamingImageConfig(studioId: string, image: StreamingImage, select: Selection): StreamingImageConfig {
  const description = clean(image.description) as string | undefined;
  const userTagMap = selectedTags(image.tags ?? {}, select);
  return {
    StudioId: studioId,
    Name: image.name ?? '',
    Ec2ImageId: image.ec2ImageId ?? '',
    ...(select.attribute('Description', description) ? { Description: description ?? null } : {}),
    ...(userTagMap ? { Tags: userTagMap } : {}),
  };
}

function selectedTags(tags: Record<string, string>, select: Selection): Record<string, string> | undefined {
  const selected = Object.entries(userTags(tags)).filter(([key]) => select.tag(key));
  return selected.length ? Object.fromEntries(selected) : undefined;
}

function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
