/** Entries a memo keeps at most: a process that plans many times must not grow without end. */
const REMEMBERED = 50_000;

/** `memo`'s value for `key`, computed the first time it is asked for (a full memo starts again). */
export function remembered<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  const known = memo.get(key);
  // One lookup on the hot path; a value that is undefined is told by has().
  if (known !== undefined || memo.has(key)) return known as V;
  if (memo.size >= REMEMBERED) memo.clear();
  const value = compute();
  memo.set(key, value);
  return value;
}

/**
 * `derive(key, ...args)`, made once per object and arguments (the last ones asked for): for what is
 * derived from a loaded declaration, which is never mutated, in every pass of a plan and in every
 * target that shares the declaration. `args` are whatever else the value depends on. The value is
 * frozen, so that a caller that would change it for the next one fails instead.
 */
export function perDeclaration<K extends object, A extends string[], V extends object>(derive: (key: K, ...args: A) => V): (key: K, ...args: A) => V {
  const made = new WeakMap<K, { variant: string; value: V }>();
  return (key, ...args) => {
    const variant = args.join('\0');
    const hit = made.get(key);
    if (hit?.variant === variant) return hit.value;
    const value = deepFrozen(derive(key, ...args));
    made.set(key, { variant, value });
    return value;
  };
}

/** Plain objects and arrays frozen all the way down (a Set is left as it is: nothing freezes one). */
function deepFrozen<V>(value: V): V {
  if (typeof value !== 'object' || value === null || value instanceof Set || value instanceof Map) return value;
  for (const inner of Object.values(value)) deepFrozen(inner);
  return Object.freeze(value);
}
