import { childPointer } from './pointer.js';

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

const itself = (element: unknown) => (typeof element === 'string' ? element : undefined);
const field =
  (...names: string[]) =>
  (element: unknown) => {
    if (typeof element !== 'object' || element === null) return undefined;
    const values = names.map((name) => (element as Record<string, unknown>)[name]);
    return values.every((v) => typeof v === 'string' || v === undefined) ? values.map((v) => v ?? '').join('/') : undefined;
  };

export const SET_LISTS: readonly SetList[] = [
  { path: ['stacks'], noun: 'stack', key: field('Name') },
  { path: ['images'], noun: 'image', key: field('Name') },
  { path: ['streamingImages'], noun: 'streaming image (StudioId/Name)', key: field('StudioId', 'Name') },
  { path: ['stacks', '*', 'StorageConnectors'], noun: 'connector type', key: field('ConnectorType') },
  { path: ['stacks', '*', 'StorageConnectors', '*', 'Domains'], noun: 'domain', key: itself },
  { path: ['stacks', '*', 'StorageConnectors', '*', 'DomainsRequireAdminConsent'], noun: 'domain', key: itself },
  { path: ['stacks', '*', 'UserSettings'], noun: 'action', key: field('Action') },
  { path: ['stacks', '*', 'AccessEndpoints'], noun: 'access endpoint (EndpointType/VpceId)', key: field('EndpointType', 'VpceId') },
  { path: ['stacks', '*', 'EmbedHostDomains'], noun: 'domain', key: itself },
  { path: ['stacks', '*', 'ContentRedirection', 'HostToClient', 'AllowedUrls'], noun: 'URL pattern', key: itself },
  { path: ['stacks', '*', 'ContentRedirection', 'HostToClient', 'DeniedUrls'], noun: 'URL pattern', key: itself },
  { path: ['stacks', '*', 'AgentAccessConfig', 'Settings'], noun: 'agent action', key: field('AgentAction') },
  { path: ['stacks', '*', 'Fleets'], noun: 'fleet', key: itself },
  { path: ['images', '*', 'SharedWith'], noun: 'account', key: field('AccountId') },
];

/** Every value at `path` in `value`, with its JSON pointer; `*` goes through every element of a list. */
export function* valuesAt(value: unknown, path: readonly string[], pointer = ''): Generator<{ pointer: string; value: unknown }> {
  if (path.length === 0) {
    if (value !== undefined) yield { pointer, value };
    return;
  }
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(value)) for (const [i, element] of value.entries()) yield* valuesAt(element, rest, childPointer(pointer, i));
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    yield* valuesAt((value as Record<string, unknown>)[head], rest, childPointer(pointer, head));
  }
}

/** Every list at `path`; anything else there is skipped (the schema reports it). */
export function* listsAt(value: unknown, path: readonly string[]): Generator<{ pointer: string; list: unknown[] }> {
  for (const found of valuesAt(value, path)) if (Array.isArray(found.value)) yield { pointer: found.pointer, list: found.value };
}
