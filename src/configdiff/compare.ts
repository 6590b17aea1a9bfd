/**
 * The semantic difference between two configs, without AWS: each side's declared values are
 * normalized the way the plan normalizes them (service defaults, set-like lists as sets, empty as
 * cleared), so reordering, reformatting or moving a resource to another file is no change.
 *
 * Three states of an attribute are kept apart, because they plan differently: absent (not managed),
 * `null` (cleared) and a value.
 */
import type { Config, LoadedConfig } from '../config/types.js';
import { setDiff } from '../diff/collections.js';
import { addressOf, declarationsOf, KINDS, kindNamed } from '../kinds/index.js';
import { replacing } from '../kinds/resource.js';
import { sameValue } from '../normalize/values.js';
import type { DiffSpec, ResourceKind, SourceLocation } from '../core/plan.js';

export const CONFIG_DIFF_FORMAT_VERSION = '1';

/** What HEAD does to a resource compared with BASE. */
export type ConfigChangeKind = 'added' | 'changed' | 'replaced' | 'removed';

export interface ConfigChange {
  address: string;
  kind: ResourceKind;
  change: ConfigChangeKind;
  /** Why a change means more than it says (a replacement, a removal and what prune does with it). */
  reason?: string;
  /** `before` is BASE, `after` is HEAD; a key left out is not declared, `null` is cleared. */
  diffs: DiffSpec[];
  /** Where the resource stands in HEAD (in BASE when removed). */
  source: SourceLocation;
}

export interface ConfigDiff {
  formatVersion: typeof CONFIG_DIFF_FORMAT_VERSION;
  base: { files: string[] };
  head: { files: string[] };
  /** project, region, prune. */
  settings: DiffSpec[];
  changes: ConfigChange[];
  summary: Record<ConfigChangeKind, number>;
}

export function hasConfigChanges(diff: ConfigDiff): boolean {
  return diff.settings.length > 0 || diff.changes.length > 0;
}

/** One declared resource: its identity, where it stands, and its normalized declared values by attribute. */
interface DeclaredResource {
  address: string;
  kind: ResourceKind;
  pointer: string;
  values: Record<string, unknown>;
}

export function compareConfigs(base: LoadedConfig, head: LoadedConfig): ConfigDiff {
  const before = new Map(declaredResources(base.config).map((r) => [r.address, r]));
  const after = new Map(declaredResources(head.config).map((r) => [r.address, r]));
  const prune = head.config.prune === true;
  const changes: ConfigChange[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort(compare)) {
    const old = before.get(address);
    const now = after.get(address);
    const resource = (now ?? old)!;
    const table = kindNamed(resource.kind)!.attributes;
    const diffs = attributeDiffs(old?.values ?? {}, now?.values ?? {});
    if (old && now && diffs.length === 0) continue;
    const source = now ? head.locate(now.pointer) : base.locate(old!.pointer);
    const replacedBy = old && now ? replacing(table, diffs) : undefined;
    const change: ConfigChangeKind = !old ? 'added' : !now ? 'removed' : replacedBy ? 'replaced' : 'changed';
    const reason =
      change === 'removed'
        ? prune
          ? 'no longer declared: prune deletes it if this project owns it'
          : 'no longer declared: it stays as it is, unmanaged (prune is off)'
        : replacedBy
          ? `${replacedBy.path} cannot change in place: apply creates a new one, then deletes the old one`
          : undefined;
    changes.push({ address, kind: resource.kind, change, ...(reason ? { reason } : {}), diffs, source });
  }
  const summary: Record<ConfigChangeKind, number> = { added: 0, changed: 0, replaced: 0, removed: 0 };
  for (const change of changes) summary[change.change]++;
  return {
    formatVersion: CONFIG_DIFF_FORMAT_VERSION,
    base: { files: base.files },
    head: { files: head.files },
    settings: attributeDiffs(settings(base.config), settings(head.config)),
    changes,
    summary,
  };
}

function settings(config: Config): Record<string, unknown> {
  // Leaving prune out is the same as prune: false; leaving region out defers to the SDK's default.
  return { project: config.project, region: config.region, prune: config.prune ?? false };
}

/** The JSON pointer of each declared resource ("/stacks/2"), by plan address. */
export function declaredPointers(config: Config): Map<string, string> {
  return new Map(declaredResources(config).map((resource) => [resource.address, resource.pointer]));
}

function declaredResources(config: Config): DeclaredResource[] {
  return KINDS.flatMap((kind) =>
    declarationsOf(kind, config).map(({ resource, pointer }) => ({
      address: addressOf(kind, (name) => resource[name]),
      kind: kind.name,
      pointer,
      values: kind.declaredValues(resource),
    })),
  );
}

function attributeDiffs(before: Record<string, unknown>, after: Record<string, unknown>): DiffSpec[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return paths
    .filter((path) => !sameValue(before[path], after[path]))
    .map((path) => {
      const [old, now] = [before[path], after[path]];
      if (Array.isArray(old) && Array.isArray(now)) return setDiff(path, old, now);
      return { path, ...(old !== undefined ? { before: old } : {}), ...(now !== undefined ? { after: now } : {}) };
    });
}

/** Code-point order: the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
