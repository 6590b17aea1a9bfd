/**
 * What the describe stage read from AWS: raw service shapes (nothing normalized yet), one section per
 * kind, plus a record of what could not be read. Each kind declares its own section in its folder
 * (declaration merging on LiveSections), so adding a kind edits no shared file.
 */
import type { UndeclaredResource } from './plan.js';

/**
 * Where a resource's tags came from. Bulk reads (Resource Groups Tagging API) are eventually
 * consistent, so a change derived from them is confirmed with a per-resource read first.
 */
export type TagSource = 'bulk' | 'resource';

/** A resource (by plan address) whose state could not be read: the plan makes no call for it. */
export interface DescribeError {
  address: string;
  message: string;
}

/** The sections of the live state, by the kind's config list name; each kind adds its own. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LiveSections {}

export type LiveState = LiveSections & {
  errors: DescribeError[];
  /** The account the credentials reach (a listed ARN's, else STS GetCallerIdentity's); undefined when it could not be told. */
  account?: string;
  /**
   * Resources of kinds this plan did not read (none declared) that carry this project's owner tag,
   * found by it: prune would delete them.
   */
  ownedUnread?: UndeclaredResource[];
};
