/** Nimble reads: the streaming images of a studio (tags included in the listing). */
import type { NimbleClient, StreamingImage } from '@aws-sdk/client-nimble';
import { allPages, mapPool } from '../../aws/paging.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { streamingImageAddress } from './live.js';
import { nimbleSdk } from '../../aws/sdk.js';

const { ListStreamingImagesCommand } = nimbleSdk();

/**
 * Every image of a studio, those in state DELETED included: they are still listed for a while (so
 * that waiters can see DELETED), and the plan needs to know that an earlier attempt is gone.
 */
export function listStreamingImages(client: NimbleClient, studioId: string): Promise<StreamingImage[]> {
  return allPages(async (token) => {
    const page = await client.send(new ListStreamingImagesCommand({ studioId, nextToken: token }));
    return { items: page.streamingImages, next: page.nextToken };
  });
}

/** Studios are known only from the config: a studio none of whose images is declared is not listed (nor pruned). */
export async function listInto({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const declared = config.streamingImages ?? [];
  const studios = [...new Set(declared.map((image) => image.StudioId))];
  await mapPool(studios, async (studioId) => {
    try {
      live.streamingImages[studioId] = await listStreamingImages(clients.nimble, studioId);
    } catch (error) {
      for (const image of declared.filter((i) => i.StudioId === studioId)) fail(streamingImageAddress(studioId, image.Name), `ListStreamingImages (${studioId})`, error);
    }
  });
}

/** Import reads the streaming images of the studios it is told; a studio it cannot read (one of another region) is left out alone. */
export const importStreamingImages: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { studios, namePrefix }, fail) => {
  await mapPool(studios, async (studioId) => {
    try {
      // A deleted image is gone: nothing to declare.
      const images = await listStreamingImages(clients.nimble, studioId);
      live.streamingImages[studioId] = images.filter((image) => image.state !== 'DELETED' && image.name?.startsWith(namePrefix ?? ''));
    } catch (error) {
      fail(`streamingImage/${studioId}`, error);
    }
  });
};
