/**
 * App block reads: every block of the account (DescribeAppBlocks without Arns, paged: one call
 * per page, none per block); their tags come from the shared reader.
 */
import type { AppBlock, AppStreamClient } from '@aws-sdk/client-appstream';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { appBlockAddress } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeAppBlocksCommand } = appstreamSdk();

/** Without MaxResults, AWS answers pages of the largest size it serves. */
function listAppBlocks(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<AppBlock[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeAppBlocksCommand({ NextToken: token }));
    onProgress?.((listed += page.AppBlocks?.length ?? 0));
    return { items: page.AppBlocks, next: page.NextToken };
  });
}

export async function listInto({ clients, live }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  // Without the account's blocks, neither ownership nor prune can be told: the plan ends.
  const blocks = await listAppBlocks(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's app blocks (DescribeAppBlocks): ${awsErrorMessage(error)}`);
  });
  for (const block of blocks) live.appBlocks[block.Name!] = { block };
}

/** Import reads every block with its tags. */
export const importAppBlocks: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const blocks = (await listAppBlocks(clients.appstream)).filter((block) => block.Name?.startsWith(namePrefix ?? ''));
  await readEach(
    blocks,
    async (block) => void (live.appBlocks[block.Name!] = { block, tags: await readTags(clients.appstream, block.Arn!), tagSource: 'resource' }),
    (block, error) => fail(appBlockAddress(block.Name!), error),
  );
};
