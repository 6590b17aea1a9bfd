/**
 * Image builder reads: every builder of the account (DescribeImageBuilders without Names, paged:
 * one call per page, none per builder), their tags (shared reader), the images LatestImage picks
 * from (the account's own and those shared with it, only when a declaration uses LatestImage) and
 * the images named by the builders the plan creates or replaces (batched by name).
 */
import type { AppStreamClient, Image, ImageBuilder } from '@aws-sdk/client-appstream';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { lookUpByName, readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { imageBuilderAddress } from './live.js';
import { imageNameOf } from './normalize.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeImageBuildersCommand, DescribeImagesCommand } = appstreamSdk();

/** DescribeImageBuilders and DescribeImages answer at most 25 a page. */
const PAGE = 25;

export function listImageBuilders(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<ImageBuilder[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeImageBuildersCommand({ MaxResults: PAGE, NextToken: token }));
    onProgress?.((listed += page.ImageBuilders?.length ?? 0));
    return { items: page.ImageBuilders, next: page.NextToken };
  });
}

function listImages(client: AppStreamClient, type: 'PRIVATE' | 'SHARED'): Promise<Image[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeImagesCommand({ Type: type, MaxResults: PAGE, NextToken: token }));
    return { items: page.Images, next: page.NextToken };
  });
}

export async function listInto({ config, clients, live, fail }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  const declared = config.imageBuilders ?? [];
  const prefixes = declared.flatMap((builder) => (builder.LatestImage ? [builder.LatestImage.NamePrefix] : []));
  const latest = prefixes.length
    ? Promise.all([listImages(clients.appstream, 'PRIVATE'), listImages(clients.appstream, 'SHARED')]).then(
        (pages) => pages.flat().filter((image) => image.State === 'AVAILABLE' && prefixes.some((prefix) => image.Name?.startsWith(prefix))),
        (error: unknown) => {
          for (const builder of declared) if (builder.LatestImage) fail(imageBuilderAddress(builder.Name), 'DescribeImages', error);
          return [];
        },
      )
    : Promise.resolve(undefined);
  // Without the account's builders, neither ownership nor prune can be told: the plan ends.
  const builders = await listImageBuilders(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's image builders (DescribeImageBuilders): ${awsErrorMessage(error)}`);
  });
  for (const builder of builders) live.imageBuilders[builder.Name!] = { builder };
  const images = await latest;
  live.imageBuilderReads = { ...(images ? { latest: images } : {}) };
}

/**
 * The images named by ImageName where a builder is to be made from them: builders that do not
 * exist, and those whose image is another. One DescribeImages per 25 names.
 */
export async function readNamedImages({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const names = new Set<string>();
  for (const declared of config.imageBuilders ?? []) {
    if (!declared.ImageName) continue;
    const found = live.imageBuilders[declared.Name]?.builder;
    if (!found || imageNameOf(found.ImageArn) !== declared.ImageName) names.add(declared.ImageName);
  }
  if (!names.size) return;
  const users = (name: string) => (config.imageBuilders ?? []).filter((builder) => builder.ImageName === name);
  const images = await lookUpByName([...names], {
    batch: PAGE,
    read: (batch) =>
      allPages(async (token) => {
        const page = await clients.appstream.send(new DescribeImagesCommand({ Names: batch, MaxResults: PAGE, NextToken: token }));
        return { items: page.Images, next: page.NextToken };
      }),
    missing: (error) => (error as Error).name === 'ResourceNotFoundException',
    failed: (name, error) => {
      for (const builder of users(name)) fail(imageBuilderAddress(builder.Name), 'DescribeImages', error);
    },
  });
  live.imageBuilderReads = { ...live.imageBuilderReads, named: Object.fromEntries(images.map((image) => [image.Name!, image])), looked: [...names] };
}

/** Import reads every builder with its tags. */
export const importImageBuilders: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const builders = (await listImageBuilders(clients.appstream)).filter((builder) => builder.Name?.startsWith(namePrefix ?? ''));
  await readEach(
    builders,
    async (builder) => void (live.imageBuilders[builder.Name!] = { builder, tags: await readTags(clients.appstream, builder.Arn!), tagSource: 'resource' }),
    (builder, error) => fail(imageBuilderAddress(builder.Name!), error),
  );
};
