import { ServiceError } from './errors.js';

/**
 * One page of `items`, in the order of `key`. The token names the last key served, so it changes
 * from page to page, survives creates and deletes between pages, and is absent on the last page.
 */
export function paginate<T>(
  items: T[],
  key: (item: T) => string,
  token: string | undefined,
  size: number,
  invalidTokenError: string,
): { items: T[]; next?: string } {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let start = 0;
  if (token !== undefined) {
    const after = decode(token);
    if (after === undefined) throw new ServiceError(invalidTokenError, `Invalid pagination token: ${token}`);
    start = sorted.findIndex((item) => key(item) > after);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + size);
  const more = start + size < sorted.length;
  return { items: page, ...(more ? { next: encode(key(page[page.length - 1])) } : {}) };
}

const encode = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');

function decode(token: string): string | undefined {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof after === 'string' ? after : undefined;
  } catch {
    return undefined;
  }
}
