/** An app block as describe reads it, and its address. */
import type { AppBlock } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveAppBlock {
  block: AppBlock;
  /** All tags (streamform's included); undefined when the block does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** Every app block in the account and region, by name. */
    appBlocks: Record<string, LiveAppBlock>;
  }
}

/** The address `addressOf` gives a declared app block (the kind's name, then its Name). */
export const appBlockAddress = (name: string) => `appBlock/${name}`;
