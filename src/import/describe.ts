/**
 * Reads everything `import` may declare: every stack (with tags and fleets), every private image
 * (with tags and shares) and the streaming images of the named studios. The result has the plan's
 * LiveState shape and is read with the plan's readers; a resource that cannot be read fully is
 * recorded in `errors` and left out.
 */
import { DescribeImagesCommand, type Image, type Stack } from '@aws-sdk/client-appstream';
import type { AwsClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { listAssociatedFleets, listImagePermissions, listStacks } from '../describe/appstream.js';
import { listStreamingImages } from '../describe/nimble.js';
import { allPages, mapPool } from '../describe/paging.js';
import { readTags } from '../describe/tags.js';
import { imageAddress, stackAddress, type DescribeError, type LiveImage, type LiveStack, type LiveState } from '../describe/types.js';

export interface AccountQuery {
  /** Nimble studios whose streaming images to read. */
  studios: string[];
  /** Only resources whose name starts with this. */
  namePrefix?: string;
}

export async function describeAccount(clients: AwsClients, query: AccountQuery): Promise<LiveState> {
  const prefixed = (name: string | undefined) => name !== undefined && name.startsWith(query.namePrefix ?? '');
  const errors: DescribeError[] = [];
  /** A read of one resource whose failure leaves that resource out, not the whole import. */
  const guarded =
    <T, R>(address: (item: T) => string, read: (item: T) => Promise<R>) =>
    async (item: T): Promise<R | undefined> => {
      try {
        return await read(item);
      } catch (error) {
        errors.push({ address: address(item), message: awsErrorMessage(error) });
        return undefined;
      }
    };

  const [stacks, images, streamingImages] = await Promise.all([
    listStacks(clients.appstream),
    allPages(async (token) => {
      const page = await clients.appstream.send(new DescribeImagesCommand({ Type: 'PRIVATE', NextToken: token }));
      return { items: page.Images, next: page.NextToken };
    }),
    mapPool(query.studios, async (studioId) => [studioId, (await listStreamingImages(clients.nimble, studioId)).filter((image) => prefixed(image.name))] as const),
  ]);
  const liveStacks = await mapPool(
    stacks.filter((stack) => prefixed(stack.Name)),
    guarded((stack: Stack) => stackAddress(stack.Name!), (stack) => readStack(clients, stack)),
  );
  const liveImages = await mapPool(
    images.filter((image) => prefixed(image.Name)),
    guarded((image: Image) => imageAddress(image.Name!), (image) => readImage(clients, image)),
  );
  return {
    stacks: Object.fromEntries(liveStacks.filter((live) => live !== undefined).map((live) => [live.stack.Name!, live])),
    images: Object.fromEntries(liveImages.filter((live) => live !== undefined).map((live) => [live.image.Name!, live])),
    streamingImages: Object.fromEntries(streamingImages),
    errors,
  };
}

async function readStack(clients: AwsClients, stack: Stack): Promise<LiveStack> {
  const [tags, fleets] = await Promise.all([readTags(clients.appstream, stack.Arn!), listAssociatedFleets(clients.appstream, stack.Name!)]);
  return { stack, tags, tagSource: 'resource', fleets };
}

async function readImage(clients: AwsClients, image: Image): Promise<LiveImage> {
  // The permissions call is saved when the image says it is not shared.
  const [tags, sharedWith] = await Promise.all([
    readTags(clients.appstream, image.Arn!),
    image.ImageSharedWithOthers === 'FALSE' ? [] : listImagePermissions(clients.appstream, image.Name!),
  ]);
  return { image, tags, tagSource: 'resource', sharedWith };
}
