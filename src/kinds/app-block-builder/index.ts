/**
 * App block builders: the members of CreateAppBlockBuilder, plus the running state (State) and the
 * app block the builder packages applications for (AppBlocks, one at a time). Identified by Name;
 * created, associated and started; updated in place or between a stop and a start as
 * UpdateAppBlockBuilder's rules by state require; stopped, disassociated and deleted on prune.
 */
import type { AppBlockBuilder } from '@aws-sdk/client-appstream';
import { asSet, userTags } from '../../normalize/values.js';
import { itself } from '../../core/sets.js';
import { ACCESS_ENDPOINT_SET, accountTags, declaredValue, errorNotes, planByName, selectedTags, sortedBy, VPC_SETS } from '../resource.js';
import type { KindDefinition, Selection, Waiter } from '../types.js';
import { APP_BLOCK_BUILDER_ATTRIBUTES, APP_BLOCK_BUILDER_DEFAULTS, appBlockBuilderTable } from './attributes.js';
import { declaredAppBlocks } from './declared.js';
import { appBlockBuilderAddress, appBlockNameOf, type LiveAppBlockBuilder } from './live.js';
import { isRunning, normalizeAppBlockBuilderAttribute, normalizeLiveAppBlockBuilder } from './normalize.js';
import { liveAppBlockBuilderDigest, liveAppBlockBuilderNormal, planAppBlockBuilderDeletion, planDeclaredAppBlockBuilder } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes app block builders. */
const reads = () => import('./describe.js');

/** The poll of the builder a call acted on (Name; a wait-only DescribeAppBlockBuilders: Names). */
function pollInput(call: { input: Record<string, unknown> }): Record<string, unknown> | undefined {
  const name = (call.input.Name as string | undefined) ?? (call.input.Names as string[] | undefined)?.[0];
  return name ? { Names: [name] } : undefined;
}

/**
 * botocore defines no app block builder waiters; these poll as the fleet waiters do (30 s), for
 * up to 30 minutes. AppBlockBuilderErrors fail a start at once: a builder that cannot launch
 * (a subnet without free addresses, a missing role) reports them while it is still STARTING. A
 * stop is not failed by them: a broken builder must still be stoppable. DeleteAppBlockBuilder
 * removes the builder; its wait ends once it is gone.
 */
const builderWaiter = (success: string[], failure: string[], facts: { goneIsSuccess?: boolean; failOnErrors: boolean }): Waiter => ({
  resource: (input) => `app block builder ${String((input.Names as string[])[0])}`,
  operation: 'DescribeAppBlockBuilders',
  input: pollInput,
  state: 'AppBlockBuilders.0.State',
  success,
  failure,
  goneIsSuccess: facts.goneIsSuccess ?? false,
  errors: 'AppBlockBuilders.0.AppBlockBuilderErrors',
  failOnErrors: facts.failOnErrors,
  delayMs: 30_000,
  maxWaitMs: 1_800_000,
});

export const appBlockBuilderKind: KindDefinition = {
  name: 'appBlockBuilder',
  list: 'appBlockBuilders',
  noun: 'app block builder',
  plural: 'app block builders',
  service: 'appstream',
  identity: ['Name'],
  sets: [
    ...VPC_SETS,
    ACCESS_ENDPOINT_SET,
    { path: ['AppBlocks'], noun: 'app block', key: itself },
  ],
  // A running builder's table; each builder's plan names the table of its own state.
  attributes: appBlockBuilderTable(true),
  emptyLive: () => ({}),
  describe: {
    needed: (config, prune) => Boolean(config.appBlockBuilders?.length) || prune,
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    tags: accountTags({
      resourceType: 'appstream:app-block-builder',
      declared: (config) => config.appBlockBuilders,
      live: (live) => live.appBlockBuilders,
      address: appBlockBuilderAddress,
      arn: (target) => target.builder.Arn!,
    }),
    details: async (ctx) => (await reads()).readAppBlocks(ctx),
  },

  plan(input) {
    const { ctx, config, live } = input;
    const prefix = live.appBlockBuilderReads?.arnPrefix;
    const existing = live.appBlockBuilderReads?.appBlocks;
    const env = {
      appBlockArn: (name: string) => (prefix && live.account ? `${prefix}${live.account}:app-block/${name}` : undefined),
      declaredAppBlocks: declaredAppBlocks(config),
      missing: (name: string) => existing !== undefined && !existing.includes(name),
    };
    planByName(input, {
      list: 'appBlockBuilders',
      declared: config.appBlockBuilders,
      live: live.appBlockBuilders,
      address: appBlockBuilderAddress,
      normal: liveAppBlockBuilderNormal,
      digest: liveAppBlockBuilderDigest,
      declare: (builder, found, at, normal) => planDeclaredAppBlockBuilder(ctx, builder, found, at, env, normal),
      prune: (found, at) => planAppBlockBuilderDeletion(found, at),
    });
  },

  declaredValues: (resource) => {
    const builder = resource as Record<string, unknown> & { Tags?: Record<string, string> | null; AppBlocks?: string[] | null };
    return {
      ...Object.fromEntries(APP_BLOCK_BUILDER_ATTRIBUTES.map((attribute) => [attribute, declaredValue(builder[attribute], (v) => normalizeAppBlockBuilderAttribute(attribute, v))])),
      AppBlocks: declaredValue(builder.AppBlocks, (blocks) => asSet(blocks)),
      State: builder.State,
      Tags: declaredValue(builder.Tags, userTags),
    };
  },

  importDescribe: async (...args) => (await reads()).importAppBlockBuilders(...args),
  import(live, { declare, note }) {
    const builders: Record<string, unknown>[] = [];
    for (const found of sortedBy(Object.values(live.appBlockBuilders), (b) => b.builder.Name!)) {
      const address = appBlockBuilderAddress(found.builder.Name!);
      for (const message of errorNotes('AppBlockBuilderErrors', found.builder.AppBlockBuilderErrors)) note(address, message);
      const declared = declare(address, found.tags, (select) => builderConfig(found, select));
      if (declared) builders.push(declared);
    }
    return builders;
  },

  reads: ['DescribeAppBlockBuilders', 'DescribeAppBlockBuilderAppBlockAssociations', 'DescribeAppBlocks'],
  operations: [
    'CreateAppBlockBuilder',
    'UpdateAppBlockBuilder',
    'DeleteAppBlockBuilder',
    'StartAppBlockBuilder',
    'StopAppBlockBuilder',
    'DescribeAppBlockBuilders',
    'AssociateAppBlockBuilderAppBlock',
    'DisassociateAppBlockBuilderAppBlock',
    'TagResource',
    'UntagResource',
  ],
  waiters: {
    AppBlockBuilderRunning: builderWaiter(['RUNNING'], ['STOPPING', 'STOPPED'], { failOnErrors: true }),
    AppBlockBuilderStopped: builderWaiter(['STOPPED'], ['STARTING', 'RUNNING'], { failOnErrors: false }),
    AppBlockBuilderDeleted: builderWaiter([], [], { goneIsSuccess: true, failOnErrors: false }),
  },
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did
    // (a builder already starting or stopping is what the first StartAppBlockBuilder or StopAppBlockBuilder did).
    doneOnResend: {
      CreateAppBlockBuilder: 'ResourceAlreadyExistsException',
      DeleteAppBlockBuilder: 'ResourceNotFoundException',
      StartAppBlockBuilder: 'ConcurrentModificationException',
      StopAppBlockBuilder: 'ConcurrentModificationException',
      DisassociateAppBlockBuilderAppBlock: 'ResourceNotFoundException',
    },
    // A resource just created is briefly unknown to the other calls (AppStream's eventual consistency).
    visibilityProbe: (address) => ({ operation: 'DescribeAppBlockBuilders', input: { Names: [address.slice('appBlockBuilder/'.length)] } }),
  },
};

/** The declaration of a live builder: its values in normal form, those the selection keeps; its app block and state as found. */
function builderConfig({ builder, tags = {}, appBlocks = [] }: LiveAppBlockBuilder, select: Selection): Record<string, unknown> {
  const normal = normalizeLiveAppBlockBuilder(builder as AppBlockBuilder, tags);
  const declared: Record<string, unknown> = { Name: builder.Name };
  for (const attribute of APP_BLOCK_BUILDER_ATTRIBUTES) {
    const value = normal.attributes[attribute];
    if (select.attribute(attribute, value, APP_BLOCK_BUILDER_DEFAULTS[attribute as keyof typeof APP_BLOCK_BUILDER_DEFAULTS])) declared[attribute] = value ?? null;
  }
  const names = asSet(appBlocks.map(appBlockNameOf));
  if (select.attribute('AppBlocks', names)) declared.AppBlocks = names ?? null;
  const state = isRunning(builder.State) ? 'RUNNING' : 'STOPPED';
  if (select.attribute('State', state)) declared.State = state;
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  return declared;
}
