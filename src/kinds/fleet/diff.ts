/**
 * Three-way diff of a fleet: the declared values (managed), the live values, and the record of
 * what streamform applied last. Pure: no AWS, no clock.
 */
import { diffTags, type TagDelta } from '../../diff/collections.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { DiffSpec } from '../../core/plan.js';
import { attributeDelta } from '../resource.js';
import type { AttributeTable } from '../types.js';
import { FLEET_ATTRIBUTES, normalizeFleetAttribute, type FleetAttribute, type NormalFleet } from './normalize.js';

export interface DeclaredFleet {
  normal: NormalFleet;
  /** The keys compared: declared (null included) and not ignored. */
  compared: ReadonlySet<string>;
}

export interface FleetDelta {
  /** The UpdateFleet members' diffs (tags apart). */
  diffs: DiffSpec[];
  /** UpdateFleet's input: the changed values and AttributesToDelete; undefined when nothing changes. */
  update?: Record<string, unknown>;
  tags: TagDelta;
}

type Json = Record<string, unknown>;

export function diffFleet(name: string, desired: DeclaredFleet, live: NormalFleet, record: AppliedRecord | undefined, table: AttributeTable): FleetDelta {
  const delta = attributeDelta<FleetAttribute>({
    names: FLEET_ATTRIBUTES,
    table,
    want: desired.normal.attributes,
    have: live.attributes,
    declared: desired.compared,
    recorded: record?.a,
    absent: (attribute) => normalizeFleetAttribute(attribute, undefined),
  });
  const tags = diffTags(live.tags, desired.compared.has('Tags') ? desired.normal.tags : undefined, record?.t);
  return { diffs: delta.diffs, update: updateInput(name, delta.set, delta.clear, live, table), tags };
}

/** One UpdateFleet: changed values, plus AttributesToDelete for cleared ones (never both for one attribute). */
function updateInput(name: string, set: Partial<Record<FleetAttribute, unknown>>, clear: FleetAttribute[], live: NormalFleet, table: AttributeTable): Record<string, unknown> | undefined {
  const toDelete = clear.map((attribute) => (table[attribute].clear as { attribute: string }).attribute);
  // VpcConfig is updated member by member: security groups no longer wanted are deleted by name.
  const vpc = set.VpcConfig as Json | undefined;
  if (vpc && !vpc.SecurityGroupIds && (live.attributes.VpcConfig as Json | undefined)?.SecurityGroupIds) toDelete.push('VPC_CONFIGURATION_SECURITY_GROUP_IDS');
  if (!Object.keys(set).length && !toDelete.length) return undefined;
  return { Name: name, ...set, ...(toDelete.length ? { AttributesToDelete: toDelete } : {}) };
}
