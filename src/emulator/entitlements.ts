/**
 * AppStream entitlements: CreateEntitlement, UpdateEntitlement, DeleteEntitlement,
 * DescribeEntitlements, AssociateApplicationToEntitlement, DisassociateApplicationFromEntitlement
 * and ListEntitledApplications. An entitlement belongs to its stack: it is named within it, and
 * deleting the stack takes it along. It names applications by name (ApplicationIdentifier), which
 * must exist, and an entitled application cannot be deleted (a blocker of store.applications: its
 * DeleteApplication answers ResourceInUseException). The state file's section is `appstream.entitlements`: each as
 * DescribeEntitlements returns it, plus `Applications`, the names of the applications it entitles
 * (ListEntitledApplications' ApplicationIdentifier values).
 */
import { asObject, checkShape, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { StackRecord, Store } from './state.js';

const INVALID = 'ValidationException';

/** The SAML attributes an entitlement may match: EntitlementAttribute.Name's documented values. */
const ATTRIBUTE_NAMES = ['roles', 'department', 'organization', 'groups', 'title', 'costCenter', 'userType'];

type Attribute = { Name: string; Value: string };

/** An Entitlement as DescribeEntitlements returns it, plus the applications it entitles (the state file's form). */
export interface EntitlementState extends Json {
  Name: string;
  StackName: string;
  Description?: string;
  AppVisibility: string;
  Attributes: Attribute[];
  Applications?: string[];
}

interface EntitlementRecord {
  /** The stack it belongs to: a stack deleted (or deleted and made again) no longer has it. */
  stack: StackRecord;
  entitlement: Json & { Name: string; StackName: string };
  applications: Set<string>;
}

const byStore = new WeakMap<Store, Map<string, EntitlementRecord>>();
const key = (stackName: string, name: string) => `${stackName}\0${name}`;

/** The entitlements of stacks that still exist, by stack and name. */
function entitlements(store: Store): Map<string, EntitlementRecord> {
  let records = byStore.get(store);
  if (!records) byStore.set(store, (records = new Map()));
  for (const [k, record] of records) if (store.stacks.get(record.entitlement.StackName) !== record.stack) records.delete(k);
  return records;
}

function checkAttributes(attributes: Attribute[] | undefined, fail: (message: string) => Error): void {
  const unknown = attributes?.find((attribute) => !ATTRIBUTE_NAMES.includes(attribute.Name));
  if (unknown) throw fail(`Attribute name ${unknown.Name} is not supported; use one of ${ATTRIBUTE_NAMES.join(', ')}.`);
}

/** Seeds `appstream.entitlements` of a state file; the stacks are seeded already. */
export function seedEntitlements(store: Store, list: unknown): void {
  const records = entitlements(store);
  listAt(list, 'appstream.entitlements').forEach((raw, i) => {
    const path = `appstream.entitlements[${i}]`;
    const { Applications, ...fields } = asObject(raw, path) as EntitlementState;
    checkShape('appstream', 'Entitlement', fields, path);
    checkAttributes(fields.Attributes, (message) => new StateError(`${path}.Attributes: ${message}`));
    const stack = store.stacks.get(fields.StackName);
    if (!stack) throw new StateError(`${path}.StackName: no stack named '${fields.StackName}' in appstream.stacks`);
    if (records.has(key(fields.StackName, fields.Name))) throw new StateError(`${path}.Name: entitlement '${fields.Name}' of stack '${fields.StackName}' appears twice`);
    const names = listAt(Applications, `${path}.Applications`);
    names.forEach((name, j) => {
      if (typeof name !== 'string' || !store.applications.named(name)) throw new StateError(`${path}.Applications[${j}]: no application named '${String(name)}' in appstream.applications`);
    });
    const now = Date.now() / 1000;
    const entitlement = { CreatedTime: now, LastModifiedTime: now, ...(epochTimestamps(facts.appstream, 'Entitlement', fields) as EntitlementState) };
    records.set(key(fields.StackName, fields.Name), { stack, entitlement, applications: new Set(names as string[]) });
  });
  store.applications.blockers.push((arn) => {
    const name = store.applications.withArn(arn)?.Name;
    const entitling = [...entitlements(store).values()].filter((record) => name !== undefined && record.applications.has(name)).map(({ entitlement }) => `${entitlement.StackName}/${entitlement.Name}`);
    return entitling.length ? `is entitled by the entitlement(s) ${entitling.join(', ')}; disassociate it first` : undefined;
  });
}

/** The state file's section, by stack and name. */
export function entitlementsState(store: Store): EntitlementState[] {
  return [...entitlements(store).values()]
    .map(({ entitlement, applications }) => clone({ ...entitlement, ...(applications.size ? { Applications: [...applications].sort() } : {}) }) as EntitlementState)
    .sort((a, b) => (key(a.StackName, a.Name) < key(b.StackName, b.Name) ? -1 : 1));
}

function stackNamed(store: Store, name: string): StackRecord {
  const stack = store.visibleStack(name);
  if (!stack) throw notFound('Stack', name);
  return stack;
}

function entitlementNamed(store: Store, stackName: string, name: string): EntitlementRecord {
  stackNamed(store, stackName);
  const record = entitlements(store).get(key(stackName, name));
  if (!record) throw new ServiceError('EntitlementNotFoundException', `Entitlement ${name} does not exist on stack ${stackName}.`);
  return record;
}

function createEntitlement(input: Json, { store }: Context): Json {
  const stackName = input.StackName as string;
  const name = input.Name as string;
  const stack = stackNamed(store, stackName);
  checkAttributes(input.Attributes as Attribute[], (message) => new ServiceError(INVALID, message));
  const records = entitlements(store);
  if (records.has(key(stackName, name))) throw new ServiceError('EntitlementAlreadyExistsException', `Entitlement ${name} already exists on stack ${stackName}.`);
  const now = Date.now() / 1000;
  const entitlement = { ...(clone(input) as EntitlementState), CreatedTime: now, LastModifiedTime: now };
  if (entitlement.Description === '') delete entitlement.Description;
  records.set(key(stackName, name), { stack, entitlement, applications: new Set() });
  return { Entitlement: clone(entitlement) };
}

/** Members given replace the entitlement's; "" clears the description. */
function updateEntitlement(input: Json, { store }: Context): Json {
  const { entitlement } = entitlementNamed(store, input.StackName as string, input.Name as string);
  checkAttributes(input.Attributes as Attribute[] | undefined, (message) => new ServiceError(INVALID, message));
  for (const member of ['Description', 'AppVisibility', 'Attributes']) if (input[member] !== undefined) entitlement[member] = clone(input[member]);
  if (entitlement.Description === '') delete entitlement.Description;
  entitlement.LastModifiedTime = Date.now() / 1000;
  return { Entitlement: clone(entitlement) };
}

function deleteEntitlement(input: Json, { store }: Context): Json {
  const { entitlement } = entitlementNamed(store, input.StackName as string, input.Name as string);
  entitlements(store).delete(key(entitlement.StackName, entitlement.Name));
  return {};
}

function describeEntitlements(input: Json, { store, pageSize }: Context): Json {
  const stackName = input.StackName as string;
  stackNamed(store, stackName);
  const found =
    input.Name !== undefined
      ? [entitlementNamed(store, stackName, input.Name as string)]
      : [...entitlements(store).values()].filter((record) => record.entitlement.StackName === stackName);
  const page = paginate(found, (record) => record.entitlement.Name, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), INVALID);
  return { Entitlements: page.items.map((record) => clone(record.entitlement)), ...(page.next ? { NextToken: page.next } : {}) };
}

/** The application must exist; associating it twice changes nothing. */
function associateApplication(input: Json, { store }: Context): Json {
  const record = entitlementNamed(store, input.StackName as string, input.EntitlementName as string);
  const application = input.ApplicationIdentifier as string;
  if (!store.applications.named(application)) throw notFound('Application', application);
  record.applications.add(application);
  return {};
}

function disassociateApplication(input: Json, { store }: Context): Json {
  const record = entitlementNamed(store, input.StackName as string, input.EntitlementName as string);
  const application = input.ApplicationIdentifier as string;
  if (!record.applications.delete(application)) {
    throw new ServiceError('ResourceNotFoundException', `The application ${application} is not associated with entitlement ${record.entitlement.Name}.`);
  }
  return {};
}

function listEntitledApplications(input: Json, { store, pageSize }: Context): Json {
  const record = entitlementNamed(store, input.StackName as string, input.EntitlementName as string);
  const page = paginate([...record.applications], (name) => name, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), INVALID);
  return { EntitledApplications: page.items.map((ApplicationIdentifier) => ({ ApplicationIdentifier })), ...(page.next ? { NextToken: page.next } : {}) };
}

export const entitlementHandlers: Record<string, Handler> = {
  CreateEntitlement: createEntitlement,
  UpdateEntitlement: updateEntitlement,
  DeleteEntitlement: deleteEntitlement,
  DescribeEntitlements: describeEntitlements,
  AssociateApplicationToEntitlement: associateApplication,
  DisassociateApplicationFromEntitlement: disassociateApplication,
  ListEntitledApplications: listEntitledApplications,
};
