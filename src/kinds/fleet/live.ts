/** A fleet as describe reads it, and its address. */
import type { Fleet, Image } from '@aws-sdk/client-appstream';
import type { TagSource } from '../../core/live.js';

export interface LiveFleet {
  fleet: Fleet;
  /** All tags (streamform's included); undefined when the fleet does not matter for this plan. */
  tags?: Record<string, string>;
  tagSource?: TagSource;
  /** Names of the associated stacks; undefined when not read (only a delete or a replace needs them). */
  stacks?: string[];
}

/** What else the fleet reads found, beside the fleets themselves. */
export interface FleetReads {
  /** The account's fleets were listed: a name absent from `fleets` does not exist. */
  listed: boolean;
  /** The account's own AVAILABLE images whose names start with a declared LatestImage prefix. */
  images?: Image[];
}

declare module '../../core/live.js' {
  interface LiveSections {
    /** Every fleet in the account and region, by name (when listed: see fleetReads). */
    fleets: Record<string, LiveFleet>;
    fleetReads?: FleetReads;
  }
}

export const fleetAddress = (name: string) => `fleet/${name}`;
