/** An AppStream image as describe reads it, and its address. */
import type { Image, SharedImagePermissions } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveImage {
  image: Image;
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** Accounts the image is shared with; undefined when not read. */
  sharedWith?: SharedImagePermissions[];
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** The declared images that exist, by name. */
    images: Record<string, LiveImage>;
  }
}

export const imageAddress = (name: string) => `image/${name}`;
