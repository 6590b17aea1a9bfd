/**
 * The application's attribute table, as data. UpdateApplication changes every member of
 * CreateApplication but Name, Platforms and InstanceFamilies, which replace the application;
 * AttributesToDelete clears the launch parameters and the working directory, and "" the names.
 */
import type { AttributeTable } from '../types.js';

/** The CreateApplication members a declaration compares (Name is the identity; tags have their own calls). */
export const APPLICATION_ATTRIBUTES = [
  'DisplayName',
  'Description',
  'IconS3Location',
  'LaunchPath',
  'WorkingDirectory',
  'LaunchParameters',
  'Platforms',
  'InstanceFamilies',
  'AppBlockArn',
] as const;
export type ApplicationAttribute = (typeof APPLICATION_ATTRIBUTES)[number];

/** Members CreateApplication requires: always declared, so import always writes them. */
export const REQUIRED: readonly ApplicationAttribute[] = ['IconS3Location', 'LaunchPath', 'Platforms', 'InstanceFamilies'];

const scalar = 'scalar' as const;
const set = { set: 'itself' } as const;

export const APPLICATION_TABLE: AttributeTable = {
  Name: { compare: scalar, clear: 'none', impact: 'replace' },
  DisplayName: { compare: scalar, clear: { value: '' }, impact: 'update' },
  Description: { compare: scalar, clear: { value: '' }, impact: 'update' },
  IconS3Location: { compare: scalar, clear: 'none', impact: 'update' },
  LaunchPath: { compare: scalar, clear: 'none', impact: 'update' },
  WorkingDirectory: { compare: scalar, clear: { attribute: 'WORKING_DIRECTORY' }, impact: 'update' },
  LaunchParameters: { compare: scalar, clear: { attribute: 'LAUNCH_PARAMETERS' }, impact: 'update' },
  Platforms: { compare: set, clear: 'none', impact: 'replace' },
  InstanceFamilies: { compare: set, clear: 'none', impact: 'replace' },
  AppBlockArn: { compare: scalar, clear: 'none', impact: 'update' },
  // The app block by name: resolved to its ARN, and updated as AppBlockArn.
  AppBlock: { compare: scalar, clear: 'none', impact: 'update' },
  Tags: { compare: set, clear: 'none', impact: 'update' },
  Fleets: { compare: set, clear: 'none', impact: 'update' },
};
