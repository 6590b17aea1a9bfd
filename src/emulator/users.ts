/**
 * AppStream user pool: CreateUser, DeleteUser, EnableUser, DisableUser, DescribeUsers, and the
 * user↔stack assignments (BatchAssociateUserStack, BatchDisassociateUserStack with their per-entry
 * errors, DescribeUserStackAssociations). User names are case-sensitive, as AWS documents. The
 * state file's sections are `appstream.users` (as DescribeUsers returns them) and
 * `appstream.userStackAssociations` (as DescribeUserStackAssociations returns them).
 */
import { asObject, checkShape, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { Store } from './state.js';

const USERPOOL = 'USERPOOL';
const INVALID_TOKEN = 'ValidationException';

export interface UserRecord extends Json {
  UserName: string;
  AuthenticationType: string;
  Arn: string;
  Enabled: boolean;
  Status: string;
  CreatedTime: number;
}

export interface AssociationRecord {
  StackName: string;
  UserName: string;
  AuthenticationType: string;
}

/** The pool's users by name and the assignments, keyed `stack \0 user \0 type`. */
export class UserPool {
  readonly users = new Map<string, UserRecord>();
  readonly associations = new Map<string, AssociationRecord>();

  static key = (a: AssociationRecord) => `${a.StackName}\0${a.UserName}\0${a.AuthenticationType}`;

  /** Assignments of stacks that still exist (a deleted stack takes its assignments with it). */
  current(store: Store): AssociationRecord[] {
    for (const [key, a] of this.associations) if (!store.stacks.has(a.StackName)) this.associations.delete(key);
    return [...this.associations.values()];
  }

  /** The state file's sections, left out while empty. */
  toState(store: Store): { users?: UserRecord[]; userStackAssociations?: AssociationRecord[] } {
    const associations = this.current(store);
    return clone({ ...(this.users.size ? { users: [...this.users.values()] } : {}), ...(associations.length ? { userStackAssociations: associations } : {}) });
  }
}

function newUser(store: Store, fields: Json, createdTime = Date.now() / 1000): UserRecord {
  const name = fields.UserName as string;
  return {
    Arn: store.arn('appstream', `user/${USERPOOL.toLowerCase()}/${name}`),
    UserName: name,
    AuthenticationType: USERPOOL,
    Enabled: true,
    Status: 'FORCE_CHANGE_PASSWORD',
    CreatedTime: createdTime,
    ...(fields.FirstName !== undefined ? { FirstName: fields.FirstName } : {}),
    ...(fields.LastName !== undefined ? { LastName: fields.LastName } : {}),
  };
}

/** Seeds the pool from the state file's `appstream.users` and `appstream.userStackAssociations`. */
export function seedUserPool(store: Store, users: unknown, associations: unknown): UserPool {
  const pool = new UserPool();
  listAt(users, 'appstream.users').forEach((raw, i) => {
    const path = `appstream.users[${i}]`;
    const fields = asObject(raw, path);
    checkShape('appstream', 'User', fields, path);
    if (fields.AuthenticationType !== USERPOOL) throw new StateError(`${path}.AuthenticationType: only USERPOOL users live in the user pool`);
    if (typeof fields.UserName !== 'string') throw new StateError(`${path}.UserName: is required`);
    if (pool.users.has(fields.UserName)) throw new StateError(`${path}.UserName: user '${fields.UserName}' appears twice`);
    const seeded = epochTimestamps(facts.appstream, 'User', fields) as Json;
    pool.users.set(fields.UserName, { ...newUser(store, seeded, seeded.CreatedTime as number | undefined), ...seeded } as UserRecord);
  });
  listAt(associations, 'appstream.userStackAssociations').forEach((raw, i) => {
    const path = `appstream.userStackAssociations[${i}]`;
    const a = asObject(raw, path) as unknown as AssociationRecord;
    checkShape('appstream', 'UserStackAssociation', a, path);
    if (!store.stacks.has(a.StackName)) throw new StateError(`${path}.StackName: no stack named '${a.StackName}' in appstream.stacks`);
    if (a.AuthenticationType === USERPOOL && !pool.users.has(a.UserName)) throw new StateError(`${path}.UserName: no user named '${a.UserName}' in appstream.users`);
    const record = { StackName: a.StackName, UserName: a.UserName, AuthenticationType: a.AuthenticationType };
    pool.associations.set(UserPool.key(record), record);
  });
  return pool;
}

function userNamed(store: Store, input: Json): UserRecord {
  const user = input.AuthenticationType === USERPOOL ? store.userPool.users.get(input.UserName as string) : undefined;
  if (!user) throw notFound('User', input.UserName as string);
  return user;
}

function createUser(input: Json, { store }: Context): Json {
  if (input.AuthenticationType !== USERPOOL) {
    throw new ServiceError('InvalidParameterCombinationException', `Cannot create a user with '${input.AuthenticationType as string}' authentication type.`);
  }
  const name = input.UserName as string;
  const existing = store.userPool.users.get(name);
  if (input.MessageAction === 'RESEND') {
    if (input.FirstName !== undefined || input.LastName !== undefined) {
      throw new ServiceError('InvalidParameterCombinationException', 'FirstName and LastName cannot be specified when MessageAction is RESEND.');
    }
    if (!existing) throw new ServiceError('OperationNotPermittedException', `The user ${name} does not exist; the welcome email can be resent only to an existing user.`);
    return {};
  }
  if (existing) throw new ServiceError('ResourceAlreadyExistsException', `User ${name} already exists.`);
  store.userPool.users.set(name, newUser(store, input));
  return {};
}

function deleteUser(input: Json, { store }: Context): Json {
  const user = userNamed(store, input);
  store.userPool.users.delete(user.UserName);
  for (const [key, a] of store.userPool.associations) if (a.UserName === user.UserName && a.AuthenticationType === USERPOOL) store.userPool.associations.delete(key);
  return {};
}

const setEnabled =
  (enabled: boolean): Handler =>
  (input, { store }) => {
    userNamed(store, input).Enabled = enabled;
    return {};
  };

function describeUsers(input: Json, { store, pageSize }: Context): Json {
  if (input.AuthenticationType !== USERPOOL) {
    throw new ServiceError('InvalidParameterCombinationException', `Users can be described only for the USERPOOL authentication type, not ${input.AuthenticationType as string}.`);
  }
  const page = paginate([...store.userPool.users.values()], (u) => u.UserName, input.NextToken as string | undefined, pageSize(50, input.MaxResults as number | undefined), INVALID_TOKEN);
  return { Users: page.items.map((u) => clone(u)), ...(page.next ? { NextToken: page.next } : {}) };
}

/** A stack one of whose fleets is joined to a domain: user-pool users cannot be assigned to it. */
function domainJoinedFleet(store: Store, stackName: string): string | undefined {
  return store.fleetList().find((f) => f.AssociatedStacks.includes(stackName) && (f.DomainJoinInfo as Json | undefined)?.DirectoryName)?.Name;
}

type Entry = AssociationRecord & { SendEmailNotification?: boolean };

/** The error of one entry, or undefined when the entry can be applied. */
function entryError(store: Store, entry: Entry): { ErrorCode: string; ErrorMessage: string } | undefined {
  if (!store.visibleStack(entry.StackName)) return { ErrorCode: 'STACK_NOT_FOUND', ErrorMessage: `Stack ${entry.StackName} not found.` };
  if (entry.AuthenticationType !== USERPOOL) {
    // Only the user pool is a directory the emulator has: the other types' users cannot be resolved.
    return { ErrorCode: 'DIRECTORY_NOT_FOUND', ErrorMessage: `No directory was found for the ${entry.AuthenticationType} user ${entry.UserName}.` };
  }
  if (!store.userPool.users.has(entry.UserName)) return { ErrorCode: 'USER_NAME_NOT_FOUND', ErrorMessage: `User ${entry.UserName} not found.` };
  return undefined;
}

function batch(associate: boolean): Handler {
  return (input, { store }) => {
    const entries = input.UserStackAssociations as Entry[];
    if (associate) {
      for (const entry of entries) {
        const fleet = entry.AuthenticationType === USERPOOL && store.visibleStack(entry.StackName) ? domainJoinedFleet(store, entry.StackName) : undefined;
        if (fleet) {
          throw new ServiceError(
            'OperationNotPermittedException',
            `Users in a user pool cannot be assigned to stacks with fleets that are joined to an Active Directory domain (stack ${entry.StackName}, fleet ${fleet}).`,
          );
        }
      }
    }
    const errors: Json[] = [];
    for (const entry of entries) {
      const error = entryError(store, entry);
      const record = { StackName: entry.StackName, UserName: entry.UserName, AuthenticationType: entry.AuthenticationType };
      if (error) errors.push({ UserStackAssociation: clone(entry), ...error });
      else if (associate) store.userPool.associations.set(UserPool.key(record), record);
      else store.userPool.associations.delete(UserPool.key(record));
    }
    return { errors };
  };
}

function describeUserStackAssociations(input: Json, { store, pageSize }: Context): Json {
  const { StackName, UserName, AuthenticationType } = input as Partial<AssociationRecord>;
  if (StackName === undefined && UserName === undefined) {
    throw new ServiceError('InvalidParameterCombinationException', 'Either StackName, or UserName and AuthenticationType, must be specified.');
  }
  if ((UserName === undefined) !== (AuthenticationType === undefined)) {
    throw new ServiceError('InvalidParameterCombinationException', 'UserName and AuthenticationType must be specified together.');
  }
  const matching = store.userPool
    .current(store)
    .filter((a) => (StackName === undefined || a.StackName === StackName) && (UserName === undefined || (a.UserName === UserName && a.AuthenticationType === AuthenticationType)));
  const page = paginate(matching, UserPool.key, input.NextToken as string | undefined, pageSize(50, input.MaxResults as number | undefined), INVALID_TOKEN);
  return { UserStackAssociations: page.items.map((a) => clone(a)), ...(page.next ? { NextToken: page.next } : {}) };
}

export const userHandlers: Record<string, Handler> = {
  CreateUser: createUser,
  DeleteUser: deleteUser,
  EnableUser: setEnabled(true),
  DisableUser: setEnabled(false),
  DescribeUsers: describeUsers,
  BatchAssociateUserStack: batch(true),
  BatchDisassociateUserStack: batch(false),
  DescribeUserStackAssociations: describeUserStackAssociations,
};
