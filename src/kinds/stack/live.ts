/** A stack as describe reads it, and its address. */
import type { Stack, Theme } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveStack {
  stack: Stack;
  /** All tags (streamform's included); undefined when the stack does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** Associated fleet names; undefined when not read. */
  fleets?: string[];
  /** The theme (DescribeThemeForStack); null when the stack has none, undefined when not read. */
  theme?: Theme | null;
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** Every stack in the account and region, by name. */
    stacks: Record<string, LiveStack>;
  }
}

export const stackAddress = (name: string) => `stack/${name}`;
