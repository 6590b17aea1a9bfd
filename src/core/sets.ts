/**
 * The lists of a config whose order means nothing, each with what identifies an element in it.
 * Validation rejects an element declared twice; the digest sorts them, so a reordered config is
 * the same config. `path` walks the config; `*` stands for every element of a list.
 */
export interface SetList {
  path: readonly string[];
  /** What an element is called in a message: "stack", "connector type", … */
  noun: string;
  /** The element's identity, or undefined when the element is malformed (the schema reports it). */
  key(element: unknown): string | undefined;
}

export const itself = (element: unknown) => (typeof element === 'string' ? element : undefined);
export const field =
  (...names: string[]) =>
  (element: unknown) => {
    if (typeof element !== 'object' || element === null) return undefined;
    const values = names.map((name) => (element as Record<string, unknown>)[name]);
    return values.every((v) => typeof v === 'string' || v === undefined) ? values.map((v) => v ?? '').join('/') : undefined;
  };
