/**
 * The fleet's attribute table, as data. UpdateFleet's documentation says which members a RUNNING
 * fleet accepts, and that they differ by fleet type; everything else needs a STOPPED fleet, and
 * stopping ends every session. FleetType cannot change at all (nor Name, the identity).
 */
import type { AttributeFacts, AttributeTable } from '../types.js';

export const FLEET_TYPES = ['ALWAYS_ON', 'ON_DEMAND', 'ELASTIC'] as const;
export type FleetType = (typeof FLEET_TYPES)[number];

/** What CreateFleet assumes when FleetType is left out. */
export const DEFAULT_FLEET_TYPE: FleetType = 'ON_DEMAND';

/**
 * Values the service gives a fleet when CreateFleet leaves them out (AWS's documented and console
 * defaults): they compare equal to "absent", import leaves them out, and removing a managed one
 * from the config sets it back.
 */
export const FLEET_DEFAULTS = {
  MaxUserDurationInSeconds: 57_600,
  DisconnectTimeoutInSeconds: 900,
  IdleDisconnectTimeoutInSeconds: 0,
  EnableDefaultInternetAccess: false,
  StreamView: 'APP',
  DisableIMDSV1: false,
} as const;

interface FleetFacts extends Omit<AttributeFacts, 'impact'> {
  /** The fleet types that accept a change of it while RUNNING, or `replace`: it never changes in place. */
  whileRunning: readonly FleetType[] | 'replace';
}

const ALL = FLEET_TYPES;
const INSTANCES: readonly FleetType[] = ['ALWAYS_ON', 'ON_DEMAND'];
const ELASTIC: readonly FleetType[] = ['ELASTIC'];
const STOPPED_ONLY: readonly FleetType[] = [];
const scalar = 'scalar' as const;
const deleted = (attribute: string) => ({ attribute });
const reset = (value: unknown) => ({ value });

const FACTS: Record<string, FleetFacts> = {
  ImageName: { compare: scalar, clear: 'none', whileRunning: INSTANCES },
  ImageArn: { compare: scalar, clear: 'none', whileRunning: INSTANCES },
  // Resolved to an ImageName at plan time, and compared as one.
  LatestImage: { compare: scalar, clear: 'none', whileRunning: INSTANCES },
  InstanceType: { compare: scalar, clear: 'none', whileRunning: STOPPED_ONLY },
  FleetType: { compare: scalar, clear: 'none', whileRunning: 'replace' },
  ComputeCapacity: { compare: scalar, clear: 'none', whileRunning: INSTANCES },
  VpcConfig: { compare: scalar, clear: deleted('VPC_CONFIGURATION'), whileRunning: STOPPED_ONLY },
  MaxUserDurationInSeconds: { compare: scalar, clear: reset(FLEET_DEFAULTS.MaxUserDurationInSeconds), whileRunning: STOPPED_ONLY },
  DisconnectTimeoutInSeconds: { compare: scalar, clear: reset(FLEET_DEFAULTS.DisconnectTimeoutInSeconds), whileRunning: ALL },
  IdleDisconnectTimeoutInSeconds: { compare: scalar, clear: reset(FLEET_DEFAULTS.IdleDisconnectTimeoutInSeconds), whileRunning: ALL },
  Description: { compare: scalar, clear: reset(''), whileRunning: STOPPED_ONLY },
  DisplayName: { compare: scalar, clear: reset(''), whileRunning: ALL },
  EnableDefaultInternetAccess: { compare: scalar, clear: reset(FLEET_DEFAULTS.EnableDefaultInternetAccess), whileRunning: STOPPED_ONLY },
  DomainJoinInfo: { compare: scalar, clear: deleted('DOMAIN_JOIN_INFO'), whileRunning: STOPPED_ONLY },
  IamRoleArn: { compare: scalar, clear: deleted('IAM_ROLE_ARN'), whileRunning: STOPPED_ONLY },
  StreamView: { compare: scalar, clear: reset(FLEET_DEFAULTS.StreamView), whileRunning: STOPPED_ONLY },
  Platform: { compare: scalar, clear: 'none', whileRunning: STOPPED_ONLY },
  MaxConcurrentSessions: { compare: scalar, clear: 'none', whileRunning: ELASTIC },
  UsbDeviceFilterStrings: { compare: { set: 'itself' }, clear: deleted('USB_DEVICE_FILTER_STRINGS'), whileRunning: ELASTIC },
  SessionScriptS3Location: { compare: scalar, clear: deleted('SESSION_SCRIPT_S3_LOCATION'), whileRunning: ELASTIC },
  MaxSessionsPerInstance: { compare: scalar, clear: deleted('MAX_SESSIONS_PER_INSTANCE'), whileRunning: STOPPED_ONLY },
  RootVolumeConfig: { compare: scalar, clear: deleted('VOLUME_CONFIGURATION'), whileRunning: STOPPED_ONLY },
  DisableIMDSV1: { compare: scalar, clear: reset(FLEET_DEFAULTS.DisableIMDSV1), whileRunning: STOPPED_ONLY },
  // Starting a stopped fleet interrupts nobody; stopping a running one ends its sessions.
  State: { compare: scalar, clear: 'none', whileRunning: STOPPED_ONLY },
  Tags: { compare: { set: 'itself' }, clear: 'none', whileRunning: ALL },
  IgnoreChanges: { compare: { set: 'itself' }, clear: 'none', whileRunning: ALL },
};

/** The table of a fleet of `type`, RUNNING (or STARTING) or not: a change that needs a stop interrupts a running fleet. */
function table(type: FleetType, running: boolean): AttributeTable {
  return Object.fromEntries(
    Object.entries(FACTS).map(([name, { whileRunning, ...facts }]) => [
      name,
      { ...facts, impact: whileRunning === 'replace' ? 'replace' : !running || whileRunning.includes(type) ? 'update' : 'interrupt' },
    ]),
  );
}

const TABLES = Object.fromEntries(FLEET_TYPES.flatMap((type) => [true, false].map((running) => [`${type}/${running}`, table(type, running)]))) as Record<string, AttributeTable>;

export function fleetTable(type: FleetType, running: boolean): AttributeTable {
  return TABLES[`${type}/${running}`];
}

/** Whether a RUNNING fleet of `type` takes this attribute's change without being stopped. */
export function inPlaceWhileRunning(type: FleetType, attribute: string): boolean {
  return fleetTable(type, true)[attribute]?.impact === 'update';
}

/** How each attribute is cleared (the same for every fleet type). */
export const CLEAR = Object.fromEntries(Object.entries(FACTS).map(([name, facts]) => [name, facts.clear])) as Record<string, AttributeFacts['clear']>;
