/**
 * AppStream app blocks (Elastic fleets' application packages): CreateAppBlock, DescribeAppBlocks
 * and DeleteAppBlock; there is no update. State, as the model documents it: a CUSTOM block is
 * always ACTIVE; an APPSTREAM2 block is INACTIVE until an app block builder has packaged its VHD.
 * Applications (applications.ts) name their block by ARN. Tags live with the other taggables.
 *
 * Other modules reach app blocks through `store.appBlocks`: `named(name)`, `withArn(arn)` and
 * `list()` return the records themselves (an app block builder packages one by setting its State
 * to ACTIVE). A module whose resources keep a block in use registers a blocker in
 * `store.appBlocks.blockers`: DeleteAppBlock asks each one and refuses with ResourceInUseException
 * while any gives a reason.
 */
import { asObject, checkShape, checkTags, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { Store, Tags } from './state.js';

/** Why the resource with this ARN can't be deleted now, or undefined when nothing holds it. */
export type Blocker = (arn: string) => string | undefined;

/** An AppBlock as DescribeAppBlocks returns it, plus its tags (the state file's form). */
export interface AppBlockState extends Json {
  Name: string;
  PackagingType?: string;
  State?: string;
  Tags?: Tags;
}

export interface AppBlockRecord extends AppBlockState {
  Arn: string;
  PackagingType: string;
  State: string;
  Tags: Tags;
}

/**
 * The named resources of one kind, found by name or by ARN (how the API names them), with the
 * blockers other modules register against their deletion.
 */
export class Catalogue<R extends { Name: string; Arn: string }> {
  readonly byName = new Map<string, R>();
  readonly blockers: Blocker[] = [];

  constructor(private readonly noun: string) {}

  named(name: string): R | undefined {
    return this.byName.get(name);
  }

  withArn(arn: string): R | undefined {
    return [...this.byName.values()].find((resource) => resource.Arn === arn);
  }

  list(): R[] {
    return [...this.byName.values()];
  }

  /** The resource of `arn`, or the service's ResourceNotFoundException. */
  found(arn: string): R {
    const resource = this.withArn(arn);
    if (!resource) throw notFound(this.noun, arn);
    return resource;
  }

  /** Refuses, with the first blocker's reason, to delete a resource that is in use. */
  checkDeletable(resource: R): void {
    const reason = this.blockers.map((blocker) => blocker(resource.Arn)).find((r) => r !== undefined);
    if (reason) throw new ServiceError('ResourceInUseException', `The ${this.noun.toLowerCase()} ${resource.Name} ${reason}.`);
  }

  /** DescribeAppBlocks and DescribeApplications: the ARNs asked for (each must exist), or all, a page at a time. */
  describe(input: Json, pageSize: Context['pageSize'], shown: (resource: R) => Json): { items: Json[]; next?: string } {
    const arns = (input.Arns ?? []) as string[];
    const resources = arns.length ? [...new Set(arns.map((arn) => this.found(arn)))] : this.list();
    const page = paginate(resources, (r) => r.Name, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), 'ValidationException');
    return { items: page.items.map(shown), ...(page.next ? { next: page.next } : {}) };
  }
}

export type AppBlocks = Catalogue<AppBlockRecord>;

const invalidCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message);
const isSet = (value: unknown) => value !== undefined && value !== null;

/** A block is ACTIVE from the start unless the service packages it (APPSTREAM2). */
const initialState = (packaging: string) => (packaging === 'APPSTREAM2' ? 'INACTIVE' : 'ACTIVE');

/** Reads the state file's `appstream.appBlocks`: every member DescribeAppBlocks returns may be given (State, AppBlockErrors). */
export function seedAppBlocks(store: Store, list: unknown): AppBlocks {
  const blocks: AppBlocks = new Catalogue('App block');
  listAt(list, 'appstream.appBlocks').forEach((raw, i) => {
    const path = `appstream.appBlocks[${i}]`;
    const { Tags, ...fields } = asObject(raw, path) as AppBlockState;
    const packaging = fields.PackagingType ?? 'CUSTOM';
    const described: Json = { Arn: store.arn('appstream', `app-block/${fields.Name}`), CreatedTime: Date.now() / 1000, PackagingType: packaging, State: initialState(packaging), ...fields };
    checkShape('appstream', 'AppBlock', described, path);
    // The output shape requires no source, but CreateAppBlock does.
    if (described.SourceS3Location === undefined) throw new StateError(`${path}.SourceS3Location: is required`);
    checkTags(Tags, path);
    if (blocks.byName.has(fields.Name)) throw new StateError(`${path}.Name: app block '${fields.Name}' appears twice`);
    blocks.byName.set(fields.Name, { ...(epochTimestamps(facts.appstream, 'AppBlock', described) as AppBlockRecord), Tags: { ...(Tags ?? {}) } });
  });
  return blocks;
}

export const describeAppBlock = ({ Tags: _, ...block }: AppBlockRecord): Json => clone(block);

/**
 * The packaging rules the model states only in its documentation: a CUSTOM block needs the
 * script that mounts its VHD (and the VHD's key); post-setup scripts are for APPSTREAM2 only.
 */
function checkPackaging(input: Json, packaging: string): void {
  if (packaging === 'CUSTOM') {
    if (!isSet(input.SetupScriptDetails)) throw invalidCombination('SetupScriptDetails is required for an app block with PackagingType CUSTOM.');
    if (isSet(input.PostSetupScriptDetails)) throw invalidCombination('PostSetupScriptDetails can only be provided for the APPSTREAM2 PackagingType.');
    if (!isSet((input.SourceS3Location as Json).S3Key)) throw invalidCombination('SourceS3Location.S3Key is required for an app block with PackagingType CUSTOM: it names the VHD.');
  } else if (isSet(input.SetupScriptDetails)) {
    throw invalidCombination('SetupScriptDetails can only be provided for the CUSTOM PackagingType.');
  }
}

function createAppBlock(input: Json, { store }: Context): Json {
  const { Tags, ...fields } = input;
  const packaging = (input.PackagingType as string | undefined) ?? 'CUSTOM';
  checkPackaging(input, packaging);
  const name = input.Name as string;
  if (store.appBlocks.byName.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `An app block with the name ${name} already exists.`);
  const block = {
    Arn: store.arn('appstream', `app-block/${name}`),
    CreatedTime: Date.now() / 1000,
    ...clone(fields),
    PackagingType: packaging,
    State: initialState(packaging),
    Tags: { ...((Tags as Tags | undefined) ?? {}) },
  } as unknown as AppBlockRecord;
  for (const member of ['Description', 'DisplayName']) if (block[member] === '') delete block[member];
  store.appBlocks.byName.set(name, block);
  return { AppBlock: describeAppBlock(block) };
}

/** DeleteAppBlock names the block by Name; the blockers (applications, builders) are asked first. */
function deleteAppBlock(input: Json, { store }: Context): Json {
  const block = store.appBlocks.named(input.Name as string);
  if (!block) throw notFound('App block', input.Name as string);
  store.appBlocks.checkDeletable(block);
  store.appBlocks.byName.delete(block.Name);
  return {};
}

function describeAppBlocks(input: Json, { store, pageSize }: Context): Json {
  const page = store.appBlocks.describe(input, pageSize, describeAppBlock);
  return { AppBlocks: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

export const appBlockHandlers: Record<string, Handler> = {
  CreateAppBlock: createAppBlock,
  DeleteAppBlock: deleteAppBlock,
  DescribeAppBlocks: describeAppBlocks,
};
