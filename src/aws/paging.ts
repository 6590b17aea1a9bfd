/** Reading in bulk: every page of a listing, and many independent reads with a bounded pool. */

/** Follows the token until the last page (no token, or an empty one). */
export async function allPages<T>(fetchPage: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.next || undefined;
  } while (token);
  return items;
}

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
