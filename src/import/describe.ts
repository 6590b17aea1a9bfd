/**
 * Reads everything `import` may declare: every stack (with tags and fleets), every private image
 * (with tags and shares) and the streaming images of the named studios. The result has the plan's
 * LiveState shape; a resource that cannot be read fully is recorded in `errors` and left out.
 */
import {
  DescribeImagePermissionsCommand,
  DescribeImagesCommand,
  DescribeStacksCommand,
  ListAssociatedFleetsCommand,
  ListTagsForResourceCommand,
  type Image,
  type SharedImagePermissions,
  type Stack,
} from '@aws-sdk/client-appstream';
import { ListStreamingImagesCommand } from '@aws-sdk/client-nimble';
import type { AwsClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { imageAddress, stackAddress, type DescribeError, type LiveImage, type LiveStack, type LiveState } from '../describe/types.js';

export interface AccountQuery {
  /** Nimble studios whose streaming images to read. */
  studios: string[];
  /** Only resources whose name starts with this. */
  namePrefix?: string;
}

/** Reads per resource in flight at once: enough to be quick, few enough not to be throttled. */
const CONCURRENCY = 8;

export async function describeAccount(clients: AwsClients, query: AccountQuery): Promise<LiveState> {
  const prefixed = (name: string | undefined) => name !== undefined && name.startsWith(query.namePrefix ?? '');
  const errors: DescribeError[] = [];
  const [stacks, images, streamingImages] = await Promise.all([
    listAll((NextToken) => clients.appstream.send(new DescribeStacksCommand({ NextToken })), (page) => page.Stacks),
    listAll((NextToken) => clients.appstream.send(new DescribeImagesCommand({ Type: 'PRIVATE', NextToken })), (page) => page.Images),
    Promise.all(
      query.studios.map(async (studioId) => {
        const list = await listAll(
          (nextToken) => clients.nimble.send(new ListStreamingImagesCommand({ studioId, nextToken })),
          (page) => page.streamingImages,
          (page) => page.nextToken,
        );
        return [studioId, list.filter((image) => prefixed(image.name) && image.state !== 'DELETED')] as const;
      }),
    ),
  ]);

  const liveStacks = await forEach(stacks.filter((stack) => prefixed(stack.Name)), errors, (stack) => stackAddress(stack.Name!), (stack) => readStack(clients, stack));
  const liveImages = await forEach(images.filter((image) => prefixed(image.Name)), errors, (image) => imageAddress(image.Name!), (image) => readImage(clients, image));
  return {
    stacks: Object.fromEntries(liveStacks.map((live) => [live.stack.Name!, live])),
    images: Object.fromEntries(liveImages.map((live) => [live.image.Name!, live])),
    streamingImages: Object.fromEntries(streamingImages),
    errors,
  };
}

async function readStack(clients: AwsClients, stack: Stack): Promise<LiveStack> {
  const [tags, fleets] = await Promise.all([
    tagsOf(clients, stack.Arn!),
    listAll((NextToken) => clients.appstream.send(new ListAssociatedFleetsCommand({ StackName: stack.Name, NextToken })), (page) => page.Names),
  ]);
  return { stack, tags, tagSource: 'resource', fleets };
}

async function readImage(clients: AwsClients, image: Image): Promise<LiveImage> {
  // The permissions call is saved when the image says it is not shared.
  const shares: Promise<SharedImagePermissions[]> =
    image.ImageSharedWithOthers === 'FALSE'
      ? Promise.resolve([])
      : listAll((NextToken) => clients.appstream.send(new DescribeImagePermissionsCommand({ Name: image.Name, NextToken })), (page) => page.SharedImagePermissionsList);
  const [tags, sharedWith] = await Promise.all([tagsOf(clients, image.Arn!), shares]);
  return { image, tags, tagSource: 'resource', sharedWith };
}

async function tagsOf(clients: AwsClients, arn: string): Promise<Record<string, string>> {
  return (await clients.appstream.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags ?? {};
}

/** Every page of a listing, following its token until the service sends none. */
async function listAll<Page, Item>(
  fetch: (token: string | undefined) => Promise<Page>,
  items: (page: Page) => Item[] | undefined,
  next: (page: Page) => string | undefined = (page) => (page as { NextToken?: string }).NextToken,
): Promise<Item[]> {
  const all: Item[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...(items(page) ?? []));
    token = next(page);
  } while (token);
  return all;
}

/** `read` for every item, CONCURRENCY at a time; a failure is recorded under the item's address and the item left out. */
async function forEach<T, R>(items: T[], errors: DescribeError[], address: (item: T) => string, read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        results.push(await read(item));
      } catch (error) {
        errors.push({ address: address(item), message: awsErrorMessage(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
