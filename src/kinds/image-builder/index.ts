/**
 * Image builders: every member of CreateImageBuilder, plus the running state (State: a running
 * builder is billed) and an image chosen by name prefix (LatestImage, as for fleets). Identified
 * by Name. There is no UpdateImageBuilder: tags and State change in place, anything else replaces
 * the builder (stopped, deleted, created again). Pruned like the other kinds.
 */
import type { ImageBuilder } from '@aws-sdk/client-appstream';
import { userTags } from '../../normalize/values.js';
import { itself } from '../../core/sets.js';
import { ACCESS_ENDPOINT_SET, accountTags, declaredValue, errorNotes, planByName, selectedTags, sortedBy, VPC_SETS } from '../resource.js';
import type { KindDefinition, Selection, Waiter } from '../types.js';
import { BUILDER_ATTRIBUTES, BUILDER_DEFAULTS, builderTable, UNREPORTED } from './attributes.js';
import { imageBuilderAddress } from './live.js';
import { imageAccountOf, isRunning, normalizeBuilderAttribute, normalizeLiveBuilder } from './normalize.js';
import { liveBuilderDigest, liveBuilderNormal, planBuilderDeletion, planDeclaredBuilder } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes image builders. */
const reads = () => import('./describe.js');

/** The poll of the builder a call acted on (Name; a wait-only DescribeImageBuilders: Names). */
function pollInput(call: { input: Record<string, unknown> }): Record<string, unknown> | undefined {
  const name = (call.input.Name as string | undefined) ?? (call.input.Names as string[] | undefined)?.[0];
  return name ? { Names: [name] } : undefined;
}

/**
 * botocore defines no image builder waiters; these follow Terraform's (PENDING → RUNNING and
 * DELETING → gone, 60 minutes). ImageBuilderErrors and FAILED fail a wait at once; a FAILED
 * builder being deleted is still waited for until it is gone.
 */
const builderWaiter = (success: string[], failure: string[], facts: { goneIsSuccess?: boolean; failOnErrors?: boolean } = {}): Waiter => ({
  resource: (input) => `image builder ${String((input.Names as string[])[0])}`,
  operation: 'DescribeImageBuilders',
  input: pollInput,
  state: 'ImageBuilders.0.State',
  success,
  failure,
  goneIsSuccess: facts.goneIsSuccess ?? false,
  errors: 'ImageBuilders.0.ImageBuilderErrors',
  failOnErrors: facts.failOnErrors ?? true,
  delayMs: 30_000,
  maxWaitMs: 3_600_000,
});

export const imageBuilderKind: KindDefinition = {
  name: 'imageBuilder',
  list: 'imageBuilders',
  noun: 'image builder',
  plural: 'image builders',
  service: 'appstream',
  identity: ['Name'],
  sets: [
    ...VPC_SETS,
    ACCESS_ENDPOINT_SET,
    { path: ['SoftwaresToInstall'], noun: 'software', key: itself },
    { path: ['SoftwaresToUninstall'], noun: 'software', key: itself },
  ],
  // A running builder's table; each builder's plan names the table of its own state.
  attributes: builderTable(true),
  emptyLive: () => ({}),
  describe: {
    needed: (config, prune) => Boolean(config.imageBuilders?.length) || prune,
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    tags: accountTags({
      resourceType: 'appstream:image-builder',
      declared: (config) => config.imageBuilders,
      live: (live) => live.imageBuilders,
      address: imageBuilderAddress,
      arn: (target) => target.builder.Arn!,
    }),
    details: async (ctx) => (await reads()).readNamedImages(ctx),
  },

  plan(input) {
    const { ctx, config, live } = input;
    const found = live.imageBuilderReads ?? {};
    planByName(input, {
      list: 'imageBuilders',
      declared: config.imageBuilders,
      live: live.imageBuilders,
      address: imageBuilderAddress,
      normal: liveBuilderNormal,
      digest: liveBuilderDigest,
      declare: (builder, existing, at, normal) => planDeclaredBuilder(ctx, builder, existing, at, found, normal),
      prune: (existing, at) => planBuilderDeletion(existing, at),
    });
  },

  declaredValues: (resource) => {
    const builder = resource as Record<string, unknown> & { Tags?: Record<string, string> | null };
    return {
      ...Object.fromEntries(BUILDER_ATTRIBUTES.map((attribute) => [attribute, declaredValue(builder[attribute], (v) => normalizeBuilderAttribute(attribute, v))])),
      LatestImage: builder.LatestImage,
      State: builder.State,
      Tags: declaredValue(builder.Tags, userTags),
    };
  },

  importDescribe: async (...args) => (await reads()).importImageBuilders(...args),
  import(live, { declare, note }) {
    const builders: Record<string, unknown>[] = [];
    for (const { builder, tags } of sortedBy(Object.values(live.imageBuilders), (b) => b.builder.Name!)) {
      const address = imageBuilderAddress(builder.Name!);
      for (const message of errorNotes('ImageBuilderErrors', builder.ImageBuilderErrors)) note(address, message);
      const declared = declare(address, tags, (select) => builderConfig(builder, tags ?? {}, select));
      if (!declared) continue;
      if (!UNREPORTED.some((attribute) => declared[attribute] !== undefined)) {
        note(address, 'AWS does not report SoftwaresToInstall or SoftwaresToUninstall: declare them by hand if the builder was created with some');
      }
      builders.push(declared);
    }
    return builders;
  },

  reads: ['DescribeImageBuilders', 'DescribeImages'],
  operations: ['CreateImageBuilder', 'StartImageBuilder', 'StopImageBuilder', 'DeleteImageBuilder', 'DescribeImageBuilders', 'TagResource', 'UntagResource'],
  waiters: {
    ImageBuilderRunning: builderWaiter(['RUNNING'], ['FAILED', 'STOPPED', 'STOPPING']),
    ImageBuilderStopped: builderWaiter(['STOPPED'], ['FAILED', 'RUNNING', 'PENDING']),
    ImageBuilderDeleted: builderWaiter([], [], { goneIsSuccess: true, failOnErrors: false }),
  },
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did.
    doneOnResend: {
      CreateImageBuilder: 'ResourceAlreadyExistsException',
      DeleteImageBuilder: 'ResourceNotFoundException',
      StartImageBuilder: 'ConcurrentModificationException',
      StopImageBuilder: 'ConcurrentModificationException',
    },
    visibilityProbe: (address) => ({ operation: 'DescribeImageBuilders', input: { Names: [address.slice('imageBuilder/'.length)] } }),
  },
};

/**
 * The declaration of a live builder: its values in normal form, those the selection keeps; the
 * image by name unless it is another account's (shared images are found only by ARN), the state as found.
 */
function builderConfig(builder: ImageBuilder, tags: Record<string, string>, select: Selection): Record<string, unknown> {
  const normal = normalizeLiveBuilder(builder, tags);
  const declared: Record<string, unknown> = { Name: builder.Name };
  // The builder's ARN names its account; an image of another account (not AWS's public ones, which name none) is shared.
  const owner = imageAccountOf(builder.ImageArn);
  const foreign = Boolean(owner) && owner !== imageAccountOf(builder.Arn);
  const recordedArn = select.attribute('ImageArn', normal.attributes.ImageArn) && !select.attribute('ImageName', normal.attributes.ImageName);
  const byArn = foreign || recordedArn;
  for (const attribute of BUILDER_ATTRIBUTES) {
    if (attribute === (byArn ? 'ImageName' : 'ImageArn')) continue;
    const value = normal.attributes[attribute];
    if (select.attribute(attribute, value, BUILDER_DEFAULTS[attribute as keyof typeof BUILDER_DEFAULTS])) declared[attribute] = value ?? null;
  }
  const state = isRunning(builder.State) ? 'RUNNING' : 'STOPPED';
  if (select.attribute('State', state)) declared.State = state;
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  return declared;
}
