/**
 * The describe stage, the only one that calls AWS for a plan: reads what the plan needs and nothing
 * more, each thing once, and each as soon as what it depends on is in. Every kind's listing runs at
 * once; AppStream tags are read alongside them through one reader shared by the kinds that carry
 * them (in bulk when the config is large enough for that to pay whatever the account holds, else
 * once the listings tell which way is cheaper); each kind's details follow its own listing and tags.
 * A failure to read one resource is recorded for it; a failure to list what prune and ownership
 * depend on (the account's stacks) ends the plan.
 */
import type { AwsClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { chooseTagReader, isAccessDenied, readOwnedTags, readTags, readTagsInBulk, type BulkTags } from '../aws/tags.js';
import { mapPool } from '../aws/paging.js';
import { stsSdk } from '../aws/sdk.js';
import type { Config } from '../config/types.js';
import { KINDS, type KindDefinition } from '../kinds/index.js';
import type { DescribeContext, KindTags, Tagged } from '../kinds/types.js';
import { UserError } from '../core/errors.js';
import type { LiveState } from '../core/live.js';
import { reportedIn, type Plan } from '../core/plan.js';

export type { LiveState, DescribeError, TagSource } from '../core/live.js';

export interface DescribeOptions {
  prune: boolean;
  /** Told once about anything the user should know that is not an error (e.g. a slower fallback). */
  onNotice?: (message: string) => void;
  /** Told what is being read: each kind read and how many of it are listed so far, at the start and as pages come in. */
  onProgress?: (reading: readonly DescribeProgress[]) => void;
}

export interface DescribeProgress {
  kind: KindDefinition;
  listed: number;
}

/**
 * From this many declared stacks and images, tags are read in bulk while the stacks are still being
 * listed: reading them one by one would be cheaper only in an account with about a hundred times as
 * many stacks, and then the early pages stop before they number as many as those reads.
 */
export const EARLY_BULK_AT = 10;

/** The live state before anything is read: every kind's empty section. */
export function emptyLive(): LiveState {
  return Object.fromEntries([...KINDS.map((kind) => [kind.list, kind.emptyLive()]), ['errors', []]]) as LiveState;
}

export async function describeLive(config: Config, clients: AwsClients, options: DescribeOptions): Promise<LiveState> {
  const live = emptyLive();
  const ctx = describeContext(config, clients, live, options.prune);
  const kinds = KINDS.filter((kind) => isRead(kind, config, options.prune));
  const progress = new Map<KindDefinition, number>();
  const report = () => options.onProgress?.(kinds.map((kind) => ({ kind, listed: progress.get(kind) ?? 0 })));
  report();
  const listings = kinds.map((kind) =>
    kind.describe.list(ctx, (listed) => {
      progress.set(kind, listed);
      report();
    }),
  );
  const listingByList = new Map<string, Promise<void>>(kinds.map((kind, i) => [kind.list, listings[i].catch(() => undefined)]));
  ctx.listingOf = (list) => listingByList.get(list);
  const tagReader = sharedTagReader(ctx, kinds, options, {
    accountListedSoFar: () => kinds.filter((kind) => kind.describe.tags?.listing === 'account').reduce((sum, kind) => sum + (progress.get(kind) ?? 0), 0),
    listed: Promise.all(listings).then(
      () => true,
      () => false,
    ),
  });
  ctx.readTags = tagReader.read;
  const owners = options.prune ? undefined : tellOwners(ctx, kinds, { bulk: tagReader.bulk, listed: Promise.all(listings) }, options.onNotice);
  // A listing may fail first and end the plan before anyone waits for this: not an unhandled rejection.
  owners?.catch(() => undefined);
  // Each kind's details follow as soon as its own listing and tags are in.
  await Promise.all(
    kinds.map(async (kind, i) => {
      await listings[i];
      if (kind.describe.tags) await ctx.readTags(kind.describe.tags.needing(ctx));
      await kind.describe.details?.(ctx);
    }),
  );
  await owners;
  const account = accountOf(live) ?? (await callerAccount(clients));
  if (account) live.account = account;
  return live;
}

function describeContext(config: Config, clients: AwsClients, live: LiveState, prune: boolean): DescribeContext {
  return {
    config,
    clients,
    live,
    prune,
    fail: (address, operation, error) => live.errors.push({ address, message: `${operation} failed: ${awsErrorMessage(error)}` }),
    readTags: async () => [],
    listingOf: () => undefined,
  };
}

/**
 * `plan(live)`, with the tags it reports on confirmed: bulk tags are eventually consistent, so the
 * resources whose tags came in bulk and that the plan reports (changed, adopted or in error) are
 * read again one by one, with what depends on their tags, and planned again. In the usual case,
 * where the plan reports none of them, it is planned once. Describe does not plan: the caller does.
 */
export async function planConfirmingTags(config: Config, clients: AwsClients, live: LiveState, prune: boolean, plan: (live: LiveState) => Plan): Promise<Plan> {
  const first = plan(live);
  const ctx = describeContext(config, clients, live, prune);
  const reported = reportedIn(first);
  const failed = new Set(live.errors.map((e) => e.address));
  const kinds = KINDS.filter((kind) => isRead(kind, config, prune));
  const again = kinds
    .flatMap((kind) => kind.describe.tags?.needing(ctx) ?? [])
    .filter((r) => r.target.tagSource === 'bulk' && reported.has(r.address) && !failed.has(r.address));
  if (!again.length) return first;
  await readEach(ctx, again);
  await Promise.all(kinds.map((kind) => kind.describe.details?.(ctx)));
  return plan(live);
}

/** A kind is read when the config declares it, or when prune may delete what it owns. */
export function isRead(kind: KindDefinition, config: Config, prune: boolean): boolean {
  if (kind.describe.needed) return kind.describe.needed(config, prune);
  const declared = (config as unknown as Record<string, unknown[] | undefined>)[kind.list]?.length ?? 0;
  // Stacks are always listed: ownership and prune decisions need the account's stacks.
  return declared > 0 || prune || kind.describe.tags?.listing === 'account';
}

interface SharedTagReader {
  read(resources: Tagged[]): Promise<Tagged[]>;
  /** The bulk read's answer: undefined when tags are read one by one, 'denied' when the tagging API may not be used. */
  bulk: Promise<BulkTags | 'denied' | undefined>;
}

/**
 * Reads the tags of the resources it is given, from one bulk read shared by all kinds, or one call
 * each. Whether to read in bulk is settled once the listings are `listed` (false when they failed);
 * a large config starts the bulk read before, while what is listed so far leaves it likely to pay.
 */
function sharedTagReader(
  ctx: DescribeContext,
  kinds: KindDefinition[],
  { prune, onNotice }: DescribeOptions,
  listing: { accountListedSoFar: () => number; listed: Promise<boolean> },
): SharedTagReader {
  let listingDone = false;
  let denied = false;
  void listing.listed.then(() => (listingDone = true));
  const tagged = kinds.filter((kind) => kind.describe.tags).map((kind) => ({ kind, tags: kind.describe.tags! }));
  const declaredOf = (listingKind: 'account' | 'declared') =>
    tagged.filter(({ tags }) => tags.listing === listingKind).reduce((sum, { tags }) => sum + tags.declared(ctx.config), 0);
  const declared = { account: declaredOf('account'), named: declaredOf('declared') };
  // Early pages stop once what is listed so far, or the pages read, show reading one by one may be fewer calls.
  const bulkStillLikely = (pagesRead: number) => {
    const accountResources = listing.accountListedSoFar();
    const account = prune ? Math.max(accountResources, declared.account) : declared.account;
    return (
      declared.account + declared.named >= EARLY_BULK_AT &&
      pagesRead + 1 < account + declared.named &&
      chooseTagReader({ accountResources, account, named: declared.named }) === 'bulk'
    );
  };
  const needs = () => {
    let account = 0;
    let named = 0;
    for (const { tags } of tagged) {
      if (tags.listing === 'account') account += tags.needing(ctx).length;
      else named += tags.needing(ctx).length;
    }
    return { account, named };
  };
  const proceed = async (pagesRead: number) => {
    if (!listingDone && bulkStillLikely(pagesRead)) return true;
    if (!(await listing.listed)) return false;
    return chooseTagReader({ accountResources: listing.accountListedSoFar(), ...needs(), pagesRead }) === 'bulk';
  };
  const resourceTypes = () =>
    tagged
      .filter(({ tags }) => (listingDone ? tags.needing(ctx).length > 0 : tags.declared(ctx.config) > 0 || (prune && tags.listing === 'account')))
      .map(({ tags }) => tags.resourceType);
  const bulk = tagged.length
    ? readTagsInBulk(ctx.clients.tagging, resourceTypes, proceed).catch((error: unknown) => {
        if (!isAccessDenied(error)) throw new UserError(`cannot read tags in bulk (GetResources): ${awsErrorMessage(error)}`);
        denied = true;
        const untold = prune ? '' : ', and owned resources no longer declared are told only by --prune';
        onNotice?.(`GetResources is not allowed (${awsErrorMessage(error)}); reading tags with one ListTagsForResource per resource instead${untold}`);
        return undefined;
      })
    : Promise.resolve(undefined);
  // A listing may fail first and end the plan before anyone waits for the bulk read: not an unhandled rejection.
  bulk.catch(() => undefined);
  const read = async (resources: Tagged[]) => {
    const found = await bulk;
    if (!found) {
      await readEach(ctx, resources);
      return resources;
    }
    for (const { arn, target } of resources) {
      target.tags = found.byArn.get(arn) ?? {};
      target.tagSource = 'bulk';
    }
    return resources;
  };
  return { read, bulk: bulk.then((found) => (denied ? 'denied' : found)) };
}

type AccountTags = Extract<KindTags, { listing: 'account' }>;

/**
 * Without prune, tells which listed resources the plan does not need are this project's, so the plan
 * can say what prune would delete: from the bulk read where it asked their type (no call), else
 * from one GetResources filtered by the owner tag (one call a hundred owned resources) for the types
 * it did not ask, of the kinds read and of those not read at all (found by their owner tag only).
 * It only informs: when it cannot be told, a notice says so and the plan goes on.
 */
async function tellOwners(
  ctx: DescribeContext,
  kinds: KindDefinition[],
  read: { bulk: SharedTagReader['bulk']; listed: Promise<unknown> },
  onNotice: DescribeOptions['onNotice'],
): Promise<void> {
  const [found] = await Promise.all([read.bulk, read.listed]);
  // Said once already, with the bulk read's refusal.
  if (found === 'denied') return;
  const accountTags = ({ describe: { tags } }: KindDefinition) => (tags?.listing === 'account' ? tags : undefined);
  const untold = new Map<string, { kind: KindDefinition; tags: AccountTags; listed?: Tagged[] }>();
  for (const kind of KINDS) {
    const tags = accountTags(kind);
    if (!tags) continue;
    if (!kinds.includes(kind)) {
      untold.set(tags.resourceType, { kind, tags });
      continue;
    }
    // The resources the plan needs have their tags read already, by the shared reader.
    const needed = new Set(tags.needing(ctx).map(({ address }) => address));
    const listed = tags.listed(ctx.live).filter(({ address }) => !needed.has(address));
    if (!found?.types.has(tags.resourceType)) {
      if (listed.length) untold.set(tags.resourceType, { kind, tags, listed });
      continue;
    }
    for (const { arn, target } of listed) {
      target.tags = found.byArn.get(arn) ?? {};
      target.tagSource = 'bulk';
    }
  }
  if (!untold.size) return;
  let owned: Map<string, Record<string, string>>;
  try {
    owned = await readOwnedTags(ctx.clients.tagging, [...untold.keys()], ctx.config.project);
  } catch (error) {
    onNotice?.(`cannot tell which resources this project owns but no longer declares (GetResources): ${awsErrorMessage(error)}`);
    return;
  }
  const byArn = new Map([...untold.values()].flatMap(({ listed }) => (listed ?? []).map((r) => [r.arn, r.target] as const)));
  for (const [arn, tags] of owned) {
    const target = byArn.get(arn);
    if (target) {
      target.tags = tags;
      target.tagSource = 'bulk';
      continue;
    }
    // Of a kind not read, nothing is declared: prune would delete it.
    const type = untold.get(resourceTypeOf(arn));
    if (type && !type.listed) (ctx.live.ownedUnread ??= []).push({ address: type.tags.addressOf(arn), kind: type.kind.name });
  }
}

/** "appstream:stack" of arn:aws:appstream:us-east-1:123456789012:stack/design. */
function resourceTypeOf(arn: string): string {
  const [, , service, , , resource] = arn.split(':');
  return `${service}:${resource?.split('/')[0]}`;
}

async function readEach(ctx: DescribeContext, resources: Tagged[]): Promise<void> {
  await mapPool(resources, async ({ address, arn, target }) => {
    try {
      target.tags = await readTags(ctx.clients.appstream, arn);
      target.tagSource = 'resource';
    } catch (error) {
      ctx.fail(address, 'ListTagsForResource', error);
    }
  });
}

/** The account, read from a listed stack's ARN: the credentials reach it. */
function accountOf(live: LiveState): string | undefined {
  for (const { stack } of Object.values(live.stacks)) if (stack.Arn) return stack.Arn.split(':')[4] || undefined;
  return undefined;
}

/** An account with no stack to read it from asks STS; the plan binds a saved plan to it. */
async function callerAccount(clients: AwsClients): Promise<string | undefined> {
  try {
    const { GetCallerIdentityCommand } = stsSdk();
    return (await clients.sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch {
    // Unknown: a saved plan without an account is refused by apply, and a plan is still shown.
    return undefined;
  }
}
