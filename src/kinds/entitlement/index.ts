/**
 * Entitlements: which applications of a stack SAML users are entitled to, by their attributes.
 * Identified by (StackName, Name); created, updated in place (UpdateEntitlement and the application
 * associations) and, with prune, deleted. They carry no tags: an entitlement is owned through its
 * stack, which the config must declare and no other project may own.
 */
import type { EntitlementConfig } from '../../config/types.js';
import { field, itself } from '../../core/sets.js';
import { declaredValue, sortedBy } from '../resource.js';
import type { AttributeTable, KindDefinition } from '../types.js';
import { entitlementAddress } from './live.js';
import { liveEntitlementDigest, normalApplications, normalAttributes, planDeclaredEntitlement, planEntitlementDeletion, prunedStacks } from './plan.js';
import { clean } from '../../normalize/values.js';
import { ownerOf } from '../../core/ownership.js';

/** The reads, with the AppStream client code they need, load when a plan first describes entitlements. */
const reads = () => import('./describe.js');

const ATTRIBUTES: AttributeTable = {
  Description: { compare: 'scalar', clear: { value: '' }, impact: 'update' },
  AppVisibility: { compare: 'scalar', clear: 'none', impact: 'update' },
  Attributes: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
  Applications: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
};

export const entitlementKind: KindDefinition = {
  name: 'entitlement',
  list: 'entitlements',
  noun: 'entitlement',
  plural: 'entitlements',
  service: 'appstream',
  identity: ['StackName', 'Name'],
  sets: [
    { path: ['Attributes'], noun: 'attribute (Name/Value)', key: field('Name', 'Value') },
    { path: ['Applications'], noun: 'application', key: itself },
  ],
  attributes: ATTRIBUTES,
  emptyLive: () => ({}),
  describe: {
    // Read when declared, or when prune may delete the entitlements of the project's stacks.
    needed: (config, prune) => Boolean(config.entitlements?.length) || prune,
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    details: async (ctx) => (await reads()).readApplications(ctx),
  },

  plan({ ctx, config, live, wanted, subject, plan }) {
    const declared = new Set<string>();
    (config.entitlements ?? []).forEach((entitlement, i) => {
      const address = entitlementAddress(entitlement.StackName, entitlement.Name);
      declared.add(address);
      if (!wanted(address)) return;
      const found = live.entitlements?.[entitlement.StackName]?.[entitlement.Name];
      const at = subject(address, `/entitlements/${i}`, () => (found ? liveEntitlementDigest(found) : null));
      plan(at, () => planDeclaredEntitlement(ctx, config, entitlement, live, at));
    });
    if (!ctx.prune) return;
    for (const stack of prunedStacks(ctx.project, config, live)) {
      for (const [name, found] of Object.entries(live.entitlements?.[stack] ?? {})) {
        const address = entitlementAddress(stack, name);
        if (declared.has(address) || !wanted(address)) continue;
        const at = subject(address, undefined, () => liveEntitlementDigest(found));
        plan(at, () => planEntitlementDeletion(stack, found, at));
      }
    }
  },

  declaredValues: (resource) => {
    const entitlement = resource as unknown as EntitlementConfig;
    return {
      Description: declaredValue(entitlement.Description, clean),
      AppVisibility: entitlement.AppVisibility,
      Attributes: normalAttributes(entitlement.Attributes),
      Applications: normalApplications(entitlement.Applications),
    };
  },

  importDescribe: async (...args) => (await reads()).importEntitlements(...args),
  // The entitlements of the stacks import declares (those no other project owns), as they are.
  import(live, { project, note, leaveOut }) {
    const entitlements: Record<string, unknown>[] = [];
    for (const stack of Object.keys(live.entitlements).sort()) {
      const owner = ownerOf(live.stacks[stack]?.tags);
      for (const { entitlement, applications } of sortedBy(Object.values(live.entitlements[stack]), (e) => e.entitlement.Name!)) {
        const address = entitlementAddress(stack, entitlement.Name!);
        if (!live.stacks[stack]) {
          leaveOut(address, `its stack ${stack} could not be read; an entitlement is declared only with its stack`);
          continue;
        }
        if (owner !== undefined && owner !== project) {
          leaveOut(address, `its stack ${stack} is owned by the streamform project "${owner}"`);
          continue;
        }
        const declared: Record<string, unknown> = { StackName: stack, Name: entitlement.Name };
        const description = clean(entitlement.Description);
        if (description !== undefined) declared.Description = description;
        declared.AppVisibility = entitlement.AppVisibility;
        declared.Attributes = normalAttributes(entitlement.Attributes);
        const granted = normalApplications(applications);
        if (granted.length) declared.Applications = granted;
        note(address, `entitlements carry no tags: streamform manages this one through stack ${stack}, and with prune deletes it once it is no longer declared`);
        entitlements.push(declared);
      }
    }
    return entitlements;
  },

  reads: ['DescribeEntitlements', 'ListEntitledApplications', 'DescribeStacks', { service: 'tagging', operation: 'GetResources' }],
  operations: [
    'CreateEntitlement',
    'UpdateEntitlement',
    'DeleteEntitlement',
    'DescribeEntitlements',
    'AssociateApplicationToEntitlement',
    'DisassociateApplicationFromEntitlement',
    'ListEntitledApplications',
  ],
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did.
    doneOnResend: {
      CreateEntitlement: 'EntitlementAlreadyExistsException',
      DeleteEntitlement: 'EntitlementNotFoundException',
      DisassociateApplicationFromEntitlement: 'ResourceNotFoundException',
    },
    visibilityProbe: (address) => {
      const [stackName, name] = address.slice('entitlement/'.length).split('/');
      return { operation: 'DescribeEntitlements', input: { StackName: stackName, Name: name } };
    },
  },
};
