/** An app block builder as describe reads it, and its address. */
import type { AppBlockBuilder } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveAppBlockBuilder {
  builder: AppBlockBuilder;
  /** All tags (streamform's included); undefined when the builder does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** ARNs of the app blocks it is associated with; undefined when not read. */
  appBlocks?: string[];
}

/** What else the reads found, beside the builders. */
export interface AppBlockBuilderReads {
  /** The start of this partition's and region's AppStream ARNs ("arn:aws:appstream:us-east-1:"), for the app blocks' ARNs. */
  arnPrefix: string;
  /** The names of the account's app blocks, when a builder names one the config does not declare (undefined: not listed). */
  appBlocks?: string[];
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** Every app block builder in the account and region, by name. */
    appBlockBuilders: Record<string, LiveAppBlockBuilder>;
    appBlockBuilderReads?: AppBlockBuilderReads;
  }
}

export const appBlockBuilderAddress = (name: string) => `appBlockBuilder/${name}`;

/** The plan address of an app block (its own kind's address form). */
export const appBlockAddress = (name: string) => `appBlock/${name}`;

/** The name in an app block's ARN (arn:aws:appstream:<region>:<account>:app-block/<name>). */
export function appBlockNameOf(arn: string): string {
  return arn.slice(arn.indexOf(':app-block/') + ':app-block/'.length);
}
