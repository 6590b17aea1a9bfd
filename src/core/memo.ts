/** Entries a memo keeps at most: a process that plans many times must not grow without end. */
const REMEMBERED = 50_000;

/** `memo`'s value for `key`, computed the first time it is asked for (a full memo starts again). */
export function remembered<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  if (memo.has(key)) return memo.get(key)!;
  if (memo.size >= REMEMBERED) memo.clear();
  const value = compute();
  memo.set(key, value);
  return value;
}
