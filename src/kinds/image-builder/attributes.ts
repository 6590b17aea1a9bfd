/**
 * The image builder's attribute table, as data. There is no UpdateImageBuilder: every member of
 * CreateImageBuilder is fixed once the builder exists, so changing one replaces the builder. Only
 * tags (TagResource) and the running state (Start/StopImageBuilder) change in place; stopping a
 * RUNNING builder disconnects whoever works in it.
 */
import type { AttributeFacts, AttributeTable } from '../types.js';

/** The CreateImageBuilder members a declaration compares (Name is the identity; tags have their own calls). */
export const BUILDER_ATTRIBUTES = [
  'ImageName',
  'ImageArn',
  'InstanceType',
  'Description',
  'DisplayName',
  'VpcConfig',
  'IamRoleArn',
  'EnableDefaultInternetAccess',
  'DomainJoinInfo',
  'AppstreamAgentVersion',
  'AccessEndpoints',
  'RootVolumeConfig',
  'SoftwaresToInstall',
  'SoftwaresToUninstall',
  'DisableIMDSV1',
] as const;
export type BuilderAttribute = (typeof BUILDER_ATTRIBUTES)[number];

/** DescribeImageBuilders does not report these: they are compared with the digest the last apply recorded. */
export const UNREPORTED: readonly BuilderAttribute[] = ['SoftwaresToInstall', 'SoftwaresToUninstall'];

/** What CreateImageBuilder assumes when a member is left out. */
export const BUILDER_DEFAULTS = { EnableDefaultInternetAccess: false, DisableIMDSV1: false } as const;

const scalar = 'scalar' as const;
/** Removing a managed value from the config recreates the builder without it. */
const without = { value: null };

const FACTS: Record<string, Omit<AttributeFacts, 'impact'>> = {
  ImageName: { compare: scalar, clear: 'none' },
  ImageArn: { compare: scalar, clear: 'none' },
  // Resolved to an ImageName at plan time, and compared as one.
  LatestImage: { compare: scalar, clear: 'none' },
  InstanceType: { compare: scalar, clear: 'none' },
  Description: { compare: scalar, clear: without },
  DisplayName: { compare: scalar, clear: without },
  VpcConfig: { compare: scalar, clear: without },
  IamRoleArn: { compare: scalar, clear: without },
  EnableDefaultInternetAccess: { compare: scalar, clear: { value: BUILDER_DEFAULTS.EnableDefaultInternetAccess } },
  DomainJoinInfo: { compare: scalar, clear: without },
  // AWS picks a version when none is given: a version no longer declared is left as it is.
  AppstreamAgentVersion: { compare: scalar, clear: 'none' },
  AccessEndpoints: { compare: { set: 'EndpointType' }, clear: without },
  RootVolumeConfig: { compare: scalar, clear: 'none' },
  // Not reported by AWS, so nothing can tell that they are gone: software no longer declared is let go.
  SoftwaresToInstall: { compare: { set: 'itself' }, clear: 'none' },
  SoftwaresToUninstall: { compare: { set: 'itself' }, clear: 'none' },
  DisableIMDSV1: { compare: scalar, clear: { value: BUILDER_DEFAULTS.DisableIMDSV1 } },
  State: { compare: scalar, clear: 'none' },
  Tags: { compare: { set: 'itself' }, clear: 'none' },
};

function table(running: boolean): AttributeTable {
  return Object.fromEntries(
    Object.entries(FACTS).map(([name, facts]) => [name, { ...facts, impact: name === 'Tags' ? 'update' : name === 'State' ? (running ? 'interrupt' : 'update') : 'replace' }]),
  );
}

const TABLES = { running: table(true), stopped: table(false) };

/** The table of a builder that runs (a stop interrupts) or does not. */
export function builderTable(running: boolean): AttributeTable {
  return running ? TABLES.running : TABLES.stopped;
}
