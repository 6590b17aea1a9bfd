/** Nimble reads: the streaming images of a studio (tags included in the listing). */
import { ListStreamingImagesCommand, type NimbleClient, type StreamingImage } from '@aws-sdk/client-nimble';
import { allPages } from './paging.js';

/** Deleted images are still listed for a while (so that waiters can see DELETED); they are gone. */
export async function listStreamingImages(client: NimbleClient, studioId: string): Promise<StreamingImage[]> {
  const images = await allPages(async (token) => {
    const page = await client.send(new ListStreamingImagesCommand({ studioId, nextToken: token }));
    return { items: page.streamingImages, next: page.nextToken };
  });
  return images.filter((image) => image.state !== 'DELETED');
}
