/**
 * App block builder reads: every builder of the account (DescribeAppBlockBuilders without Names,
 * paged: one call per page, none per builder), their tags (shared reader), and the app block of
 * each builder the plan may change or delete (DescribeAppBlockBuilderAppBlockAssociations by
 * builder: the API has no account-wide listing of them). The account's app blocks are listed
 * only when a builder is to be associated with one that the config does not declare, to tell
 * whether it exists.
 */
import type { AppBlockBuilder, AppStreamClient } from '@aws-sdk/client-appstream';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { ownerOf } from '../../core/ownership.js';
import { mine, readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { declaredAppBlocks } from './declared.js';
import { appBlockBuilderAddress, appBlockNameOf } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeAppBlockBuilderAppBlockAssociationsCommand, DescribeAppBlockBuildersCommand, DescribeAppBlocksCommand } = appstreamSdk();

/** DescribeAppBlockBuilders answers at most 25 a page. */
const PAGE = 25;

function listAppBlockBuilders(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<AppBlockBuilder[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeAppBlockBuildersCommand({ MaxResults: PAGE, NextToken: token }));
    onProgress?.((listed += page.AppBlockBuilders?.length ?? 0));
    return { items: page.AppBlockBuilders, next: page.NextToken };
  });
}

/** The ARNs of the app blocks a builder is associated with. */
function listAppBlocksOf(client: AppStreamClient, name: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeAppBlockBuilderAppBlockAssociationsCommand({ AppBlockBuilderName: name, MaxResults: PAGE, NextToken: token }));
    return { items: page.AppBlockBuilderAppBlockAssociations?.map((association) => association.AppBlockArn!), next: page.NextToken };
  });
}

/** The partition of a region, as its ARNs name it. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

export async function listInto({ clients, live }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  // Without the account's builders, neither ownership nor prune can be told: the plan ends.
  const builders = await listAppBlockBuilders(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's app block builders (DescribeAppBlockBuilders): ${awsErrorMessage(error)}`);
  });
  for (const builder of builders) live.appBlockBuilders[builder.Name!] = { builder };
  // The region is known once a call has been made.
  live.appBlockBuilderReads = { arnPrefix: `arn:${partitionOf(clients.region)}:appstream:${clients.region}:` };
}

/** The app blocks of the builders the plan may change (declared, and this project's or nobody's) or delete (prune, owned). */
export async function readAppBlocks(ctx: DescribeContext): Promise<void> {
  const { config, clients, live, prune, fail } = ctx;
  const failed = new Set(live.errors.map((e) => e.address));
  const declared = new Set((config.appBlockBuilders ?? []).map((builder) => builder.Name));
  const needed = Object.entries(live.appBlockBuilders).filter(([name, { tags }]) => {
    if (failed.has(appBlockBuilderAddress(name)) || !mine(config.project, tags)) return false;
    return declared.has(name) || (prune && ownerOf(tags) === config.project);
  });
  await readEach(
    needed,
    async ([name, target]) => void (target.appBlocks = await listAppBlocksOf(clients.appstream, name)),
    ([name], error) => fail(appBlockBuilderAddress(name), 'DescribeAppBlockBuilderAppBlockAssociations', error),
  );
  await readUndeclaredAppBlocks(ctx);
}

/** The names of the account's app blocks (DescribeAppBlocks, paged). */
function listAppBlockNames(client: AppStreamClient): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeAppBlocksCommand({ MaxResults: PAGE, NextToken: token }));
    return { items: page.AppBlocks?.map((block) => block.Name!), next: page.NextToken };
  });
}

/** Whether the app blocks that builders are to be associated with exist, when the config does not declare them. */
export async function readUndeclaredAppBlocks({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const declared = declaredAppBlocks(config);
  const unknown = (config.appBlockBuilders ?? []).filter((builder) => {
    const associated = (live.appBlockBuilders[builder.Name]?.appBlocks ?? []).map(appBlockNameOf);
    return (builder.AppBlocks ?? []).some((name) => !declared.has(name) && !associated.includes(name));
  });
  if (!unknown.length) return;
  try {
    live.appBlockBuilderReads = { ...live.appBlockBuilderReads!, appBlocks: await listAppBlockNames(clients.appstream) };
  } catch (error) {
    for (const builder of unknown) fail(appBlockBuilderAddress(builder.Name), 'DescribeAppBlocks', error);
  }
}

/** Import reads every builder with its tags and its app block. */
export const importAppBlockBuilders: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const builders = (await listAppBlockBuilders(clients.appstream)).filter((builder) => builder.Name?.startsWith(namePrefix ?? ''));
  await readEach(
    builders,
    async (builder) => {
      const [tags, appBlocks] = await Promise.all([readTags(clients.appstream, builder.Arn!), listAppBlocksOf(clients.appstream, builder.Name!)]);
      live.appBlockBuilders[builder.Name!] = { builder, tags, tagSource: 'resource', appBlocks };
    },
    (builder, error) => fail(appBlockBuilderAddress(builder.Name!), error),
  );
};
