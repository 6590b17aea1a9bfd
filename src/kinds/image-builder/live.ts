/** An image builder as describe reads it, and its address. */
import type { Image, ImageBuilder } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveImageBuilder {
  builder: ImageBuilder;
  /** All tags (streamform's included); undefined when the builder does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
}

/** The images the declarations name, beside the builders themselves. */
export interface ImageBuilderReads {
  /** AVAILABLE images (the account's own and those shared with it) whose names start with a declared LatestImage prefix. */
  latest?: Image[];
  /** The images named by ImageName of the builders the plan creates or replaces, by name (absent: no such image). */
  named?: Record<string, Image>;
  /** The names `named` was read for. */
  looked?: string[];
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** Every image builder in the account and region, by name. */
    imageBuilders: Record<string, LiveImageBuilder>;
    imageBuilderReads?: ImageBuilderReads;
  }
}

export const imageBuilderAddress = (name: string) => `imageBuilder/${name}`;
