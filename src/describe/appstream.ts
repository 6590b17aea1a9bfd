/** AppStream reads: stacks, images, fleet associations, image permissions. */
import {
  DescribeImagePermissionsCommand,
  DescribeImagesCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  type AppStreamClient,
  type Image,
  type SharedImagePermissions,
  type Stack,
} from '@aws-sdk/client-appstream';
import { allPages, mapPool } from './paging.js';

/** DescribeImages returns at most 25 images a page; a batch of 25 names fits one page. */
const IMAGE_BATCH = 25;

/**
 * Every stack in the account: DescribeStacks without Names (with Names, one unknown name fails the
 * call). `onProgress` hears how many have been listed after each page.
 */
export function listStacks(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<Stack[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeStacksCommand({ NextToken: token }));
    onProgress?.((listed += page.Stacks?.length ?? 0));
    return { items: page.Stacks, next: page.NextToken };
  });
}

/**
 * The images with these names that exist. An unknown name fails a whole DescribeImages call with
 * ResourceNotFoundException, so a failing batch is split in halves until the missing names are
 * isolated: one call per batch when all exist, about 2·log2(25) more per missing name. (Listing
 * Type=PRIVATE instead costs a page per 25 images of the whole account, and misses shared images.)
 * Any other failure is reported per name through `onError`.
 */
export async function describeImagesByName(client: AppStreamClient, names: string[], onError: (name: string, error: unknown) => void): Promise<Image[]> {
  const describeBatch = async (batch: string[]): Promise<Image[]> => {
    try {
      return await allPages(async (token) => {
        const page = await client.send(new DescribeImagesCommand({ Names: batch, MaxResults: IMAGE_BATCH, NextToken: token }));
        return { items: page.Images, next: page.NextToken };
      });
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') {
        for (const name of batch) onError(name, error);
        return [];
      }
      if (batch.length === 1) return [];
      const half = Math.ceil(batch.length / 2);
      return (await Promise.all([describeBatch(batch.slice(0, half)), describeBatch(batch.slice(half))])).flat();
    }
  };
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += IMAGE_BATCH) batches.push(names.slice(i, i + IMAGE_BATCH));
  return (await mapPool(batches, describeBatch)).flat();
}

export function listAssociatedFleets(client: AppStreamClient, stackName: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new ListAssociatedFleetsCommand({ StackName: stackName, NextToken: token }));
    return { items: page.Names, next: page.NextToken };
  });
}

export function listImagePermissions(client: AppStreamClient, imageName: string): Promise<SharedImagePermissions[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeImagePermissionsCommand({ Name: imageName, MaxResults: 500, NextToken: token }));
    return { items: page.SharedImagePermissionsList, next: page.NextToken };
  });
}
