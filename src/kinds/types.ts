/**
 * One resource kind behind one interface. Every stage iterates the registry (src/kinds/index.ts)
 * and asks each kind for its part: the config list and identities, the attribute table, describe,
 * plan and prune, live digests, configdiff values, import, the operations apply may send, waiters
 * and retry facts. A kind is one folder; nothing outside it knows its shapes.
 */
import type { AwsClients } from '../aws/clients.js';
import type { Service as AwsService } from '../aws/target.js';
import type { Config } from '../config/types.js';
import type { SetList } from '../core/sets.js';
import type { LiveState } from '../core/live.js';
import type { Impact, PlannedCall, Service } from '../core/plan.js';
import type { Tags } from '../core/ownership.js';
import type { PlanContext, ResourcePlan, Subject } from './resource.js';

/** How an attribute is compared, cleared, and what changing it does to the resource. */
export interface AttributeFacts {
  /** `set`: compared as a set of elements identified by `key` (a member name, or the element itself). */
  compare: 'scalar' | { set: string | 'itself' };
  /** How it is cleared: an AttributesToDelete value, the value that means "none", or not at all. */
  clear: { attribute: string } | { value: unknown } | 'none';
  /** `update` in place; `replace` recreates the resource; `interrupt` is in place but interrupts users. */
  impact: Impact;
}

export type AttributeTable = Readonly<Record<string, AttributeFacts>>;

/**
 * A wait after a call, in the shape of the SDK's waiters: poll `operation` with `input` until the
 * value at `state` is a success state (or the resource is gone, where that counts), failing at once
 * on a failure state or when `errors` finds the resource's own error fields.
 */
export interface Waiter {
  /** The resource waited for, for people ("streaming image si-1"), from the poll's input. */
  resource(input: Record<string, unknown>): string;
  operation: string;
  /** The poll's input, from the planned call's input and that call's output. */
  input(call: PlannedCall, output: unknown): Record<string, unknown> | undefined;
  /** Dotted path of the state in the poll's output ("streamingImage.state"). */
  state: string;
  success: readonly string[];
  failure: readonly string[];
  /** Gone (not found, or absent from the answer) counts as success (deletes), or keeps waiting. */
  goneIsSuccess: boolean;
  /** Dotted path of a message or error list in the poll's output, reported when the wait fails. */
  errors?: string;
  /** Errors at `errors` fail the wait at once, even in a state that is not a failure state. */
  failOnErrors?: boolean;
  /** The longest pause between polls and the longest wait, as the SDK's waiter defines them. */
  delayMs: number;
  maxWaitMs: number;
}

/** Facts about retrying a kind's calls that no error classification can know. */
export interface RetryFacts {
  /**
   * Calls without an idempotency token: after a failure that may have reached the server, these
   * error names mean the first attempt did the work.
   */
  doneOnResend?: Readonly<Record<string, string>>;
  /**
   * A resource created moments ago in this run may briefly be "not found" to the other calls
   * (eventual consistency): this call tells whether it is visible yet.
   */
  visibilityProbe?(address: string): { operation: string; input: Record<string, unknown> };
}

/** What describe gives a kind: the clients, what is read so far, and the shared tag reader. */
export interface DescribeContext {
  config: Config;
  clients: AwsClients;
  live: LiveState;
  prune: boolean;
  /** Records that one resource could not be read, with the call and AWS's answer. */
  fail(address: string, operation: string, error: unknown): void;
  /** Reads the tags of these resources, in bulk or one by one, whichever the reader chose. */
  readTags(resources: Tagged[]): Promise<Tagged[]>;
  /** Settles when the listing of the kind whose config list this is ends; undefined when this plan does not read that kind. */
  listingOf(list: string): Promise<void> | undefined;
}

/** A resource whose AppStream tags the plan needs, under its plan address. */
export interface Tagged {
  address: string;
  arn: string;
  target: { tags?: Tags; tagSource?: 'bulk' | 'resource' };
}

/** How a kind's AppStream tags are read. */
export type KindTags = {
  /** The tagging API's resource type ("appstream:stack"). */
  resourceType: string;
  /** How many declared resources will need tags, known before anything is read. */
  declared(config: Config): number;
  /** The resources whose tags the plan needs, once listed. */
  needing(ctx: DescribeContext): Tagged[];
} & (
  | { /** Only the resources the config names are read (images). */ listing: 'declared' }
  | {
      /** Every resource of the account is listed (stacks, fleets, …), and prune deletes those this project owns. */
      listing: 'account';
      /** Every listed resource: those the plan does not need are told as no longer declared when they are this project's. */
      listed(live: LiveState): Tagged[];
      /** A resource's plan address from its ARN. */
      addressOf(arn: string): string;
    }
);

/** A kind's reads. `list` runs first, all kinds at once; `details` once its own tags are in. */
export interface KindDescribe {
  /**
   * Whether a plan of this config reads the kind at all. Without it: when the config declares it,
   * when pruning, or when its listing is account-wide (as the stacks', which ownership needs).
   */
  needed?(config: Config, prune: boolean): boolean;
  list(ctx: DescribeContext, onProgress: (listed: number) => void): Promise<void>;
  /** AppStream tags read through the shared reader (bulk via the tagging API, or per resource). */
  tags?: KindTags;
  /** Reads that depend on the listing and tags (fleet associations, permissions, …). */
  details?(ctx: DescribeContext): Promise<void>;
}

/** A call describe makes for a kind, as IAM must allow it (`streamform iam-policy` derives its policies from these). */
export interface KindRead {
  /** The service, when it is not the kind's own (the secret stores a directory config reads). */
  service?: AwsService;
  operation: string;
  /**
   * What the call reads, by name or ARN as this config names it (none: the config makes no such call).
   * Absent: any resource, whenever the kind is read.
   */
  resources?(config: Config): string[];
}

/** What the planner gives a kind. */
export interface KindPlanInput {
  ctx: PlanContext;
  config: Config;
  live: LiveState;
  /** Plan only the resources `wanted` accepts (undefined: all). */
  wanted(address: string): boolean;
  /** The subject of a resource at `pointer` (undefined for a prune candidate) with its live digest. */
  subject(address: string, pointer: string | undefined, liveDigest: () => string | null): Subject;
  /** Plans one resource, unless describe could not read it. */
  plan(subject: Subject, make: () => ResourcePlan): void;
}

/** What import gives a kind: whether it may declare a resource, and notes for the reader. */
export interface ImportContext {
  project: string;
  /** The declaration built by `build` with the selection of its record, or undefined when not ours. */
  declare<T extends object>(address: string, tags: Tags | undefined, build: (select: Selection) => T): T | undefined;
  note(address: string, message: string): void;
  leaveOut(address: string, message: string): void;
  /** The selection of a resource without a record: every value that differs from the default. */
  unrecorded: Selection;
}

/**
 * Which live values a resource declares. Without a record: those that differ from the service
 * default. With the record of this project's last apply: exactly what that apply managed.
 */
export interface Selection {
  attribute(name: string, normal: unknown, fallback?: unknown): boolean;
  userSetting(action: string, isDefault: boolean): boolean;
  tag(key: string): boolean;
  list(field: 'f' | 's'): boolean;
}

export interface KindDefinition {
  /** The kind's name in plan addresses and output ("stack"). */
  name: string;
  /** The config's top-level list ("stacks"), also the live state's section. */
  list: keyof LiveState & string;
  noun: string;
  plural: string;
  /**
   * One resource per account and region (usage reports): the config declares one object at `list`,
   * not a list of them, files that state it must agree (as for `region`), and the resource's address
   * is `<name>/<singleton.address>`.
   */
  singleton?: { address: string };
  service: Service;
  /** The members that identify a declared resource, in address order. */
  identity: readonly string[];
  /** Lists inside a declaration whose order means nothing (paths relative to one resource). */
  sets: readonly SetList[];
  attributes: AttributeTable;
  /** The live section before anything is read. */
  emptyLive(): unknown;
  describe: KindDescribe;
  /** Declared resources and, with prune, owned ones no longer declared. */
  plan(input: KindPlanInput): void;
  /** A declaration's values in normal form, by attribute, for the offline config diff. */
  declaredValues(resource: Record<string, unknown>): Record<string, unknown>;
  /** Reads everything an import may declare into the live state. */
  importDescribe?(clients: AwsClients, live: LiveState, query: { studios: string[]; namePrefix?: string }, fail: (address: string, error: unknown) => void): Promise<void>;
  /** Declarations of what the account has. */
  import(live: LiveState, ctx: ImportContext): Record<string, unknown>[];
  /**
   * Every call the kind's reads (describe and import) may make, besides the tags read through the shared
   * reader: an operation of the kind's service, or a KindRead.
   */
  reads: readonly (string | KindRead)[];
  /** The operations apply may send for this kind, its waiters' polls and probes included. */
  operations: readonly string[];
  waiters?: Readonly<Record<string, Waiter>>;
  retry?: RetryFacts;
  /**
   * Calls that succeed with failed entries in their answer (batch calls): the entries that failed,
   * for people. Apply fails such a call naming them, and the resource's later calls still run.
   */
  entryErrors?: Readonly<Record<string, (output: unknown) => string[]>>;
  /**
   * For kinds whose planned inputs hold references instead of values (a directory config's secrets,
   * as `{"$secret": reference}`): the input to send, resolved just before each call, so that no value
   * is in the plan. Apply sends the resolved input, keeps the resolved values out of everything it
   * reports, and calls `sent` once the call succeeded.
   */
  resolveInput?(call: PlannedCall, context: { clients: AwsClients; project: string }): Promise<ResolvedInput>;
}

/** A planned call's input as it is sent. */
export interface ResolvedInput {
  input: Record<string, unknown>;
  /** The values resolved into it, which no message may show. */
  secrets: readonly string[];
  /** After the call succeeded: e.g. record what was applied. */
  sent?(): void;
}
