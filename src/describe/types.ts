/**
 * What describeLive read from AWS: raw service shapes (nothing normalized yet), plus a record of
 * what could not be read. Only what the plan needs is read; "undefined" means "not read".
 */
import type { Image, SharedImagePermissions, Stack } from '@aws-sdk/client-appstream';
import type { StreamingImage } from '@aws-sdk/client-nimble';

/**
 * Where a resource's tags came from. Bulk reads (Resource Groups Tagging API) are eventually
 * consistent, so a change derived from them is confirmed with a per-resource read first.
 */
export type TagSource = 'bulk' | 'resource';

export interface LiveStack {
  stack: Stack;
  /** All tags (streamform's included); undefined when the stack does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** Associated fleet names; undefined when not read. */
  fleets?: string[];
}

export interface LiveImage {
  image: Image;
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** Accounts the image is shared with; undefined when not read. */
  sharedWith?: SharedImagePermissions[];
}

/** A resource (by plan address) whose state could not be read: the plan makes no call for it. */
export interface DescribeError {
  address: string;
  message: string;
}

export interface LiveState {
  /** Every stack in the account and region, by name. */
  stacks: Record<string, LiveStack>;
  /** The declared images that exist, by name. */
  images: Record<string, LiveImage>;
  /**
   * The streaming images of each studio that was listed, by studio id (images in state DELETED
   * left out). A studio that is absent was not listed, or its listing failed.
   */
  streamingImages: Record<string, StreamingImage[]>;
  errors: DescribeError[];
}

export const stackAddress = (name: string) => `stack/${name}`;
export const imageAddress = (name: string) => `image/${name}`;
export const streamingImageAddress = (studioId: string, name: string) => `streamingImage/${studioId}/${name}`;
