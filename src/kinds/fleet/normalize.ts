/**
 * One normal form for a fleet, whether it comes from the config or from DescribeFleets, so that
 * equal meaning compares equal: service defaults filled in, "no value" as absent, set-like lists
 * deduplicated and sorted, and the desired capacity read back from ComputeCapacityStatus.
 */
import type { Fleet } from '@aws-sdk/client-appstream';
import { asSet, clean, userTags } from '../../normalize/values.js';
import { FLEET_DEFAULTS } from './attributes.js';

/** The members UpdateFleet sets or clears (Name is the identity, FleetType never changes, tags have their own calls). */
export const FLEET_ATTRIBUTES = [
  'ImageName',
  'ImageArn',
  'InstanceType',
  'ComputeCapacity',
  'VpcConfig',
  'MaxUserDurationInSeconds',
  'DisconnectTimeoutInSeconds',
  'IdleDisconnectTimeoutInSeconds',
  'Description',
  'DisplayName',
  'EnableDefaultInternetAccess',
  'DomainJoinInfo',
  'IamRoleArn',
  'StreamView',
  'Platform',
  'MaxConcurrentSessions',
  'UsbDeviceFilterStrings',
  'SessionScriptS3Location',
  'MaxSessionsPerInstance',
  'RootVolumeConfig',
  'DisableIMDSV1',
] as const;
export type FleetAttribute = (typeof FLEET_ATTRIBUTES)[number];

/** The names that all mean "the fleet's image": ignoring one ignores the image. */
export const IMAGE_NAMES: readonly string[] = ['ImageName', 'ImageArn', 'LatestImage'];

/** Either side's raw values: a FleetConfig (null = cleared) or an SDK Fleet with its ComputeCapacity. */
export type FleetValues = Partial<Record<FleetAttribute | 'Tags', unknown>>;

export interface NormalFleet {
  /** Normalized values; an attribute without a value is absent. */
  attributes: Partial<Record<FleetAttribute, unknown>>;
  /** The user's tags (streamform's and AWS's keys left out). */
  tags: Record<string, string>;
}

type Json = Record<string, unknown>;

const withDefault = (fallback: unknown) => (value: unknown) => clean(value) ?? fallback;

const NORMALIZERS: Record<FleetAttribute, (value: unknown) => unknown> = {
  ImageName: clean,
  ImageArn: clean,
  InstanceType: clean,
  ComputeCapacity: clean,
  VpcConfig: (value) => {
    const config = clean(value) as Json | undefined;
    return config && clean({ SubnetIds: asSet(config.SubnetIds as string[]), SecurityGroupIds: asSet(config.SecurityGroupIds as string[]) });
  },
  MaxUserDurationInSeconds: withDefault(FLEET_DEFAULTS.MaxUserDurationInSeconds),
  DisconnectTimeoutInSeconds: withDefault(FLEET_DEFAULTS.DisconnectTimeoutInSeconds),
  IdleDisconnectTimeoutInSeconds: withDefault(FLEET_DEFAULTS.IdleDisconnectTimeoutInSeconds),
  Description: clean,
  DisplayName: clean,
  EnableDefaultInternetAccess: withDefault(FLEET_DEFAULTS.EnableDefaultInternetAccess),
  // An empty directory name means no domain join (Terraform #26454).
  DomainJoinInfo: (value) => ((clean(value) as Json | undefined)?.DirectoryName ? clean(value) : undefined),
  IamRoleArn: clean,
  StreamView: withDefault(FLEET_DEFAULTS.StreamView),
  Platform: clean,
  MaxConcurrentSessions: clean,
  UsbDeviceFilterStrings: (value) => asSet(clean(value) as string[] | undefined),
  SessionScriptS3Location: clean,
  MaxSessionsPerInstance: clean,
  RootVolumeConfig: clean,
  DisableIMDSV1: withDefault(FLEET_DEFAULTS.DisableIMDSV1),
};

export function normalizeFleetAttribute(attribute: FleetAttribute, value: unknown): unknown {
  return NORMALIZERS[attribute](value);
}

export function normalizeFleet(values: FleetValues): NormalFleet {
  const attributes: Partial<Record<FleetAttribute, unknown>> = {};
  for (const attribute of FLEET_ATTRIBUTES) {
    const normal = NORMALIZERS[attribute](values[attribute]);
    if (normal !== undefined) attributes[attribute] = normal;
  }
  return { attributes, tags: userTags(values.Tags as Record<string, string> | null) };
}

/**
 * DescribeFleets returns no ComputeCapacity, only the counts: the desired instances, or on a
 * multi-session fleet the desired user sessions. Elastic fleets have none.
 */
export function desiredCapacity(fleet: Fleet): Json | undefined {
  if (fleet.FleetType === 'ELASTIC' || !fleet.ComputeCapacityStatus) return undefined;
  const status = fleet.ComputeCapacityStatus;
  return fleet.MaxSessionsPerInstance ? { DesiredSessions: status.DesiredUserSessions ?? 0 } : { DesiredInstances: status.Desired ?? 0 };
}

export function normalizeLiveFleet(fleet: Fleet, tags: Record<string, string> | undefined): NormalFleet {
  return normalizeFleet({ ...(fleet as FleetValues), ComputeCapacity: desiredCapacity(fleet), Tags: tags });
}

export { isRunning } from '../resource.js';

/** The sessions a stop would end: active user sessions on a multi-session fleet, else instances in use. */
export function activeSessions(fleet: Fleet): number {
  const status = fleet.ComputeCapacityStatus;
  return status?.ActiveUserSessions ?? status?.InUse ?? 0;
}
