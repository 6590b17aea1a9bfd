/**
 * AppStream image builders: CreateImageBuilder, StartImageBuilder, StopImageBuilder,
 * DeleteImageBuilder and DescribeImageBuilders, with the states PENDING → RUNNING, STOPPING →
 * STOPPED and DELETING → gone (each transition --transition-ms). There is no UpdateImageBuilder.
 * A builder launched in one of the state file's `appstream.failingSubnets` ends FAILED with
 * ImageBuilderErrors, as one in a subnet without free addresses does. Tags live with the other
 * taggables (appstream.ts, tagging.ts).
 */
import { asObject, checkShape, checkTags, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { Lifecycle, type LifecycleSpec } from './lifecycle.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { ImageRecord, Store, Tags } from './state.js';

export type ImageBuilderStateName = 'PENDING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DELETING' | 'FAILED' | 'DELETED';

/** An ImageBuilder as DescribeImageBuilders returns it, plus what the emulator keeps beside it (the state file's form). */
export interface ImageBuilderState extends Json {
  Name: string;
  State?: string;
  Tags?: Tags;
  /** CreateImageBuilder's software lists: kept, but never described (DescribeImageBuilders has no such members). */
  SoftwaresToInstall?: string[];
  SoftwaresToUninstall?: string[];
}

export interface ImageBuilderRecord extends ImageBuilderState {
  Arn: string;
  State: ImageBuilderStateName;
  Tags: Tags;
}

/** The emulator's own members: DescribeImageBuilders leaves them out. */
const EMULATOR_ONLY = new Set(['Tags', 'SoftwaresToInstall', 'SoftwaresToUninstall']);

const invalidCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message);
const notPermitted = (message: string) => new ServiceError('OperationNotPermittedException', message);
const concurrent = (message: string) => new ServiceError('ConcurrentModificationException', message);
const isSet = (value: unknown) => value !== undefined && value !== null;

/** The builders of one account and their lifecycle; a builder that finishes DELETING is gone. */
export class ImageBuilders {
  readonly byName = new Map<string, ImageBuilderRecord>();
  readonly lifecycle: Lifecycle<ImageBuilderRecord, ImageBuilderStateName>;

  constructor(
    transitionMs: number,
    readonly failingSubnets: ReadonlySet<string>,
  ) {
    const spec: LifecycleSpec<ImageBuilderRecord, ImageBuilderStateName> = {
      next: {
        PENDING: (builder) => (this.fails(builder) ? 'FAILED' : 'RUNNING'),
        STOPPING: () => 'STOPPED',
        DELETING: () => 'DELETED',
      },
      state: (builder) => builder.State,
      enter: (builder, state) => {
        builder.State = state;
        if (state === 'DELETED') this.byName.delete(builder.Name);
        if (state === 'FAILED') {
          builder.ImageBuilderErrors = [
            { ErrorCode: 'NETWORK_INTERFACE_LIMIT_EXCEEDED', ErrorMessage: 'The subnet has no free IP addresses for the image builder.', ErrorTimestamp: Date.now() / 1000 },
          ];
          builder.StateChangeReason = { Code: 'INTERNAL_ERROR', Message: 'The image builder could not be launched.' };
        }
      },
    };
    this.lifecycle = new Lifecycle(spec, transitionMs);
  }

  private fails(builder: ImageBuilderRecord): boolean {
    return ((builder.VpcConfig as { SubnetIds?: string[] } | undefined)?.SubnetIds ?? []).some((subnet) => this.failingSubnets.has(subnet));
  }

  add(builder: ImageBuilderRecord): void {
    this.byName.set(builder.Name, builder);
    this.lifecycle.track(builder);
  }

  /** The builder named `name`, its due transitions applied; every read of a builder goes through here. */
  get(name: string): ImageBuilderRecord | undefined {
    const builder = this.byName.get(name);
    if (builder) this.lifecycle.settle(builder);
    return this.byName.get(name);
  }

  list(): ImageBuilderRecord[] {
    for (const builder of [...this.byName.values()]) this.lifecycle.settle(builder);
    return [...this.byName.values()];
  }
}

/** Reads the state file's `appstream.imageBuilders` and `appstream.failingSubnets`. */
export function seedImageBuilders(store: Store, section: { imageBuilders?: unknown; failingSubnets?: unknown }, transitionMs: number): ImageBuilders {
  const subnets = listAt(section.failingSubnets, 'appstream.failingSubnets');
  subnets.forEach((subnet, i) => {
    if (typeof subnet !== 'string') throw new StateError(`appstream.failingSubnets[${i}]: must be a string`);
  });
  const builders = new ImageBuilders(transitionMs, new Set(subnets as string[]));
  listAt(section.imageBuilders, 'appstream.imageBuilders').forEach((raw, i) => {
    const path = `appstream.imageBuilders[${i}]`;
    const { Tags, SoftwaresToInstall, SoftwaresToUninstall, ...fields } = asObject(raw, path) as ImageBuilderState;
    const described = { Arn: store.arn('appstream', `image-builder/${fields.Name}`), State: 'RUNNING', CreatedTime: Date.now() / 1000, EnableDefaultInternetAccess: false, ImageBuilderErrors: [], ...fields };
    checkShape('appstream', 'ImageBuilder', described, path);
    checkTags(Tags, path);
    for (const [member, list] of Object.entries({ SoftwaresToInstall, SoftwaresToUninstall })) {
      if (list !== undefined) checkShape('appstream', 'StringList', list, `${path}.${member}`);
    }
    if (builders.byName.has(fields.Name)) throw new StateError(`${path}.Name: image builder '${fields.Name}' appears twice`);
    builders.add({
      ...(epochTimestamps(facts.appstream, 'ImageBuilder', described) as ImageBuilderRecord),
      Tags: { ...(Tags ?? {}) },
      ...(SoftwaresToInstall ? { SoftwaresToInstall } : {}),
      ...(SoftwaresToUninstall ? { SoftwaresToUninstall } : {}),
    });
  });
  return builders;
}

export function describeImageBuilder(builder: ImageBuilderRecord): Json {
  return clone(Object.fromEntries(Object.entries(builder).filter(([member]) => !EMULATOR_ONLY.has(member))));
}

function builderNamed(store: Store, name: string): ImageBuilderRecord {
  const builder = store.imageBuilders.get(name);
  if (!builder) throw notFound('Image builder', name);
  return builder;
}

/**
 * The image a builder is made from. A name finds only the account's own images and AWS's public
 * ones: an image shared by another account is not found by name (Terraform #25875), only by ARN.
 */
function sourceImage(store: Store, input: Json): ImageRecord {
  const arn = input.ImageArn as string | undefined;
  const name = input.ImageName as string | undefined;
  const image = arn ? [...store.images.values()].find((i) => i.Arn === arn) : store.images.get(name!);
  if (!image || (!arn && image.Visibility === 'SHARED')) {
    throw new ServiceError('ResourceNotFoundException', `The image ${arn ?? name} for account ${store.account} does not exist.`);
  }
  if (image.State !== 'AVAILABLE') throw new ServiceError('ResourceNotAvailableException', `The image ${image.Name} must be in an AVAILABLE state (it is ${image.State}).`);
  if (image.ImageBuilderSupported === false) throw new ServiceError('IncompatibleImageException', `The image ${image.Name} does not support image builders.`);
  return image;
}

function checkCreate(input: Json): void {
  if (isSet(input.ImageName) === isSet(input.ImageArn)) {
    throw invalidCombination(isSet(input.ImageName) ? 'Specify either ImageName or ImageArn, not both.' : 'ImageName or ImageArn is required.');
  }
  const subnets = (input.VpcConfig as { SubnetIds?: string[] } | undefined)?.SubnetIds;
  if (subnets && subnets.length !== 1) throw invalidCombination(`An image builder takes exactly one subnet; the request gives ${subnets.length}.`);
  const size = (input.RootVolumeConfig as { VolumeSizeInGb?: number } | undefined)?.VolumeSizeInGb;
  if (size !== undefined && (size < 200 || size > 500)) throw invalidCombination(`RootVolumeConfig.VolumeSizeInGb must be between 200 and 500, not ${size}.`);
  if (!/^stream\.[a-z0-9]+(\.[a-z0-9]+)+$/.test(input.InstanceType as string)) throw invalidCombination(`The instance type ${input.InstanceType as string} is not valid.`);
  const both = ((input.SoftwaresToInstall ?? []) as string[]).filter((s) => ((input.SoftwaresToUninstall ?? []) as string[]).includes(s));
  if (both.length) throw invalidCombination(`${both[0]} can't be both installed and uninstalled.`);
}

function createImageBuilder(input: Json, { store }: Context): Json {
  checkCreate(input);
  const { Tags, ImageName: _, ImageArn: __, ...fields } = input;
  const name = input.Name as string;
  if (store.imageBuilders.byName.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `An image builder with the name ${name} already exists.`);
  const image = sourceImage(store, input);
  const builder = {
    Arn: store.arn('appstream', `image-builder/${name}`),
    ImageArn: image.Arn,
    ...(image.Platform ? { Platform: image.Platform } : {}),
    CreatedTime: Date.now() / 1000,
    EnableDefaultInternetAccess: false,
    DisableIMDSV1: false,
    ImageBuilderErrors: [],
    AppstreamAgentVersion: (image.AppstreamAgentVersion as string | undefined) ?? 'LATEST',
    ...clone(fields),
    State: 'PENDING',
    Tags: { ...((Tags as Tags | undefined) ?? {}) },
  } as unknown as ImageBuilderRecord;
  for (const member of ['Description', 'DisplayName']) if (builder[member] === '') delete builder[member];
  store.imageBuilders.add(builder);
  return { ImageBuilder: describeImageBuilder(builder) };
}

/** StartImageBuilder models ConcurrentModification for a builder that is busy; only a STOPPED one starts. */
function startImageBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State !== 'STOPPED') throw concurrent(`The image builder ${builder.Name} is ${builder.State}. Only a STOPPED image builder can be started.`);
  if (isSet(input.AppstreamAgentVersion)) builder.AppstreamAgentVersion = input.AppstreamAgentVersion;
  builder.ImageBuilderErrors = [];
  delete builder.StateChangeReason;
  store.imageBuilders.lifecycle.move(builder, 'PENDING');
  return { ImageBuilder: describeImageBuilder(builder) };
}

function stopImageBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State === 'PENDING' || builder.State === 'STOPPING') throw concurrent(`The image builder ${builder.Name} is ${builder.State}. Try again when it is RUNNING.`);
  if (builder.State !== 'RUNNING') throw notPermitted(`The image builder ${builder.Name} can't be stopped when it is ${builder.State}. Only a RUNNING image builder can be stopped.`);
  store.imageBuilders.lifecycle.move(builder, 'STOPPING');
  return { ImageBuilder: describeImageBuilder(builder) };
}

/** Only a STOPPED or FAILED builder can be deleted: a running one is stopped first. */
function deleteImageBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State === 'PENDING' || builder.State === 'STOPPING' || builder.State === 'DELETING') {
    throw concurrent(`The image builder ${builder.Name} is ${builder.State}. Try again when it is STOPPED.`);
  }
  if (builder.State !== 'STOPPED' && builder.State !== 'FAILED') {
    throw notPermitted(`The image builder ${builder.Name} can't be deleted when it is ${builder.State}. Stop it first.`);
  }
  store.imageBuilders.lifecycle.move(builder, 'DELETING');
  return { ImageBuilder: describeImageBuilder(builder) };
}

function describeImageBuilders(input: Json, { store, pageSize }: Context): Json {
  const names = (input.Names ?? []) as string[];
  const builders = names.length ? names.map((n) => builderNamed(store, n)) : store.imageBuilders.list();
  const page = paginate([...new Set(builders)], (b) => b.Name, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), 'ValidationException');
  return { ImageBuilders: page.items.map(describeImageBuilder), ...(page.next ? { NextToken: page.next } : {}) };
}

export const imageBuilderHandlers: Record<string, Handler> = {
  CreateImageBuilder: createImageBuilder,
  StartImageBuilder: startImageBuilder,
  StopImageBuilder: stopImageBuilder,
  DeleteImageBuilder: deleteImageBuilder,
  DescribeImageBuilders: describeImageBuilders,
};
