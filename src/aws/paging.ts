/** Reading in bulk: every page of a listing, and many independent reads with a bounded pool. */

/** Follows the token until the last page (no token, or an empty one); `names` say who and what in a paging error. */
export async function allPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>,
  names: { who: string; what: string } = { who: 'the endpoint', what: 'page token' },
): Promise<T[]> {
  const items: T[] = [];
  const tokens = pageTokens(names.who, names.what);
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = tokens.next(page.next);
  } while (token);
  return items;
}

/** More pages than any listing of an account can have (AppStream's quotas are in the thousands). */
export const MAX_PAGES = 10_000;

/**
 * Checks each next-page token of one listing: a server that hands out a token it gave before, or
 * pages without end, would keep the listing going forever. `who` and `what` name them in the error.
 */
export function pageTokens(who: string, what: string): { next(token: string | undefined): string | undefined } {
  const seen = new Set<string>();
  return {
    next(token) {
      if (!token) return undefined;
      if (seen.has(token)) throw new Error(`${who} returned the ${what} '${clip(token)}' a second time; stopped paging, which would never end`);
      if (seen.size + 1 >= MAX_PAGES) throw new Error(`${who} returned more than ${MAX_PAGES.toLocaleString('en-US')} pages; stopped paging`);
      seen.add(token);
      return token;
    },
  };
}

const clip = (token: string) => (token.length > 40 ? `${token.slice(0, 37)}...` : token);

/** At most this many reads in flight per batch: enough to hide latency, few enough not to be throttled. */
export const DESCRIBE_CONCURRENCY = 8;

/** Runs `task` for every item, at most `limit` at a time; results in input order. */
export async function mapPool<T, R>(items: readonly T[], task: (item: T) => Promise<R>, limit = DESCRIBE_CONCURRENCY): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
