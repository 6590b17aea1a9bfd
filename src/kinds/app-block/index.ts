/**
 * App blocks (Elastic fleets' application packages): every member of CreateAppBlock. Identified
 * by Name. There is no UpdateAppBlock: tags change in place, anything else replaces the block
 * (deleted, then created). The state is reported: an APPSTREAM2 block is INACTIVE until an app
 * block builder packages it, and AppBlockErrors are errors. Pruned like the other kinds.
 */
import type { AppBlock } from '@aws-sdk/client-appstream';
import { userTags } from '../../normalize/values.js';
import { accountTags, declaredValue, errorNotes, namingIn, planByName, selectedTags, sortedBy } from '../resource.js';
import type { KindDefinition, Selection } from '../types.js';
import { APP_BLOCK_ATTRIBUTES, APP_BLOCK_TABLE, DEFAULT_PACKAGING } from './attributes.js';
import { appBlockAddress, type LiveAppBlock } from './live.js';
import { normalizeAppBlock, normalizeAppBlockAttribute } from './normalize.js';
import { liveAppBlockDigest, liveAppBlockNormal, planBlockDeletion, planDeclaredBlock } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes app blocks. */
const reads = () => import('./describe.js');

/** What a declaration of a block of this packaging type must name (the schema's rules): always declared on import. */
const REQUIRED = (packaging: unknown) => ['SourceS3Location', ...(packaging === DEFAULT_PACKAGING ? ['SetupScriptDetails'] : [])];

export const appBlockKind: KindDefinition = {
  name: 'appBlock',
  list: 'appBlocks',
  noun: 'app block',
  plural: 'app blocks',
  service: 'appstream',
  identity: ['Name'],
  sets: [],
  attributes: APP_BLOCK_TABLE,
  emptyLive: () => ({}),
  describe: {
    needed: (config, prune) => Boolean(config.appBlocks?.length) || prune,
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    tags: accountTags({
      resourceType: 'appstream:app-block',
      declared: (config) => config.appBlocks,
      live: (live) => live.appBlocks,
      address: appBlockAddress,
      arn: (target) => target.block.Arn!,
    }),
  },

  plan(input) {
    const { ctx, config, live } = input;
    // What uses a block as AWS has it: DeleteAppBlock refuses while an application names it or a builder is associated with it.
    const usersOf = (arn: string) => [
      ...Object.values(live.applications).filter((found) => found.application.AppBlockArn === arn).map((found) => `application ${found.application.Name}`),
      ...Object.values(live.appBlockBuilders).filter((found) => found.appBlocks?.includes(arn)).map((found) => `app block builder ${found.builder.Name}`),
    ];
    // The declarations that name a block, by name or ARN: a block they still name is not pruned.
    const naming = (name: string, { block }: LiveAppBlock) => [
      ...(config.applications ?? [])
        .filter((application) => application.AppBlock === name || application.AppBlockArn === block.Arn)
        .map((application) => ({ user: `application ${application.Name}`, member: application.AppBlock !== undefined ? 'AppBlock' : 'AppBlockArn' })),
      ...namingIn(config.appBlockBuilders, 'AppBlocks', name, (builder) => `app block builder ${builder.Name}`),
    ];
    planByName(input, {
      list: 'appBlocks',
      declared: config.appBlocks,
      live: live.appBlocks,
      address: appBlockAddress,
      normal: liveAppBlockNormal,
      digest: liveAppBlockDigest,
      declare: (block, existing, at, normal) => planDeclaredBlock(ctx, block, existing, at, { usersOf }, normal),
      prune: planBlockDeletion,
      namedBy: { noun: 'app block', users: naming },
    });
  },

  declaredValues: (resource) => {
    const block = resource as Record<string, unknown> & { Tags?: Record<string, string> | null };
    return {
      ...Object.fromEntries(APP_BLOCK_ATTRIBUTES.map((attribute) => [attribute, declaredValue(block[attribute], (v) => normalizeAppBlockAttribute(attribute, v))])),
      Tags: declaredValue(block.Tags, userTags),
    };
  },

  importDescribe: async (...args) => (await reads()).importAppBlocks(...args),
  import(live, { declare, note }) {
    const blocks: Record<string, unknown>[] = [];
    for (const { block, tags } of sortedBy(Object.values(live.appBlocks), (b) => b.block.Name!)) {
      const address = appBlockAddress(block.Name!);
      for (const message of errorNotes('AppBlockErrors', block.AppBlockErrors)) note(address, message);
      const declared = declare(address, tags, (select) => blockConfig(block, tags ?? {}, select));
      if (declared) blocks.push(declared);
    }
    return blocks;
  },

  reads: ['DescribeAppBlocks'],
  operations: ['CreateAppBlock', 'DeleteAppBlock', 'DescribeAppBlocks', 'TagResource', 'UntagResource'],
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did.
    doneOnResend: { CreateAppBlock: 'ResourceAlreadyExistsException', DeleteAppBlock: 'ResourceNotFoundException' },
  },
};

/** The declaration of a live block: its values in normal form, those the selection keeps, and always what the schema requires. */
function blockConfig(block: AppBlock, tags: Record<string, string>, select: Selection): Record<string, unknown> {
  const normal = normalizeAppBlock({ ...block, Tags: tags });
  const required = REQUIRED(normal.attributes.PackagingType);
  const declared: Record<string, unknown> = { Name: block.Name };
  for (const attribute of APP_BLOCK_ATTRIBUTES) {
    const value = normal.attributes[attribute];
    const fallback = attribute === 'PackagingType' ? DEFAULT_PACKAGING : undefined;
    if ((required.includes(attribute) && value !== undefined) || select.attribute(attribute, value, fallback)) declared[attribute] = value ?? null;
  }
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  return declared;
}
