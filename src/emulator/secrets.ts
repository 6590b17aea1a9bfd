/**
 * The two secret stores a directory config's credentials may come from: Secrets Manager's
 * GetSecretValue and SSM Parameter Store's GetParameter (awsJson1_1 both), served from the state
 * file's `secretsmanager.secrets[]` and `ssm.parameters[]`.
 */
import { createHash } from 'node:crypto';
import secretsManagerFacts from '../facts/secretsmanager.json' with { type: 'json' };
import ssmFacts from '../facts/ssm.json' with { type: 'json' };
import { asObject, checkKeys, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { ServiceError } from './errors.js';
import { validate, type Facts } from './shapes.js';
import type { Store } from './state.js';

export const secretsManagerModel = secretsManagerFacts as Facts;
export const ssmModel = ssmFacts as Facts;

/** A secret as GetSecretValue returns it (SecretBinary as base64); Name is required, the rest is filled in. */
export interface SecretState extends Json {
  Name: string;
  ARN?: string;
  SecretString?: string;
  SecretBinary?: string;
  VersionId?: string;
}
/** A parameter as GetParameter returns it (the decrypted Value). */
export interface ParameterState extends Json {
  Name: string;
  Type?: 'String' | 'StringList' | 'SecureString';
  Value: string;
  Version?: number;
}

export interface SecretStores {
  secretsmanager?: { secrets?: SecretState[] };
  ssm?: { parameters?: ParameterState[] };
}

interface Stores {
  secrets: Map<string, SecretState>;
  parameters: Map<string, ParameterState>;
}

const byStore = new WeakMap<Store, Stores>();

function stores(store: Store): Stores {
  let found = byStore.get(store);
  if (!found) byStore.set(store, (found = { secrets: new Map(), parameters: new Map() }));
  return found;
}

const versionOf = (seed: string) => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

function checkMembers(model: Facts, shape: string, value: Json, path: string): void {
  const [first] = validate(model, shape, value, { textTimestamps: true, rejectUnknown: true });
  if (first) throw new StateError(`${[path, ...first.path].join('.')}: ${first.constraint.replace(/^Member /, '')}`);
}

/** Seeds the `secretsmanager` and `ssm` sections of a state file. */
export function seedSecretStores(store: Store, state: SecretStores): void {
  const { secrets, parameters } = stores(store);
  const secretsManager = asObject(state.secretsmanager ?? {}, 'secretsmanager');
  checkKeys(secretsManager, ['secrets'], 'secretsmanager.');
  listAt(secretsManager.secrets, 'secretsmanager.secrets').forEach((raw, i) => {
    const path = `secretsmanager.secrets[${i}]`;
    const fields = asObject(raw, path) as SecretState;
    checkMembers(secretsManagerModel, 'GetSecretValueResponse', fields, path);
    if (typeof fields.Name !== 'string') throw new StateError(`${path}.Name: is required`);
    if ((fields.SecretString === undefined) === (fields.SecretBinary === undefined)) throw new StateError(`${path}: needs exactly one of SecretString and SecretBinary`);
    if (secrets.has(fields.Name)) throw new StateError(`${path}.Name: secret '${fields.Name}' appears twice`);
    const suffix = createHash('sha256').update(fields.Name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
    secrets.set(fields.Name, {
      ARN: `arn:aws:secretsmanager:${store.region}:${store.account}:secret:${fields.Name}-${suffix}`,
      VersionId: versionOf(`${fields.Name}\u0000${fields.SecretString ?? fields.SecretBinary}`),
      ...clone(fields),
    });
  });
  const ssm = asObject(state.ssm ?? {}, 'ssm');
  checkKeys(ssm, ['parameters'], 'ssm.');
  listAt(ssm.parameters, 'ssm.parameters').forEach((raw, i) => {
    const path = `ssm.parameters[${i}]`;
    const fields = asObject(raw, path) as ParameterState;
    checkMembers(ssmModel, 'Parameter', fields, path);
    if (typeof fields.Name !== 'string' || typeof fields.Value !== 'string') throw new StateError(`${path}: Name and Value are required`);
    if (parameters.has(fields.Name)) throw new StateError(`${path}.Name: parameter '${fields.Name}' appears twice`);
    parameters.set(fields.Name, { Type: 'String', Version: 1, ...clone(fields) });
  });
}

/** The state file's sections, values included (the emulator's own view, not an answer to a call). */
export function secretStoresState(store: Store): SecretStores {
  const { secrets, parameters } = stores(store);
  return {
    ...(secrets.size ? { secretsmanager: { secrets: clone([...secrets.values()]) } } : {}),
    ...(parameters.size ? { ssm: { parameters: clone([...parameters.values()]) } } : {}),
  };
}

/** By name or by ARN; an ARN may leave out the random suffix, as a partial ARN. */
function getSecretValue(input: Json, { store }: Context): Json {
  const id = input.SecretId as string;
  const secret = [...stores(store).secrets.values()].find((s) => s.Name === id || s.ARN === id || s.ARN!.replace(/-[^-]{6}$/, '') === id);
  if (!secret) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  if (input.VersionId !== undefined && input.VersionId !== secret.VersionId) {
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId: " + String(input.VersionId));
  }
  if (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT') {
    throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + String(input.VersionStage));
  }
  return { ...clone(secret), VersionStages: ['AWSCURRENT'], CreatedDate: 1_767_225_600 };
}

/** A SecureString read without decryption comes back as its ciphertext (here: a stand-in for it). */
function getParameter(input: Json, { store }: Context): Json {
  const name = input.Name as string;
  const parameter = stores(store).parameters.get(name) ?? [...stores(store).parameters.values()].find((p) => `/${p.Name}` === name);
  if (!parameter) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
  const encrypted = parameter.Type === 'SecureString' && input.WithDecryption !== true;
  const value = encrypted ? `AQICAH${createHash('sha256').update(parameter.Value).digest('base64')}` : parameter.Value;
  return {
    Parameter: {
      ...clone(parameter),
      Value: value,
      ARN: `arn:aws:ssm:${store.region}:${store.account}:parameter${parameter.Name.startsWith('/') ? '' : '/'}${parameter.Name}`,
      DataType: 'text',
      LastModifiedDate: 1_767_225_600,
    },
  };
}

export const secretsManagerHandlers: Record<string, Handler> = { GetSecretValue: getSecretValue };
export const ssmHandlers: Record<string, Handler> = { GetParameter: getParameter };
