/**
 * Tag keys nobody manages: on a resource whose Tags the config declares, the keys that are neither
 * declared nor in the last-applied record (those are about to be removed) were set outside
 * streamform. Plan keeps them, as three-way diffing should; teams with tag policies want to see them.
 */
import type { Config } from '../config/types.js';
import type { LiveState } from '../core/live.js';
import { isToolTag, ownerOf, ownRecord, type Tags } from '../core/ownership.js';
import type { UnmanagedTags } from '../core/plan.js';
import { addressOf, declarationsOf, KINDS } from '../kinds/index.js';
import { sortedBy } from '../kinds/resource.js';
import type { ImportContext } from '../kinds/types.js';

/** Each declared resource's unmanaged tag keys, by address; only resources whose tags describe read, this project's or unowned. */
export function unmanagedTags(config: Config, live: LiveState): UnmanagedTags[] {
  const found: UnmanagedTags[] = [];
  for (const kind of KINDS) {
    const declaredTags = new Map<string, Record<string, unknown>>();
    for (const { resource } of declarationsOf(kind, config)) {
      // Every kind that has tags declares them as Tags (the config's one spelling); only their keys count here.
      // An empty declaration removes every tag: nothing is left unmanaged.
      const tags = resource.Tags as Record<string, unknown> | null | undefined;
      if (tags && Object.keys(tags).length) declaredTags.set(addressOf(kind, (name) => resource[name]), tags);
    }
    if (!declaredTags.size) continue;
    for (const [address, tags] of liveTags(kind, live)) {
      const declared = declaredTags.get(address);
      if (!declared) continue;
      const undeclared = Object.keys(tags).filter((key) => !isToolTag(key) && !key.startsWith('aws:') && !Object.hasOwn(declared, key));
      // Most resources carry only what they declare: their record is read only when something is left.
      if (!undeclared.length) continue;
      const owner = ownerOf(tags);
      if (owner !== undefined && owner !== config.project) continue;
      const recorded = new Set(ownRecord(config.project, tags)?.t ?? []);
      const keys = undeclared.filter((key) => !recorded.has(key));
      if (keys.length) found.push({ address, keys: keys.sort() });
    }
  }
  return sortedBy(found, (r) => r.address);
}

/**
 * The tags of each live resource of a kind, by address, as the kind's import hands them over (its
 * one generic view of "this live resource, these tags"); nothing is declared, so nothing is built.
 */
function liveTags(kind: (typeof KINDS)[number], live: LiveState): Map<string, Tags> {
  const tags = new Map<string, Tags>();
  const ignore = () => undefined;
  const ctx: ImportContext = {
    project: '',
    declare: (address, found) => (found && tags.set(address, found), undefined),
    note: ignore,
    leaveOut: ignore,
    unrecorded: {
      attribute: () => false,
      userSetting: () => false,
      tag: () => false,
      list: () => false,
    },
  };
  kind.import(live, ctx);
  return tags;
}
