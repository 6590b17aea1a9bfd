/**
 * The app block builder's attribute table, as data. UpdateAppBlockBuilder's documentation: a
 * RUNNING builder takes only DisplayName and Description; a STOPPED one takes anything but Name
 * (the identity); a STARTING or STOPPING one nothing. Stopping a builder ends the session of
 * whoever works in it, so what needs a stop interrupts a running builder. The association with an
 * app block changes only while it is STOPPED, and the builder starts only with one.
 */
import type { AttributeFacts, AttributeTable } from '../types.js';

/** The CreateAppBlockBuilder members a declaration compares (Name is the identity; tags have their own calls). */
export const APP_BLOCK_BUILDER_ATTRIBUTES = ['Description', 'DisplayName', 'Platform', 'InstanceType', 'VpcConfig', 'EnableDefaultInternetAccess', 'IamRoleArn', 'AccessEndpoints', 'DisableIMDSV1'] as const;
export type AppBlockBuilderAttribute = (typeof APP_BLOCK_BUILDER_ATTRIBUTES)[number];

/** What CreateAppBlockBuilder assumes when a member is left out. */
export const APP_BLOCK_BUILDER_DEFAULTS = { EnableDefaultInternetAccess: false, DisableIMDSV1: false } as const;

interface BuilderFacts extends Omit<AttributeFacts, 'impact'> {
  /** Whether a RUNNING builder takes a change of it. */
  whileRunning: boolean;
}

const scalar = 'scalar' as const;
const deleted = (attribute: string) => ({ attribute });
const reset = (value: unknown) => ({ value });

const FACTS: Record<string, BuilderFacts> = {
  Description: { compare: scalar, clear: reset(''), whileRunning: true },
  DisplayName: { compare: scalar, clear: reset(''), whileRunning: true },
  Platform: { compare: scalar, clear: 'none', whileRunning: false },
  InstanceType: { compare: scalar, clear: 'none', whileRunning: false },
  // Required: never cleared; security groups no longer declared go through VPC_CONFIGURATION_SECURITY_GROUP_IDS.
  VpcConfig: { compare: scalar, clear: 'none', whileRunning: false },
  EnableDefaultInternetAccess: { compare: scalar, clear: reset(APP_BLOCK_BUILDER_DEFAULTS.EnableDefaultInternetAccess), whileRunning: false },
  IamRoleArn: { compare: scalar, clear: deleted('IAM_ROLE_ARN'), whileRunning: false },
  AccessEndpoints: { compare: { set: 'EndpointType' }, clear: deleted('ACCESS_ENDPOINTS'), whileRunning: false },
  DisableIMDSV1: { compare: scalar, clear: reset(APP_BLOCK_BUILDER_DEFAULTS.DisableIMDSV1), whileRunning: false },
  // Associated and disassociated apart from UpdateAppBlockBuilder, while STOPPED.
  AppBlocks: { compare: { set: 'itself' }, clear: 'none', whileRunning: false },
  // Starting a stopped builder interrupts nobody; stopping a running one ends its session.
  State: { compare: scalar, clear: 'none', whileRunning: false },
  Tags: { compare: { set: 'itself' }, clear: 'none', whileRunning: true },
};

function table(running: boolean): AttributeTable {
  return Object.fromEntries(Object.entries(FACTS).map(([name, { whileRunning, ...facts }]) => [name, { ...facts, impact: !running || whileRunning ? 'update' : 'interrupt' }]));
}

const TABLES = { running: table(true), stopped: table(false) };

/** The table of a builder that runs (or is starting: a change that needs a stop interrupts it) or does not. */
export function appBlockBuilderTable(running: boolean): AttributeTable {
  return running ? TABLES.running : TABLES.stopped;
}

/** Whether a RUNNING builder takes this attribute's change without being stopped. */
export function inPlaceWhileRunning(attribute: string): boolean {
  return TABLES.running[attribute]?.impact === 'update';
}
