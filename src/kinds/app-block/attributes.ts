/**
 * The app block's attribute table, as data. There is no UpdateAppBlock: every member of
 * CreateAppBlock is fixed once the block exists, so changing one replaces the block (deleted,
 * then created). Only tags (TagResource) change in place.
 */
import type { AttributeFacts, AttributeTable } from '../types.js';

/** The CreateAppBlock members a declaration compares (Name is the identity; tags have their own calls). */
export const APP_BLOCK_ATTRIBUTES = ['Description', 'DisplayName', 'SourceS3Location', 'SetupScriptDetails', 'PostSetupScriptDetails', 'PackagingType'] as const;
export type AppBlockAttribute = (typeof APP_BLOCK_ATTRIBUTES)[number];

/** What CreateAppBlock assumes when PackagingType is left out. */
export const DEFAULT_PACKAGING = 'CUSTOM';

const scalar = 'scalar' as const;
/** Removing a managed value from the config recreates the block without it. */
const without = { value: null };

const FACTS: Record<AppBlockAttribute | 'Tags', Omit<AttributeFacts, 'impact'>> = {
  Description: { compare: scalar, clear: without },
  DisplayName: { compare: scalar, clear: without },
  // Required: there is always one.
  SourceS3Location: { compare: scalar, clear: 'none' },
  // Required for CUSTOM blocks; a script no longer declared is let go.
  SetupScriptDetails: { compare: scalar, clear: 'none' },
  PostSetupScriptDetails: { compare: scalar, clear: without },
  // A packaging type no longer declared is left as it is: changing it means another kind of block.
  PackagingType: { compare: scalar, clear: 'none' },
  Tags: { compare: { set: 'itself' }, clear: 'none' },
};

export const APP_BLOCK_TABLE: AttributeTable = Object.fromEntries(Object.entries(FACTS).map(([name, facts]) => [name, { ...facts, impact: name === 'Tags' ? 'update' : 'replace' }]));
