/**
 * Three-way diff of a stack: the declared values (managed), the live values, and the record of
 * what streamform applied last. A declared value is managed; a declared null or empty list is
 * cleared; an undeclared attribute is left alone unless the record says streamform set it, in
 * which case it is cleared. Pure: no AWS, no clock.
 */
import type { DiffSpec } from '../../core/plan.js';
import type { AppliedRecord } from '../../core/ownership.js';
import {
  defaultUserSetting,
  normalizeStackAttribute,
  STACK_ATTRIBUTES,
  type NormalStack,
  type NormalStorageConnector,
  type NormalUserSetting,
  type StackAttribute,
} from './normalize.js';
import { sameValue } from '../../normalize/values.js';
import { diffTags, keyedDiff, keyedTargets, setDiff, type TagDelta } from '../../diff/collections.js';

/** The desired side: normalized values plus which keys the config declares (null included). */
export interface DeclaredStack {
  normal: NormalStack;
  declared: ReadonlySet<string>;
}

export interface StackDelta {
  diffs: DiffSpec[];
  /** UpdateStack members to send, with their normalized desired values. */
  set: Partial<Record<StackAttribute, unknown>>;
  /** Attributes to clear (no value wanted). */
  clear: StackAttribute[];
  /** Connector types to remove while the rest of StorageConnectors is sent in `set`. */
  removedConnectors: string[];
  /** Every targeted user setting to send, or "clear" to return all of them to the defaults. */
  userSettings?: NormalUserSetting[] | 'clear';
  associate: string[];
  disassociate: string[];
  tags: TagDelta;
}

const SET_LIKE: ReadonlySet<StackAttribute> = new Set(['StorageConnectors', 'AccessEndpoints', 'EmbedHostDomains']);

export function diffStack(desired: DeclaredStack, live: NormalStack, record: AppliedRecord | undefined): StackDelta {
  const delta: StackDelta = { diffs: [], set: {}, clear: [], removedConnectors: [], associate: [], disassociate: [], tags: { set: {}, remove: [] } };
  const recorded = new Set(record?.a);
  for (const attribute of STACK_ATTRIBUTES) {
    if (!desired.declared.has(attribute) && !recorded.has(attribute)) continue;
    const want = desired.declared.has(attribute) ? desired.normal.attributes[attribute] : normalizeStackAttribute(attribute, undefined);
    const have = live.attributes[attribute];
    if (sameValue(want, have)) continue;
    if (SET_LIKE.has(attribute)) {
      delta.diffs.push(setDiff(attribute, (have as unknown[] | undefined) ?? [], want as unknown[] | undefined));
    } else {
      delta.diffs.push({ path: attribute, ...(have !== undefined ? { before: have } : {}), after: want ?? null });
    }
    if (want === undefined) {
      delta.clear.push(attribute);
      continue;
    }
    delta.set[attribute] = want;
    if (attribute === 'StorageConnectors') {
      const kept = new Set((want as NormalStorageConnector[]).map((c) => c.ConnectorType));
      delta.removedConnectors = ((have as NormalStorageConnector[] | undefined) ?? []).map((c) => c.ConnectorType).filter((type) => !kept.has(type));
    }
  }
  diffUserSettings(desired, live, record, delta);
  diffFleets(desired, live, record, delta);
  delta.tags = diffTags(live.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, record?.t);
  if (delta.tags.diff) delta.diffs.push(delta.tags.diff);
  return delta;
}

/**
 * Only declared actions are compared (AWS adds actions over time, and lists every action); an
 * action streamform set before and no longer declared returns to the default, ENABLED.
 */
function diffUserSettings(desired: DeclaredStack, live: NormalStack, record: AppliedRecord | undefined, delta: StackDelta): void {
  const declared = desired.declared.has('UserSettings') ? desired.normal.userSettings : undefined;
  const targets = new Map<string, NormalUserSetting>();
  for (const [action, setting] of keyedTargets(live.userSettings, declared, record?.u)) targets.set(action, setting ?? defaultUserSetting(action));
  const { changed, diff } = keyedDiff('UserSettings', live.userSettings, targets, defaultUserSetting);
  if (!changed.length || !diff) return;
  delta.diffs.push({ ...diff, before: userSettingsShown(diff.before as Record<string, NormalUserSetting>), after: userSettingsShown(diff.after as Record<string, NormalUserSetting>) });
  const clearAll = declared !== undefined && Object.keys(declared).length === 0;
  delta.userSettings = clearAll ? 'clear' : [...targets.keys()].sort().map((action) => targets.get(action)!);
}

/** A declared Fleets list is the whole set; without one, only the fleets streamform associated are let go. */
function diffFleets(desired: DeclaredStack, live: NormalStack, record: AppliedRecord | undefined, delta: StackDelta): void {
  const have = live.fleets ?? [];
  let want: string[];
  if (desired.declared.has('Fleets')) want = desired.normal.fleets ?? [];
  else if (record?.f?.length) want = have.filter((fleet) => !record.f!.includes(fleet));
  else return;
  const diff = setDiff('Fleets', have, want);
  if (!diff.added!.length && !diff.removed!.length) return;
  delta.diffs.push(diff);
  delta.associate = diff.added as string[];
  delta.disassociate = diff.removed as string[];
}

/** User settings as a reviewer reads them: by action, without repeating the action in each value. */
export function userSettingsShown(settings: Record<string, NormalUserSetting> | undefined): Record<string, Omit<NormalUserSetting, 'Action'>> {
  return Object.fromEntries(Object.entries(settings ?? {}).map(([action, { Action: _, ...rest }]) => [action, rest]));
}
