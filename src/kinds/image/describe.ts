/** Image reads: the declared images by name, their tags (shared reader) and who they are shared with. */
import type { AppStreamClient, Image, SharedImagePermissions } from '@aws-sdk/client-appstream';
import { allPages, mapPool } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { ownRecord } from '../../core/ownership.js';
import { lookUpByName, mine } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { imageAddress } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeImagePermissionsCommand, DescribeImagesCommand } = appstreamSdk();

/** DescribeImages returns at most 25 images a page; a batch of 25 names fits one page. */
const IMAGE_BATCH = 25;

/**
 * The images with these names that exist. An unknown name fails a whole DescribeImages call with
 * ResourceNotFoundException, so a failing batch is split in halves until the missing names are
 * isolated: one call per batch when all exist, about 2·log2(25) more per missing name. (Listing
 * Type=PRIVATE instead costs a page per 25 images of the whole account, and misses shared images.)
 * Any other failure is reported per name through `onError`.
 */
export function describeImagesByName(client: AppStreamClient, names: string[], onError: (name: string, error: unknown) => void): Promise<Image[]> {
  return lookUpByName(names, {
    batch: IMAGE_BATCH,
    read: (batch) =>
      allPages(async (token) => {
        const page = await client.send(new DescribeImagesCommand({ Names: batch, MaxResults: IMAGE_BATCH, NextToken: token }));
        return { items: page.Images, next: page.NextToken };
      }),
    missing: (error) => (error as Error).name === 'ResourceNotFoundException',
    failed: onError,
  });
}

export function listImagePermissions(client: AppStreamClient, imageName: string): Promise<SharedImagePermissions[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeImagePermissionsCommand({ Name: imageName, MaxResults: 500, NextToken: token }));
    return { items: page.SharedImagePermissionsList, next: page.NextToken };
  });
}

export async function listInto({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const names = (config.images ?? []).map((image) => image.Name);
  const images = await describeImagesByName(clients.appstream, names, (name, error) => fail(imageAddress(name), 'DescribeImages', error));
  for (const image of images) live.images[image.Name!] = { image };
}

/** Permissions not read yet of images that declare SharedWith (or had it recorded); other projects' images are left unread. */
export async function readPermissions({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const needed = (config.images ?? []).filter(({ Name, SharedWith }) => {
    const image = live.images[Name];
    if (!image || image.sharedWith !== undefined || failed.has(imageAddress(Name)) || !mine(config.project, image.tags)) return false;
    return SharedWith !== undefined || Boolean(ownRecord(config.project, image.tags)?.s?.length);
  });
  await mapPool(needed, async ({ Name }) => {
    try {
      live.images[Name].sharedWith = await listImagePermissions(clients.appstream, Name);
    } catch (error) {
      fail(imageAddress(Name), 'DescribeImagePermissions', error);
    }
  });
}

/** Import reads every private image with its tags and shares. */
export const importImages: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const images = await allPages(async (token) => {
    const page = await clients.appstream.send(new DescribeImagesCommand({ Type: 'PRIVATE', NextToken: token }));
    return { items: page.Images, next: page.NextToken };
  });
  await mapPool(
    images.filter((image) => image.Name?.startsWith(namePrefix ?? '')),
    async (image: Image) => {
      try {
        // The permissions call is saved when the image says it is not shared.
        const [tags, sharedWith] = await Promise.all([
          readTags(clients.appstream, image.Arn!),
          image.ImageSharedWithOthers === 'FALSE' ? [] : listImagePermissions(clients.appstream, image.Name!),
        ]);
        live.images[image.Name!] = { image, tags, tagSource: 'resource', sharedWith };
      } catch (error) {
        fail(imageAddress(image.Name!), error);
      }
    },
  );
};
