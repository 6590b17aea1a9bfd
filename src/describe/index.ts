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
import { chooseTagReader, isAccessDenied, readTags, readTagsInBulk } from '../aws/tags.js';
import { mapPool } from '../aws/paging.js';
import type { Config } from '../config/types.js';
import { KINDS, type KindDefinition } from '../kinds/index.js';
import type { DescribeContext, Tagged } from '../kinds/types.js';
import { UserError } from '../core/errors.js';
import type { LiveState } from '../core/live.js';

export type { LiveState, DescribeError, TagSource } from '../core/live.js';

export interface DescribeOptions {
  prune: boolean;
  /** Told once about anything the user should know that is not an error (e.g. a slower fallback). */
  onNotice?: (message: string) => void;
  /**
   * Which of these addresses (read with bulk tags) the plan would report: changed, adopted or in
   * error. They are read again one by one first, since bulk tags are eventually consistent. The
   * planner answers it; describe does not plan.
   */
  reported?: (live: LiveState, addresses: ReadonlySet<string>) => Set<string>;
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
  const ctx: DescribeContext = {
    config,
    clients,
    live,
    prune: options.prune,
    fail: (address, operation, error) => live.errors.push({ address, message: `${operation} failed: ${awsErrorMessage(error)}` }),
    readTags: async () => [],
  };
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
  const tagReader = sharedTagReader(ctx, kinds, options, {
    accountListedSoFar: () => kinds.filter((kind) => kind.describe.tags?.listing === 'account').reduce((sum, kind) => sum + (progress.get(kind) ?? 0), 0),
    listed: Promise.all(listings).then(
      () => true,
      () => false,
    ),
  });
  ctx.readTags = tagReader;
  // Each kind's details follow as soon as its own listing and tags are in.
  const tagged = await Promise.all(
    kinds.map(async (kind, i) => {
      await listings[i];
      const tags = kind.describe.tags ? await ctx.readTags(kind.describe.tags.needing(ctx)) : [];
      await kind.describe.details?.(ctx);
      return tags;
    }),
  );
  // Bulk tags are eventually consistent: whatever they would make the plan report is read again, alone.
  const bulkTagged = tagged.flat().filter((r) => r.target.tagSource === 'bulk');
  const confirm = bulkTagged.length && options.reported ? worthReporting(live, options.reported, bulkTagged) : [];
  if (confirm.length) {
    await readEach(ctx, confirm);
    await Promise.all(kinds.map((kind) => kind.describe.details?.(ctx)));
  }
  const account = accountOf(live) ?? (await callerAccount(clients));
  if (account) live.account = account;
  return live;
}

/** A kind is read when the config declares it, or when prune may delete what it owns. */
export function isRead(kind: KindDefinition, config: Config, prune: boolean): boolean {
  if (kind.describe.needed) return kind.describe.needed(config, prune);
  const declared = (config as unknown as Record<string, unknown[] | undefined>)[kind.list]?.length ?? 0;
  // Stacks are always listed: ownership and prune decisions need the account's stacks.
  return declared > 0 || prune || kind.describe.tags?.listing === 'account';
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
): (resources: Tagged[]) => Promise<Tagged[]> {
  let listingDone = false;
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
        onNotice?.(`GetResources is not allowed (${awsErrorMessage(error)}); reading tags with one ListTagsForResource per resource instead`);
        return undefined;
      })
    : Promise.resolve(undefined);
  // A listing may fail first and end the plan before anyone waits for the bulk read: not an unhandled rejection.
  bulk.catch(() => undefined);
  return async (resources) => {
    const byArn = await bulk;
    if (!byArn) {
      await readEach(ctx, resources);
      return resources;
    }
    for (const { arn, target } of resources) {
      target.tags = byArn.get(arn) ?? {};
      target.tagSource = 'bulk';
    }
    return resources;
  };
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

/** Bulk-tagged resources the plan would show as changed, adopted or in error. */
function worthReporting(live: LiveState, reported: NonNullable<DescribeOptions['reported']>, bulkTagged: Tagged[]): Tagged[] {
  const failed = new Set(live.errors.map((e) => e.address));
  const shown = reported(live, new Set(bulkTagged.map((r) => r.address)));
  return bulkTagged.filter((r) => shown.has(r.address) && !failed.has(r.address));
}

/** The account, read from a listed stack's ARN: the credentials reach it. */
function accountOf(live: LiveState): string | undefined {
  for (const { stack } of Object.values(live.stacks)) if (stack.Arn) return stack.Arn.split(':')[4] || undefined;
  return undefined;
}

/** An account with no stack to read it from asks STS; the plan binds a saved plan to it. */
async function callerAccount(clients: AwsClients): Promise<string | undefined> {
  try {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    return (await clients.sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch {
    // Unknown: a saved plan without an account is refused by apply, and a plan is still shown.
    return undefined;
  }
}
