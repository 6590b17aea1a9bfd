/**
 * AppStream app block builders: Create/Update/Delete/Describe/Start/StopAppBlockBuilder, the
 * states STOPPED → STARTING → RUNNING → STOPPING → STOPPED (each transition --transition-ms), and
 * their association with an app block (Associate/DisassociateAppBlockBuilderAppBlock,
 * DescribeAppBlockBuilderAppBlockAssociations). A builder starts only with an app block, is
 * deleted only when STOPPED and without one, and is associated with one APPSTREAM2 app block at a
 * time; an app block it is associated with cannot be deleted. Stopping a RUNNING builder packages
 * its app block (INACTIVE → ACTIVE), the emulator's stand-in for the administrator saving the
 * block in the builder's session. One started in a subnet of the state file's
 * `appstream.failingSubnets` reports AppBlockBuilderErrors at once and ends STOPPED. Tags live with
 * the other taggables (appstream.ts, tagging.ts).
 */
import type { AppBlockRecord } from './app-blocks.js';
import { asObject, checkKeys, checkShape, checkTags, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { Lifecycle, type LifecycleSpec } from './lifecycle.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { Store, Tags } from './state.js';

export type AppBlockBuilderStateName = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED';

/** An AppBlockBuilder as DescribeAppBlockBuilders returns it, plus its tags (the state file's form). */
export interface AppBlockBuilderState extends Json {
  Name: string;
  State?: string;
  Tags?: Tags;
}

export interface AppBlockBuilderRecord extends AppBlockBuilderState {
  Arn: string;
  State: AppBlockBuilderStateName;
  Tags: Tags;
}

/** An association as DescribeAppBlockBuilderAppBlockAssociations returns it. */
export interface AppBlockBuilderAssociation {
  AppBlockArn: string;
  AppBlockBuilderName: string;
}

/** What a RUNNING builder takes (UpdateAppBlockBuilder's documentation); a STOPPED one takes anything but Name. */
const WHILE_RUNNING = ['DisplayName', 'Description'];

/** AppBlockBuilderAttribute → the member it clears (`VpcConfig.SecurityGroupIds`: a member of a member). */
const CLEARS: Record<string, string> = {
  IAM_ROLE_ARN: 'IamRoleArn',
  ACCESS_ENDPOINTS: 'AccessEndpoints',
  VPC_CONFIGURATION_SECURITY_GROUP_IDS: 'VpcConfig.SecurityGroupIds',
};

/** CreateAppBlockBuilder's documented instance types. */
const INSTANCE_TYPES = ['small', 'medium', 'large', 'xlarge', '2xlarge'].map((size) => `stream.standard.${size}`);
const PLATFORM = 'WINDOWS_SERVER_2019';

const invalidCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message);
const notPermitted = (message: string) => new ServiceError('OperationNotPermittedException', message);
const concurrent = (message: string) => new ServiceError('ConcurrentModificationException', message);
const inUse = (message: string) => new ServiceError('ResourceInUseException', message);
const isSet = (value: unknown) => value !== undefined && value !== null;
const at = (value: Json, path: string): unknown => path.split('.').reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);

/** The builders of one account, their lifecycle and their app block associations. */
export class AppBlockBuilders {
  readonly byName = new Map<string, AppBlockBuilderRecord>();
  readonly lifecycle: Lifecycle<AppBlockBuilderRecord, AppBlockBuilderStateName>;
  associations: AppBlockBuilderAssociation[] = [];

  constructor(
    store: Store,
    transitionMs: number,
    private readonly failingSubnets: ReadonlySet<string>,
  ) {
    const spec: LifecycleSpec<AppBlockBuilderRecord, AppBlockBuilderStateName> = {
      // A builder that could not launch stops again, keeping its errors.
      next: { STARTING: (builder) => (this.fails(builder) ? 'STOPPED' : 'RUNNING'), STOPPING: () => 'STOPPED' },
      state: (builder) => builder.State,
      enter: (builder, state) => {
        // Entered in StopAppBlockBuilder itself, so DescribeAppBlocks sees the block packaged without reading the builder.
        const stopped = builder.State === 'RUNNING' && state === 'STOPPING';
        builder.State = state;
        if (state === 'STOPPED' && this.fails(builder)) builder.StateChangeReason = { Code: 'INTERNAL_ERROR', Message: 'The app block builder could not be launched.' };
        if (!stopped) return;
        for (const { AppBlockArn } of this.associationsOf(builder.Name)) {
          const block = store.appBlocks.withArn(AppBlockArn);
          if (block?.State === 'INACTIVE') block.State = 'ACTIVE';
        }
      },
    };
    this.lifecycle = new Lifecycle(spec, transitionMs);
  }

  fails(builder: AppBlockBuilderRecord): boolean {
    return ((at(builder, 'VpcConfig.SubnetIds') as string[] | undefined) ?? []).some((subnet) => this.failingSubnets.has(subnet));
  }

  add(builder: AppBlockBuilderRecord): void {
    this.byName.set(builder.Name, builder);
    this.lifecycle.track(builder);
  }

  /** The builder named `name`, its due transitions applied; every read of a builder goes through here. */
  get(name: string): AppBlockBuilderRecord | undefined {
    const builder = this.byName.get(name);
    return builder && this.lifecycle.settle(builder);
  }

  list(): AppBlockBuilderRecord[] {
    return [...this.byName.values()].map((builder) => this.lifecycle.settle(builder));
  }

  associationsOf(name: string): AppBlockBuilderAssociation[] {
    return this.associations.filter((a) => a.AppBlockBuilderName === name);
  }

  /** Why the app block of `arn` cannot be deleted now: a builder is associated with it. */
  blocker(arn: string): string | undefined {
    const names = this.associations.filter((a) => a.AppBlockArn === arn).map((a) => a.AppBlockBuilderName);
    return names.length ? `is associated with the app block builder(s) ${names.join(', ')}; disassociate them first` : undefined;
  }
}

/** Reads the state file's `appstream.appBlockBuilders` and `appstream.appBlockBuilderAppBlockAssociations`. */
export function seedAppBlockBuilders(store: Store, section: { appBlockBuilders?: unknown; appBlockBuilderAppBlockAssociations?: unknown }, failingSubnets: ReadonlySet<string>, transitionMs: number): AppBlockBuilders {
  const builders = new AppBlockBuilders(store, transitionMs, failingSubnets);
  store.appBlocks.blockers.push((arn) => builders.blocker(arn));
  listAt(section.appBlockBuilders, 'appstream.appBlockBuilders').forEach((raw, i) => {
    const path = `appstream.appBlockBuilders[${i}]`;
    const { Tags, ...fields } = asObject(raw, path) as AppBlockBuilderState;
    const described = { ...builderDefaults(store, fields.Name), ...fields };
    checkShape('appstream', 'AppBlockBuilder', described, path);
    checkTags(Tags, path);
    if (builders.byName.has(fields.Name)) throw new StateError(`${path}.Name: app block builder '${fields.Name}' appears twice`);
    builders.add({ ...(epochTimestamps(facts.appstream, 'AppBlockBuilder', described) as AppBlockBuilderRecord), Tags: { ...(Tags ?? {}) } });
  });
  listAt(section.appBlockBuilderAppBlockAssociations, 'appstream.appBlockBuilderAppBlockAssociations').forEach((raw, i) => {
    const path = `appstream.appBlockBuilderAppBlockAssociations[${i}]`;
    const association = asObject(raw, path) as unknown as AppBlockBuilderAssociation;
    checkKeys(association, ['AppBlockArn', 'AppBlockBuilderName'], `${path}.`);
    checkShape('appstream', 'AppBlockBuilderAppBlockAssociation', association, path);
    if (!builders.byName.has(association.AppBlockBuilderName)) throw new StateError(`${path}.AppBlockBuilderName: no app block builder named '${association.AppBlockBuilderName}' in appstream.appBlockBuilders`);
    if (!store.appBlocks.withArn(association.AppBlockArn)) throw new StateError(`${path}.AppBlockArn: no app block in appstream.appBlocks has the ARN '${association.AppBlockArn}'`);
    if (builders.associationsOf(association.AppBlockBuilderName).length) throw new StateError(`${path}: app block builder '${association.AppBlockBuilderName}' is associated with a second app block`);
    builders.associations.push({ AppBlockArn: association.AppBlockArn, AppBlockBuilderName: association.AppBlockBuilderName });
  });
  return builders;
}

/** The state file's sections, as the Describe calls return them. */
export function appBlockBuildersState(builders: AppBlockBuilders): Json {
  return {
    ...(builders.byName.size ? { appBlockBuilders: builders.list() } : {}),
    ...(builders.associations.length ? { appBlockBuilderAppBlockAssociations: builders.associations } : {}),
  };
}

/** What the service fills in when CreateAppBlockBuilder leaves it out. */
function builderDefaults(store: Store, name: string): Json {
  return {
    Arn: store.arn('appstream', `app-block-builder/${name}`),
    Name: name,
    State: 'STOPPED',
    CreatedTime: Date.now() / 1000,
    EnableDefaultInternetAccess: false,
    DisableIMDSV1: false,
    AppBlockBuilderErrors: [],
  };
}

function describeBuilder({ Tags: _, ...builder }: AppBlockBuilderRecord): Json {
  return clone(builder);
}

function builderNamed(store: Store, name: string): AppBlockBuilderRecord {
  const builder = store.appBlockBuilders.get(name);
  if (!builder) throw notFound('App block builder', name);
  return builder;
}

function dropEmptyText(builder: Json): void {
  for (const member of ['Description', 'DisplayName']) if (builder[member] === '') delete builder[member];
}

/** The rules CreateAppBlockBuilder's documentation states, checked on the builder as it would be. */
function checkBuilder(builder: Json): void {
  if (builder.Platform !== PLATFORM) throw invalidCombination(`The platform ${String(builder.Platform)} is not supported for app block builders. ${PLATFORM} is the only valid value.`);
  if (!INSTANCE_TYPES.includes(builder.InstanceType as string)) throw invalidCombination(`The instance type ${String(builder.InstanceType)} is not available for app block builders.`);
  if (((at(builder, 'VpcConfig.SubnetIds') as string[] | undefined) ?? []).length < 2) {
    throw invalidCombination('App block builders need a VpcConfig with at least two subnets in different Availability Zones.');
  }
}

function createAppBlockBuilder(input: Json, { store }: Context): Json {
  const { Tags, ...fields } = input;
  checkBuilder(fields);
  const name = input.Name as string;
  if (store.appBlockBuilders.byName.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `An app block builder with the name ${name} already exists.`);
  const builder = { ...builderDefaults(store, name), ...clone(fields), Tags: { ...((Tags as Tags | undefined) ?? {}) } } as AppBlockBuilderRecord;
  dropEmptyText(builder);
  store.appBlockBuilders.add(builder);
  return { AppBlockBuilder: describeBuilder(builder) };
}

/** The members an update changes, deletions included, in the model's names. */
function changedMembers(input: Json): string[] {
  const set = Object.keys(input).filter((m) => !['Name', 'AttributesToDelete'].includes(m) && isSet(input[m]));
  const deleted = ((input.AttributesToDelete ?? []) as string[]).map((a) => CLEARS[a].split('.')[0]);
  return [...new Set([...set, ...deleted])];
}

/** Partial: members left out stay; VpcConfig merges member by member, as its security groups are deleted apart. */
function updateAppBlockBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State === 'STARTING' || builder.State === 'STOPPING') {
    throw concurrent(`Cannot update app block builder ${builder.Name} while it is ${builder.State}. Wait until it is RUNNING or STOPPED.`);
  }
  const blocked = builder.State === 'RUNNING' ? changedMembers(input).filter((m) => !WHILE_RUNNING.includes(m)) : [];
  if (blocked.length) {
    const what = blocked.length === 1 ? `attribute ${blocked[0]}` : `attributes ${blocked.join(', ')}`;
    throw inUse(`Cannot update the ${what} for app block builder ${builder.Name} when it is RUNNING. Only DisplayName and Description can be updated; stop the app block builder to update the others.`);
  }
  for (const attribute of (input.AttributesToDelete ?? []) as string[]) {
    if (isSet(at(input, CLEARS[attribute]))) throw invalidCombination(`${attribute} can't be both set and deleted in the same request.`);
  }
  const next = clone(builder);
  for (const attribute of (input.AttributesToDelete ?? []) as string[]) {
    const [member, inner] = CLEARS[attribute].split('.');
    if (inner) delete (next[member] as Json | undefined)?.[inner];
    else delete next[member];
  }
  for (const [member, value] of Object.entries(input)) {
    if (member === 'Name' || member === 'AttributesToDelete' || !isSet(value)) continue;
    next[member] = member === 'VpcConfig' ? { ...((next.VpcConfig as Json | undefined) ?? {}), ...clone(value as Json) } : clone(value);
  }
  checkBuilder(next);
  dropEmptyText(next);
  // In place: the record's identity keys its pending transitions.
  for (const member of Object.keys(builder)) delete builder[member];
  Object.assign(builder, next);
  return { AppBlockBuilder: describeBuilder(builder) };
}

function deleteAppBlockBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State === 'STARTING' || builder.State === 'STOPPING') throw concurrent(`The app block builder ${builder.Name} is ${builder.State}. Try again when it is STOPPED.`);
  if (builder.State !== 'STOPPED') throw notPermitted(`The app block builder ${builder.Name} can't be deleted when it is ${builder.State}. Stop it first.`);
  if (store.appBlockBuilders.associationsOf(builder.Name).length) {
    throw inUse(`The app block builder ${builder.Name} is associated with an app block. An app block builder can only be deleted when it has no association with an app block.`);
  }
  store.appBlockBuilders.byName.delete(builder.Name);
  return {};
}

function startAppBlockBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State !== 'STOPPED') throw concurrent(`The app block builder ${builder.Name} is ${builder.State}. Only a STOPPED app block builder can be started.`);
  if (!store.appBlockBuilders.associationsOf(builder.Name).length) {
    throw notPermitted(`The app block builder ${builder.Name} is not associated with an app block. An app block builder can only be started when it's associated with an app block.`);
  }
  delete builder.StateChangeReason;
  builder.AppBlockBuilderErrors = store.appBlockBuilders.fails(builder)
    ? [{ ErrorCode: 'NETWORK_INTERFACE_LIMIT_EXCEEDED', ErrorMessage: 'The subnet has no free IP addresses for the app block builder.', ErrorTimestamp: Date.now() / 1000 }]
    : [];
  store.appBlockBuilders.lifecycle.move(builder, 'STARTING');
  return { AppBlockBuilder: describeBuilder(builder) };
}

/** A starting builder can be stopped, as a fleet can. */
function stopAppBlockBuilder(input: Json, { store }: Context): Json {
  const builder = builderNamed(store, input.Name as string);
  if (builder.State === 'STOPPING') throw concurrent(`The app block builder ${builder.Name} is STOPPING.`);
  if (builder.State === 'STOPPED') throw notPermitted(`The app block builder ${builder.Name} is STOPPED. Only a RUNNING or STARTING app block builder can be stopped.`);
  store.appBlockBuilders.lifecycle.move(builder, 'STOPPING');
  return { AppBlockBuilder: describeBuilder(builder) };
}

function describeAppBlockBuilders(input: Json, { store, pageSize }: Context): Json {
  const names = (input.Names ?? []) as string[];
  const builders = names.length ? names.map((n) => builderNamed(store, n)) : store.appBlockBuilders.list();
  const page = paginate([...new Set(builders)], (b) => b.Name, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), 'ValidationException');
  return { AppBlockBuilders: page.items.map(describeBuilder), ...(page.next ? { NextToken: page.next } : {}) };
}

/** The builder and the app block of an association request; the association changes only while the builder is STOPPED. */
function associationTarget(input: Json, store: Store, verb: string): { builder: AppBlockBuilderRecord; block: AppBlockRecord } {
  const builder = builderNamed(store, input.AppBlockBuilderName as string);
  const block = store.appBlocks.found(input.AppBlockArn as string);
  if (builder.State !== 'STOPPED') throw notPermitted(`The app block builder ${builder.Name} is ${builder.State}. An app block can be ${verb} only while the app block builder is STOPPED.`);
  return { builder, block };
}

/** Associating the app block it has already changes nothing; a second app block is over the limit of one. */
function associateAppBlockBuilderAppBlock(input: Json, { store }: Context): Json {
  const { builder, block } = associationTarget(input, store, 'associated');
  // A CUSTOM block brings its own VHD: only APPSTREAM2 blocks are packaged by a builder.
  if (block.PackagingType !== 'APPSTREAM2') throw invalidCombination(`The app block ${block.Name} has PackagingType ${block.PackagingType}. An app block builder can be associated only with an app block of PackagingType APPSTREAM2.`);
  const association = { AppBlockArn: input.AppBlockArn as string, AppBlockBuilderName: builder.Name };
  const current = store.appBlockBuilders.associationsOf(builder.Name);
  if (current.some((a) => a.AppBlockArn === association.AppBlockArn)) return { AppBlockBuilderAppBlockAssociation: association };
  if (current.length) {
    throw new ServiceError('LimitExceededException', `The app block builder ${builder.Name} is already associated with the app block ${current[0].AppBlockArn}. An app block builder can be associated with one app block at a time.`);
  }
  store.appBlockBuilders.associations.push(association);
  return { AppBlockBuilderAppBlockAssociation: clone(association) };
}

function disassociateAppBlockBuilderAppBlock(input: Json, { store }: Context): Json {
  const { builder } = associationTarget(input, store, 'disassociated');
  const builders = store.appBlockBuilders;
  const kept = builders.associations.filter((a) => !(a.AppBlockBuilderName === builder.Name && a.AppBlockArn === input.AppBlockArn));
  if (kept.length === builders.associations.length) throw notFound('Association of app block builder', `${builder.Name} with app block ${input.AppBlockArn as string}`);
  builders.associations = kept;
  return {};
}

function describeAppBlockBuilderAppBlockAssociations(input: Json, { store, pageSize }: Context): Json {
  const matching = store.appBlockBuilders.associations.filter(
    (a) => (!isSet(input.AppBlockArn) || a.AppBlockArn === input.AppBlockArn) && (!isSet(input.AppBlockBuilderName) || a.AppBlockBuilderName === input.AppBlockBuilderName),
  );
  const key = (a: AppBlockBuilderAssociation) => `${a.AppBlockBuilderName}\n${a.AppBlockArn}`;
  const page = paginate(matching, key, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), 'ValidationException');
  return { AppBlockBuilderAppBlockAssociations: clone(page.items), ...(page.next ? { NextToken: page.next } : {}) };
}

export const appBlockBuilderHandlers: Record<string, Handler> = {
  CreateAppBlockBuilder: createAppBlockBuilder,
  UpdateAppBlockBuilder: updateAppBlockBuilder,
  DeleteAppBlockBuilder: deleteAppBlockBuilder,
  StartAppBlockBuilder: startAppBlockBuilder,
  StopAppBlockBuilder: stopAppBlockBuilder,
  DescribeAppBlockBuilders: describeAppBlockBuilders,
  AssociateAppBlockBuilderAppBlock: associateAppBlockBuilderAppBlock,
  DisassociateAppBlockBuilderAppBlock: disassociateAppBlockBuilderAppBlock,
  DescribeAppBlockBuilderAppBlockAssociations: describeAppBlockBuilderAppBlockAssociations,
};
