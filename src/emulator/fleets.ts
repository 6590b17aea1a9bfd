/**
 * AppStream fleets: CreateFleet, UpdateFleet, DeleteFleet, StartFleet, StopFleet and DescribeFleets,
 * the states STOPPED → STARTING → RUNNING → STOPPING → STOPPED (each transition --transition-ms),
 * the capacity counts, and the rules of the three fleet types that the model cannot state.
 * Associations with stacks live with the stacks (appstream.ts); tags with the other taggables.
 */
import { asObject, checkShape, checkTags, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import type { LifecycleSpec } from './lifecycle.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts, validationMessage } from './shapes.js';
import type { ImageRecord, Store, Tags } from './state.js';

export type FleetStateName = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';

/** A Fleet as DescribeFleets returns it, plus what the emulator keeps beside it (the state file's form). */
export interface FleetState extends Json {
  Name: string;
  State?: string;
  ImageName?: string;
  AssociatedStacks?: string[];
  Tags?: Tags;
  /** Keeps the fleet in STARTING whenever it starts, as a fleet with a broken network setup stays (Terraform #20994). */
  StuckInStarting?: boolean;
}

export interface FleetRecord extends FleetState {
  Arn: string;
  State: FleetStateName;
  FleetType: string;
  ComputeCapacityStatus: CapacityStatus;
  AssociatedStacks: string[];
  Tags: Tags;
}

type CapacityStatus = Partial<Record<string, number>> & { Desired: number };
interface Capacity {
  DesiredInstances?: number;
  DesiredSessions?: number;
}

const ELASTIC_PLATFORMS = ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2', 'UBUNTU_PRO_2404'];
const ELASTIC_INSTANCE_TYPES = ['small', 'medium', 'large', 'xlarge', '2xlarge'].map((size) => `stream.standard.${size}`);

/**
 * What may change while a fleet is RUNNING (UpdateFleet's documentation). Description is not
 * listed, and Terraform stops the fleet to change it, so it needs STOPPED like everything else.
 */
const WHILE_RUNNING = {
  other: ['DisplayName', 'ComputeCapacity', 'ImageName', 'ImageArn', 'DisconnectTimeoutInSeconds', 'IdleDisconnectTimeoutInSeconds'],
  elastic: ['DisplayName', 'DisconnectTimeoutInSeconds', 'IdleDisconnectTimeoutInSeconds', 'MaxConcurrentSessions', 'SessionScriptS3Location', 'UsbDeviceFilterStrings'],
};

/** FleetAttribute → the member it clears (`VpcConfig.SecurityGroupIds`: a member of a member). */
const CLEARS: Record<string, string> = {
  VPC_CONFIGURATION: 'VpcConfig',
  VPC_CONFIGURATION_SECURITY_GROUP_IDS: 'VpcConfig.SecurityGroupIds',
  DOMAIN_JOIN_INFO: 'DomainJoinInfo',
  IAM_ROLE_ARN: 'IamRoleArn',
  USB_DEVICE_FILTER_STRINGS: 'UsbDeviceFilterStrings',
  SESSION_SCRIPT_S3_LOCATION: 'SessionScriptS3Location',
  MAX_SESSIONS_PER_INSTANCE: 'MaxSessionsPerInstance',
  VOLUME_CONFIGURATION: 'RootVolumeConfig',
};

/** The documented ranges the model does not carry: [member path, min, max, also allowed]. */
const RANGES: [string, number, number, number?][] = [
  ['MaxUserDurationInSeconds', 600, 432_000],
  ['DisconnectTimeoutInSeconds', 60, 36_000],
  ['IdleDisconnectTimeoutInSeconds', 60, 36_000, 0],
  ['MaxConcurrentSessions', 1, Infinity],
  ['MaxSessionsPerInstance', 1, Infinity],
  ['RootVolumeConfig.VolumeSizeInGb', 200, 500],
  ['ComputeCapacity.DesiredInstances', 0, Infinity],
  ['ComputeCapacity.DesiredSessions', 0, Infinity],
];

/** UpdateFleet members that are not fleet members, or are stored otherwise (the image, the capacity). */
const NOT_STORED_AS_GIVEN = new Set(['Name', 'AttributesToDelete', 'DeleteVpcConfig', 'ComputeCapacity', 'ImageName', 'ImageArn']);

/** The emulator's own members: DescribeFleets leaves them out. */
const EMULATOR_ONLY = new Set(['AssociatedStacks', 'Tags', 'StuckInStarting']);

const invalidCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message);
const inUse = (message: string) => new ServiceError('ResourceInUseException', message);
const concurrent = (message: string) => new ServiceError('ConcurrentModificationException', message);

const at = (value: Json, path: string): unknown => path.split('.').reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);
const isSet = (value: unknown) => value !== undefined && value !== null;

/** Stopping ends every session; only a RUNNING fleet has instances. */
export const FLEET_LIFECYCLE: LifecycleSpec<FleetRecord, FleetStateName> = {
  next: { STARTING: () => 'RUNNING', STOPPING: () => 'STOPPED' },
  state: (fleet) => fleet.State,
  enter: (fleet, state) => {
    fleet.State = state;
    fleet.ComputeCapacityStatus = capacityStatus(fleet);
  },
  held: (fleet) => fleet.State === 'STARTING' && fleet.StuckInStarting === true,
};

/** The ComputeCapacity a fleet was given, read back from its counts (none for Elastic fleets). */
function desiredCapacity(fleet: FleetRecord): Capacity | undefined {
  if (fleet.FleetType === 'ELASTIC') return undefined;
  const status = fleet.ComputeCapacityStatus;
  const perInstance = fleet.MaxSessionsPerInstance as number | undefined;
  return perInstance ? { DesiredSessions: status.DesiredUserSessions ?? status.Desired * perInstance } : { DesiredInstances: status.Desired };
}

/**
 * ComputeCapacityStatus from the desired capacity, the state and the sessions in use (InUse, or
 * ActiveUserSessions on multi-session fleets, kept while the fleet runs). An Elastic fleet has no
 * desired capacity: each session runs on an instance of its own [inference, AWS does not say].
 */
function capacityStatus(fleet: FleetRecord, desired = desiredCapacity(fleet)): CapacityStatus {
  const now = fleet.ComputeCapacityStatus ?? { Desired: 0 };
  const running = fleet.State === 'RUNNING';
  if (fleet.FleetType === 'ELASTIC') {
    const sessions = running ? Math.min(now.InUse ?? 0, (fleet.MaxConcurrentSessions as number | undefined) ?? Infinity) : 0;
    return { Desired: 0, Running: sessions, InUse: sessions, Available: 0 };
  }
  const perInstance = fleet.MaxSessionsPerInstance as number | undefined;
  if (!perInstance) {
    const instances = desired?.DesiredInstances ?? 0;
    const used = running ? Math.min(now.InUse ?? 0, instances) : 0;
    return { Desired: instances, Running: running ? instances : 0, InUse: used, Available: running ? instances - used : 0 };
  }
  const sessions = desired?.DesiredSessions ?? 0;
  const instances = Math.ceil(sessions / perInstance);
  const active = running ? Math.min(now.ActiveUserSessions ?? 0, sessions) : 0;
  const used = Math.ceil(active / perInstance);
  return {
    Desired: instances,
    Running: running ? instances : 0,
    InUse: used,
    Available: running ? instances - used : 0,
    DesiredUserSessions: sessions,
    ActualUserSessions: running ? sessions : 0,
    ActiveUserSessions: active,
    AvailableUserSessions: running ? sessions - active : 0,
    Draining: 0,
    DrainModeActiveUserSessions: 0,
    DrainModeUnusedUserSessions: 0,
  };
}

/** What the service fills in when CreateFleet leaves it out (AWS's documented and console defaults). */
function fleetDefaults(store: Store, name: string, type: string): Json {
  return {
    Arn: store.arn('appstream', `fleet/${name}`),
    Name: name,
    InstanceType: 'stream.standard.medium',
    FleetType: type,
    State: 'STOPPED',
    CreatedTime: Date.now() / 1000,
    ComputeCapacityStatus: { Desired: type === 'ELASTIC' ? 0 : 1 },
    MaxUserDurationInSeconds: 57_600,
    DisconnectTimeoutInSeconds: 900,
    IdleDisconnectTimeoutInSeconds: 0,
    EnableDefaultInternetAccess: false,
    StreamView: 'APP',
    FleetErrors: [],
  };
}

/**
 * A fleet of the state file: every member DescribeFleets returns may be given (counts such as
 * InUse or ActiveUserSessions, FleetErrors), the rest is filled in; `StuckInStarting: true` keeps
 * it in STARTING. The fleet-type rules of CreateFleet are not applied: a state shows what AWS has.
 */
export function seedFleet(store: Store, input: unknown, path: string): FleetRecord {
  const { AssociatedStacks, Tags, StuckInStarting, ...fields } = asObject(input, path) as FleetState;
  const type = (fields.FleetType as string | undefined) ?? 'ON_DEMAND';
  const described = { ...fleetDefaults(store, fields.Name, type), ...fields };
  checkShape('appstream', 'Fleet', described, path);
  checkTags(Tags, path);
  if (StuckInStarting !== undefined && typeof StuckInStarting !== 'boolean') throw new StateError(`${path}.StuckInStarting: must be true or false`);
  if (store.fleets.has(fields.Name)) throw new StateError(`${path}.Name: fleet '${fields.Name}' appears twice`);
  const fleet = {
    ...(epochTimestamps(facts.appstream, 'Fleet', described) as Json),
    AssociatedStacks: [],
    Tags: { ...(Tags ?? {}) },
    ...(StuckInStarting ? { StuckInStarting } : {}),
  } as unknown as FleetRecord;
  const seededCounts = fleet.ComputeCapacityStatus;
  fleet.ComputeCapacityStatus = { ...capacityStatus(fleet), ...seededCounts };
  listAt(AssociatedStacks, `${path}.AssociatedStacks`).forEach((name, i) => {
    if (!store.stacks.has(name as string)) throw new StateError(`${path}.AssociatedStacks[${i}]: no stack named '${String(name)}' in appstream.stacks`);
    fleet.AssociatedStacks.push(name as string);
  });
  return fleet;
}

export function fleetNamed(store: Store, name: string): FleetRecord {
  const fleet = store.fleet(name);
  if (!fleet) throw notFound('Fleet', name);
  return fleet;
}

function describeFleet(fleet: FleetRecord): Json {
  return clone(Object.fromEntries(Object.entries(fleet).filter(([member]) => !EMULATOR_ONLY.has(member))));
}

function imageFor(store: Store, input: Json): ImageRecord {
  const arn = input.ImageArn as string | undefined;
  const image = arn ? [...store.images.values()].find((i) => i.Arn === arn) : store.images.get(input.ImageName as string);
  if (!image) throw notFound('Image', arn ?? (input.ImageName as string));
  if (image.State !== 'AVAILABLE') throw new ServiceError('ResourceNotAvailableException', `The image ${image.Name} is not available (state ${image.State}).`);
  return image;
}

function checkRanges(input: Json): void {
  for (const [path, min, max, also] of RANGES) {
    const value = at(input, path);
    if (typeof value === 'number' && value !== also && (value < min || value > max)) {
      const bounds = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
      throw invalidCombination(`${path} must be ${also === undefined ? '' : `${also} or `}${bounds}, not ${value}.`);
    }
  }
}

/** The fleet-type rules, checked on the fleet as it would be after the request (`ComputeCapacity` in the request's form). */
function checkTypeRules(fleet: Json): void {
  const notAllowed = (member: string, why: string) => {
    if (isSet(fleet[member])) throw invalidCombination(`${member} ${why}`);
  };
  if (fleet.FleetType === 'ELASTIC') {
    notAllowed('ComputeCapacity', 'is not allowed for Elastic fleets. Specify MaxConcurrentSessions instead.');
    notAllowed('DomainJoinInfo', 'is not allowed for Elastic fleets.');
    notAllowed('MaxSessionsPerInstance', 'is not allowed for Elastic fleets.');
    notAllowed('ImageName', 'is not allowed for Elastic fleets: their applications come from app blocks.');
    notAllowed('ImageArn', 'is not allowed for Elastic fleets: their applications come from app blocks.');
    if (!isSet(fleet.MaxConcurrentSessions)) throw invalidCombination('MaxConcurrentSessions is required for Elastic fleets.');
    if (!ELASTIC_PLATFORMS.includes(fleet.Platform as string)) {
      throw invalidCombination(`Elastic fleets need a Platform of ${ELASTIC_PLATFORMS.join(', ')}.`);
    }
    if (((at(fleet, 'VpcConfig.SubnetIds') as string[] | undefined) ?? []).length < 2) {
      throw invalidCombination('Elastic fleets need a VpcConfig with at least two subnets in different Availability Zones.');
    }
    if (!ELASTIC_INSTANCE_TYPES.includes(fleet.InstanceType as string)) {
      throw invalidCombination(`The instance type ${fleet.InstanceType as string} is not available for Elastic fleets.`);
    }
  } else {
    notAllowed('MaxConcurrentSessions', 'is allowed only for Elastic fleets.');
    notAllowed('SessionScriptS3Location', 'is allowed only for Elastic fleets.');
    const capacity = fleet.ComputeCapacity as Capacity | undefined;
    if (!capacity) throw invalidCombination('ComputeCapacity is required: set DesiredInstances, or DesiredSessions for a multi-session fleet.');
    if (isSet(capacity.DesiredInstances) === isSet(capacity.DesiredSessions)) {
      throw invalidCombination('Set exactly one of ComputeCapacity.DesiredInstances and ComputeCapacity.DesiredSessions.');
    }
    if (isSet(fleet.MaxSessionsPerInstance) !== isSet(capacity.DesiredSessions)) {
      throw invalidCombination(
        isSet(capacity.DesiredSessions)
          ? 'ComputeCapacity.DesiredSessions is allowed only for multi-session fleets (with MaxSessionsPerInstance).'
          : 'A multi-session fleet (MaxSessionsPerInstance) takes ComputeCapacity.DesiredSessions, not DesiredInstances.',
      );
    }
  }
  if (!/^stream\.[a-z0-9]+(\.[a-z0-9]+)+$/.test(fleet.InstanceType as string)) {
    throw invalidCombination(`The instance type ${fleet.InstanceType as string} is not valid.`);
  }
  if (isSet(fleet.SessionScriptS3Location) && !at(fleet, 'SessionScriptS3Location.S3Key')) {
    throw invalidCombination('SessionScriptS3Location.S3Key is required.');
  }
}

function setImage(fleet: Json, image: ImageRecord): void {
  fleet.ImageName = image.Name;
  fleet.ImageArn = image.Arn;
}

function dropEmptyText(fleet: Json): void {
  for (const member of ['Description', 'DisplayName']) if (fleet[member] === '') delete fleet[member];
}

function createFleet(input: Json, { store }: Context): Json {
  const { Tags, ComputeCapacity, ImageName, ImageArn, ...fields } = input;
  const type = (input.FleetType as string | undefined) ?? 'ON_DEMAND';
  checkRanges(input);
  if (type !== 'ELASTIC' && isSet(ImageName) === isSet(ImageArn)) {
    throw invalidCombination(isSet(ImageName) ? 'Specify either ImageName or ImageArn, not both.' : 'ImageName or ImageArn is required.');
  }
  checkTypeRules({ ...input, FleetType: type });
  const name = input.Name as string;
  if (store.fleets.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `The fleet ${name} already exists.`);
  const image = type === 'ELASTIC' ? undefined : imageFor(store, input);
  const fleet = { ...fleetDefaults(store, name, type), ...clone(fields), AssociatedStacks: [], Tags: { ...((Tags as Tags | undefined) ?? {}) } } as unknown as FleetRecord;
  if (image) {
    setImage(fleet, image);
    if (!isSet(fleet.Platform) && image.Platform) fleet.Platform = image.Platform;
  }
  dropEmptyText(fleet);
  fleet.ComputeCapacityStatus = capacityStatus(fleet, ComputeCapacity as Capacity | undefined);
  store.addFleet(fleet);
  return { Fleet: describeFleet(fleet) };
}

/** Members an UpdateFleet request changes, deletions included, in the model's names. */
function changedMembers(input: Json): string[] {
  const set = Object.keys(input).filter((m) => !['Name', 'AttributesToDelete', 'DeleteVpcConfig'].includes(m) && isSet(input[m]));
  const deleted = ((input.AttributesToDelete ?? []) as string[]).map((a) => CLEARS[a].split('.')[0]);
  return [...new Set([...set, ...deleted, ...(input.DeleteVpcConfig ? ['VpcConfig'] : [])])];
}

/** A fleet can't be updated while it starts or stops; while it runs, only some members can change. */
function checkUpdatable(fleet: FleetRecord, changed: string[]): void {
  if (fleet.State === 'STARTING' || fleet.State === 'STOPPING') {
    throw inUse(`Cannot update fleet ${fleet.Name} while it is ${fleet.State}. Wait until it is RUNNING or STOPPED.`);
  }
  if (fleet.State !== 'RUNNING') return;
  const allowed = fleet.FleetType === 'ELASTIC' ? WHILE_RUNNING.elastic : WHILE_RUNNING.other;
  const blocked = changed.filter((m) => !allowed.includes(m));
  if (blocked.length) {
    const what = blocked.length === 1 ? `attribute ${blocked[0]}` : `attributes ${blocked.join(', ')}`;
    throw inUse(`Cannot update the ${what} for fleet ${fleet.Name} when it is ACTIVE. The fleet must be stopped to complete this action.`);
  }
}

/** Applies the request to a copy of the fleet; VpcConfig merges member by member, as its attributes are deleted one by one. */
function updated(fleet: FleetRecord, input: Json): FleetRecord {
  const next = clone(fleet);
  for (const attribute of (input.AttributesToDelete ?? []) as string[]) {
    const [member, inner] = CLEARS[attribute].split('.');
    if (inner) delete (next[member] as Json | undefined)?.[inner];
    else delete next[member];
  }
  if (input.DeleteVpcConfig) delete next.VpcConfig;
  for (const [member, value] of Object.entries(input)) {
    if (NOT_STORED_AS_GIVEN.has(member) || !isSet(value)) continue;
    next[member] = member === 'VpcConfig' ? { ...((next.VpcConfig as Json | undefined) ?? {}), ...clone(value as Json) } : clone(value);
  }
  dropEmptyText(next);
  return next;
}

function checkDeletions(input: Json): void {
  for (const attribute of (input.AttributesToDelete ?? []) as string[]) {
    if (isSet(at(input, CLEARS[attribute]))) throw invalidCombination(`${attribute} can't be both set and deleted in the same request.`);
  }
  if (input.DeleteVpcConfig && isSet(input.VpcConfig)) throw invalidCombination("DeleteVpcConfig and VpcConfig can't be used in the same request.");
}

/**
 * Partial: members left out stay. The model leaves Name optional, but no fleet can be found
 * without it, so a request without one is answered as a missing required member.
 */
function updateFleet(input: Json, { store }: Context): Json {
  if (!isSet(input.Name)) {
    throw new ServiceError('ValidationException', validationMessage([{ path: ['Name'], value: null, constraint: 'Member must not be null' }]), 400);
  }
  const fleet = fleetNamed(store, input.Name as string);
  checkUpdatable(fleet, changedMembers(input));
  checkRanges(input);
  checkDeletions(input);
  if (isSet(input.ImageName) && isSet(input.ImageArn)) throw invalidCombination('Specify either ImageName or ImageArn, not both.');
  const capacity = (input.ComputeCapacity as Capacity | undefined) ?? desiredCapacity(fleet);
  const next = updated(fleet, input);
  const image = Object.fromEntries(['ImageName', 'ImageArn'].filter((m) => isSet(input[m])).map((m) => [m, input[m]]));
  checkTypeRules({ ...next, ComputeCapacity: capacity, ...image });
  if (isSet(input.ImageName) || isSet(input.ImageArn)) setImage(next, imageFor(store, input));
  next.ComputeCapacityStatus = capacityStatus(next, capacity);
  // In place: the record's identity keys its pending transitions.
  for (const member of Object.keys(fleet)) delete fleet[member];
  Object.assign(fleet, next);
  return { Fleet: describeFleet(fleet) };
}

function deleteFleet(input: Json, { store }: Context): Json {
  const fleet = fleetNamed(store, input.Name as string);
  if (fleet.AssociatedStacks.length) {
    throw inUse(`The fleet ${fleet.Name} is associated with a stack. To delete the fleet, you must dissociate it from the stack.`);
  }
  if (fleet.State !== 'STOPPED') throw inUse(`Cannot delete fleet ${fleet.Name} when it is ${fleet.State}. The fleet must be stopped to complete this action.`);
  store.fleets.delete(fleet.Name);
  return {};
}

/**
 * StartFleet and StopFleet model no error for a fleet in the wrong state; ConcurrentModification
 * is the one both declare. A starting fleet can be stopped (how a stuck one is got out of STARTING).
 */
function startFleet(input: Json, { store }: Context): Json {
  const fleet = fleetNamed(store, input.Name as string);
  if (fleet.State !== 'STOPPED') throw concurrent(`The fleet ${fleet.Name} is ${fleet.State}. Only a STOPPED fleet can be started.`);
  store.fleetLifecycle.move(fleet, 'STARTING');
  return {};
}

function stopFleet(input: Json, { store }: Context): Json {
  const fleet = fleetNamed(store, input.Name as string);
  if (fleet.State !== 'RUNNING' && fleet.State !== 'STARTING') {
    throw concurrent(`The fleet ${fleet.Name} is ${fleet.State}. Only a RUNNING or STARTING fleet can be stopped.`);
  }
  store.fleetLifecycle.move(fleet, 'STOPPING');
  return {};
}

function describeFleets(input: Json, { store, pageSize }: Context): Json {
  const names = (input.Names ?? []) as string[];
  const fleets = names.length ? names.map((n) => fleetNamed(store, n)) : store.fleetList();
  const page = paginate([...new Set(fleets)], (f) => f.Name, input.NextToken as string | undefined, pageSize(25), 'ValidationException');
  return { Fleets: page.items.map(describeFleet), ...(page.next ? { NextToken: page.next } : {}) };
}

export const fleetHandlers: Record<string, Handler> = {
  CreateFleet: createFleet,
  UpdateFleet: updateFleet,
  DeleteFleet: deleteFleet,
  StartFleet: startFleet,
  StopFleet: stopFleet,
  DescribeFleets: describeFleets,
};
