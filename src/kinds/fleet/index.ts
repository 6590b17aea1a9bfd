/**
 * Fleets: every member of CreateFleet, plus the running state (State), an image chosen by name
 * prefix (LatestImage) and attributes compared only at creation (IgnoreChanges). Identified by
 * Name; created and started, updated in place or between a stop and a start as UpdateFleet's rules
 * by state require, replaced when FleetType changes, and pruned.
 */
import type { Fleet } from '@aws-sdk/client-appstream';
import type { Config } from '../../config/types.js';
import { asSet, userTags } from '../../normalize/values.js';
import { ownerOf, ownRecord } from '../../core/ownership.js';
import { itself } from '../../core/sets.js';
import { accountTags, declaredValue, errorNotes, namingIn, planByName, selectedTags, sortedBy, VPC_SETS } from '../resource.js';
import type { KindDefinition, Selection, Waiter } from '../types.js';
import { DEFAULT_FLEET_TYPE, FLEET_DEFAULTS, fleetTable } from './attributes.js';
import { fleetAddress } from './live.js';
import { FLEET_ATTRIBUTES, isRunning, normalizeFleetAttribute, normalizeLiveFleet } from './normalize.js';
import { liveFleetDigest, liveFleetNormal, planDeclaredFleet, planFleetDeletion, type FleetApplication, type FleetPlanEnv } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes fleets. */
const reads = () => import('./describe.js');

/** The poll of a fleet a call acted on (StartFleet, StopFleet: Name; a wait-only DescribeFleets: Names). */
function pollInput(call: { input: Record<string, unknown> }): Record<string, unknown> | undefined {
  const name = (call.input.Name as string | undefined) ?? (call.input.Names as string[] | undefined)?.[0];
  return name ? { Names: [name] } : undefined;
}

/**
 * The SDK's FleetStarted / FleetStopped waiters (delay 30 s, 40 attempts), as data. A fleet that
 * reports FleetErrors while it starts fails the start at once: one with a bad subnet stays STARTING
 * for months (Terraform #20994). A stop is not failed by them: a broken fleet must still be stoppable.
 */
const fleetWaiter = (success: string, failure: string[], failOnErrors: boolean): Waiter => ({
  resource: (input) => `fleet ${String((input.Names as string[])[0])}`,
  operation: 'DescribeFleets',
  input: pollInput,
  state: 'Fleets.0.State',
  success: [success],
  failure,
  goneIsSuccess: false,
  errors: 'Fleets.0.FleetErrors',
  failOnErrors,
  delayMs: 30_000,
  maxWaitMs: 1_200_000,
});

/** A fleet is listed when the config declares fleets, prunes, or names fleets in its stacks (to check that they exist). */
function fleetsNeeded(config: Config, prune: boolean): boolean {
  return Boolean(config.fleets?.length) || prune || (config.stacks ?? []).some((stack) => stack.Fleets?.length);
}

export const fleetKind: KindDefinition = {
  name: 'fleet',
  list: 'fleets',
  noun: 'fleet',
  plural: 'fleets',
  service: 'appstream',
  identity: ['Name'],
  sets: [
    ...VPC_SETS,
    { path: ['UsbDeviceFilterStrings'], noun: 'USB device filter', key: itself },
    { path: ['IgnoreChanges'], noun: 'property', key: itself },
  ],
  // A running On-Demand fleet's table; each fleet's plan names the table of its own type and state.
  attributes: fleetTable(DEFAULT_FLEET_TYPE, true),
  emptyLive: () => ({}),
  describe: {
    needed: fleetsNeeded,
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    tags: accountTags({ resourceType: 'appstream:fleet', declared: (config) => config.fleets, live: (live) => live.fleets, address: fleetAddress, arn: (target) => target.fleet.Arn! }),
    details: async (ctx) => (await reads()).readStacks(ctx),
  },

  plan(input) {
    const { ctx, config, live } = input;
    const declaredStacks = config.stacks ?? [];
    const declaredApplications = config.applications ?? [];
    // Stacks the plan deletes disassociate their fleets themselves, before the fleets go.
    const declaredStackNames = new Set(declaredStacks.map((stack) => stack.Name));
    const deletedStacks = new Set(
      ctx.prune ? Object.entries(live.stacks).filter(([name, stack]) => ownerOf(stack.tags) === config.project && !declaredStackNames.has(name)).map(([name]) => name) : [],
    );
    /**
     * The declared applications associated with a fleet the plan deletes or replaces (none names it:
     * that is refused). Those that declare Fleets, or whose last apply associated it, let go of it in
     * their own update, which runs first; the others keep it, so the fleet's own calls disassociate them.
     */
    const applicationsOf = (fleet: string): FleetApplication[] =>
      declaredApplications.flatMap((declared) => {
        const found = live.applications[declared.Name];
        if (!found?.fleets?.includes(fleet)) return [];
        const letsGo = declared.Fleets !== undefined || Boolean(ownRecord(config.project, found.tags)?.f?.includes(fleet));
        return [{ name: declared.Name, arn: found.application.Arn!, letsGo }];
      });
    const naming = (fleet: string) => namingIn(declaredApplications, 'Fleets', fleet, (application) => `application ${application.Name}`);
    const env: FleetPlanEnv = { images: live.fleetReads?.images, applicationsOf, naming: (fleet) => naming(fleet).map((named) => named.user) };
    planByName(input, {
      list: 'fleets',
      declared: config.fleets,
      live: live.fleets,
      address: fleetAddress,
      normal: liveFleetNormal,
      digest: liveFleetDigest,
      declare: (fleet, found, at, normal) => planDeclaredFleet(ctx, fleet, found, at, env, normal),
      prune: (found, at) => planFleetDeletion(found, at, deletedStacks, applicationsOf(found.fleet.Name!)),
      namedBy: {
        noun: 'fleet',
        users: (name) => [...namingIn(declaredStacks, 'Fleets', name, (stack) => `stack ${stack.Name}`), ...naming(name)],
      },
    });
  },

  declaredValues: (resource) => {
    const fleet = resource as Record<string, unknown> & { Tags?: Record<string, string> | null; IgnoreChanges?: string[] };
    return {
      ...Object.fromEntries(FLEET_ATTRIBUTES.map((attribute) => [attribute, declaredValue(fleet[attribute], (v) => normalizeFleetAttribute(attribute, v))])),
      FleetType: fleet.FleetType,
      LatestImage: fleet.LatestImage,
      State: fleet.State,
      IgnoreChanges: asSet(fleet.IgnoreChanges),
      Tags: declaredValue(fleet.Tags, userTags),
    };
  },

  importDescribe: async (...args) => (await reads()).importFleets(...args),
  import(live, { declare, note, leaveOut }) {
    const fleets: Record<string, unknown>[] = [];
    for (const { fleet, tags } of sortedBy(Object.values(live.fleets), (f) => f.fleet.Name!)) {
      const address = fleetAddress(fleet.Name!);
      if (fleet.FleetType !== 'ELASTIC' && !fleet.ImageName && !fleet.ImageArn) {
        leaveOut(address, 'it has no image (ImageName or ImageArn), which a fleet declaration needs');
        continue;
      }
      for (const message of errorNotes('FleetErrors', fleet.FleetErrors)) note(address, message);
      const declared = declare(address, tags, (select) => fleetConfig(fleet, tags ?? {}, select));
      if (declared) fleets.push(declared);
    }
    return fleets;
  },

  reads: ['DescribeFleets', 'ListAssociatedStacks', 'DescribeImages'],
  operations: ['CreateFleet', 'UpdateFleet', 'DeleteFleet', 'StartFleet', 'StopFleet', 'DescribeFleets', 'AssociateFleet', 'DisassociateFleet', 'DisassociateApplicationFleet', 'TagResource', 'UntagResource'],
  waiters: {
    FleetStarted: fleetWaiter('RUNNING', ['STOPPING', 'STOPPED'], true),
    FleetStopped: fleetWaiter('STOPPED', ['STARTING', 'RUNNING'], false),
  },
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did
    // (a fleet already starting or stopping is what the first StartFleet or StopFleet did).
    doneOnResend: {
      CreateFleet: 'ResourceAlreadyExistsException',
      DeleteFleet: 'ResourceNotFoundException',
      StartFleet: 'ConcurrentModificationException',
      StopFleet: 'ConcurrentModificationException',
    },
    // A resource just created is briefly unknown to the other calls (AppStream's eventual consistency).
    visibilityProbe: (address) => ({ operation: 'DescribeFleets', input: { Names: [address.slice('fleet/'.length)] } }),
  },
};

/** The declaration of a live fleet: its values in normal form, those the selection keeps; the image by name, the state as found. */
function fleetConfig(fleet: Fleet, tags: Record<string, string>, select: Selection): Record<string, unknown> {
  const normal = normalizeLiveFleet(fleet, tags);
  const declared: Record<string, unknown> = { Name: fleet.Name };
  const type = fleet.FleetType ?? DEFAULT_FLEET_TYPE;
  if (select.attribute('FleetType', type, DEFAULT_FLEET_TYPE)) declared.FleetType = type;
  // One image member: ImageArn only where the last apply declared it so.
  const byArn = select.attribute('ImageArn', normal.attributes.ImageArn) && !select.attribute('ImageName', normal.attributes.ImageName);
  for (const attribute of FLEET_ATTRIBUTES) {
    if (attribute === (byArn ? 'ImageName' : 'ImageArn')) continue;
    const value = normal.attributes[attribute];
    if (select.attribute(attribute, value, FLEET_DEFAULTS[attribute as keyof typeof FLEET_DEFAULTS])) declared[attribute] = value ?? null;
  }
  const state = isRunning(fleet.State) ? 'RUNNING' : 'STOPPED';
  if (select.attribute('State', state)) declared.State = state;
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  return declared;
}
