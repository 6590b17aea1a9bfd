/** An application as describe reads it, the app blocks it may name, and its address. */
import type { Application } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveApplication {
  application: Application;
  /** All tags (streamform's included); undefined when the application does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** Names of the fleets it is associated with; undefined when not read. */
  fleets?: string[];
}

/** What else the application reads found. */
export interface ApplicationReads {
  /** The account's app blocks, ARN by name; undefined when no declaration names one by name (nor import). */
  appBlocks?: Record<string, string>;
  /** The fleets named in Fleets that the config does not declare, as found (absent: there is none of that name). */
  fleets?: Record<string, { FleetType?: string; Platform?: string }>;
  /** The names looked up for `fleets`. */
  lookedUp?: string[];
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** Every application in the account and region, by name. */
    applications: Record<string, LiveApplication>;
    applicationReads?: ApplicationReads;
  }
}

export const applicationAddress = (name: string) => `application/${name}`;

/** The plan address of an app block (a kind of its own), by the block's name. */
export const appBlockAddress = (name: string) => `appBlock/${name}`;

/** The app block's name in its ARN (arn:aws:appstream:<region>:<account>:app-block/<name>). */
export function appBlockNameOf(arn: string | undefined): string | undefined {
  const match = /:app-block\/(.+)$/.exec(arn ?? '');
  return match?.[1];
}
