/**
 * STS GetCallerIdentity and AssumeRole. The credentials AssumeRole issues are remembered, so that
 * a call signed with them is the role's session, in the role's account; any other access key is
 * the emulated account's own user. With `sts.roles` in the state only those roles can be assumed
 * (with their ExternalId, where one is declared); without it any role can.
 */
import { createHash } from 'node:crypto';
import { asObject, checkKeys, checkShape, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { ServiceError } from './errors.js';
import { randomText } from './random.js';
import type { Store } from './state.js';

export interface RoleState {
  RoleArn: string;
  /** The ExternalId the role's trust policy requires. */
  ExternalId?: string;
}
export interface StsState {
  roles?: RoleState[];
}

export interface Identity {
  Account: string;
  Arn: string;
  UserId: string;
}
export interface StsSession {
  identity: Identity;
  sessionToken: string;
  /** Epoch seconds. */
  expiration: number;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Role chaining (AssumeRole with a role session's credentials) is limited to one hour. */
const CHAINED_MAX_SECONDS = 3600;

/** The `sts` section of the state file: the roles that can be assumed, or undefined for any role. */
export function seedRoles(input: unknown): RoleState[] | undefined {
  if (input === undefined) return undefined;
  const sts = asObject(input, 'sts');
  checkKeys(sts, ['roles'], 'sts.');
  if (sts.roles === undefined) return undefined;
  const seen = new Set<string>();
  return listAt(sts.roles, 'sts.roles').map((raw, i) => {
    const path = `sts.roles[${i}]`;
    const role = asObject(raw, path) as unknown as RoleState;
    checkKeys(role, ['RoleArn', 'ExternalId'], `${path}.`);
    if (typeof role.RoleArn !== 'string' || !ROLE_ARN.test(role.RoleArn)) throw new StateError(`${path}.RoleArn: must be a role ARN such as arn:aws:iam::123456789012:role/name`);
    if (seen.has(role.RoleArn)) throw new StateError(`${path}.RoleArn: role '${role.RoleArn}' appears twice`);
    seen.add(role.RoleArn);
    if (role.ExternalId !== undefined) checkShape('sts', 'externalIdType', role.ExternalId, `${path}.ExternalId`);
    return { ...role };
  });
}

/** An id of AWS's form (AIDA… for users, AROA… for roles), the same for the same thing. */
const uniqueId = (prefix: string, of: string) => prefix + createHash('sha256').update(of).digest('hex').slice(0, 17).toUpperCase();

/** The emulated account's own user: who calls with any credentials AssumeRole did not issue. */
export function accountUser(store: Store): Identity {
  return { Account: store.account, Arn: `arn:aws:iam::${store.account}:user/emulator`, UserId: uniqueId('AIDA', store.account) };
}

/** Who signed the request, and whether it is a role session (then AssumeRole chains roles). */
function caller({ store, credentials }: Context): { identity: Identity; session: boolean } {
  const session = credentials.accessKeyId ? store.stsSessions.get(credentials.accessKeyId) : undefined;
  if (!session) return { identity: accountUser(store), session: false };
  if (credentials.sessionToken !== session.sessionToken) {
    throw new ServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  if (Date.now() / 1000 >= session.expiration) throw new ServiceError('ExpiredToken', 'The security token included in the request is expired', 403);
  return { identity: session.identity, session: true };
}

function getCallerIdentity(_: Json, ctx: Context): Json {
  return { ...caller(ctx).identity };
}

const validationError = (message: string) => new ServiceError('ValidationError', message, 400);

function assumeRole(input: Json, ctx: Context): Json {
  const { identity, session: chained } = caller(ctx);
  const roleArn = input.RoleArn as string;
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validationError(`${roleArn} is not a valid role ARN (arn:aws:iam::<account>:role/<name>).`);
  const [, partition, account, roleName] = match;
  const roles = ctx.store.roles;
  const declared = roles?.find((r) => r.RoleArn === roleArn);
  if (roles && (!declared || (declared.ExternalId !== undefined && declared.ExternalId !== input.ExternalId))) {
    throw new ServiceError('AccessDenied', `User: ${identity.Arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const duration = (input.DurationSeconds as number | undefined) ?? 3600;
  if (chained && duration > CHAINED_MAX_SECONDS) {
    throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (input.Policy !== undefined) {
    try {
      JSON.parse(input.Policy as string);
    } catch {
      throw new ServiceError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', 400);
    }
  }
  const name = input.RoleSessionName as string;
  const roleIdentity: Identity = {
    Account: account,
    Arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${name}`,
    UserId: `${uniqueId('AROA', roleArn)}:${name}`,
  };
  const random = ctx.store.stsRandom;
  const Credentials = {
    AccessKeyId: `ASIA${randomText(random, 16, KEY_ALPHABET)}`,
    SecretAccessKey: randomText(random, 40, SECRET_ALPHABET),
    SessionToken: randomText(random, 356, SECRET_ALPHABET),
    Expiration: Math.floor(Date.now() / 1000) + duration,
  };
  ctx.store.stsSessions.set(Credentials.AccessKeyId, { identity: roleIdentity, sessionToken: Credentials.SessionToken, expiration: Credentials.Expiration });
  return {
    Credentials,
    AssumedRoleUser: { AssumedRoleId: roleIdentity.UserId, Arn: roleIdentity.Arn },
    ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
  };
}

export const stsHandlers: Record<string, Handler> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
