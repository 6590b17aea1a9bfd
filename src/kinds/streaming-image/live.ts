/** Nimble streaming images as describe reads them, and their address. */
import type { StreamingImage } from '@aws-sdk/client-nimble';

declare module '../../core/live.js' {
  interface LiveSections {
    /**
     * The streaming images of each studio that was listed, by studio id (for a plan, those in state
     * DELETED included; import leaves them out). A studio that is absent was not listed, or its listing failed.
     */
    streamingImages: Record<string, StreamingImage[]>;
  }
}

export const streamingImageAddress = (studioId: string, name: string) => `streamingImage/${studioId}/${name}`;
