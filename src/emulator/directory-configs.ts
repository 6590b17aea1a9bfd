/**
 * AppStream directory configs: CreateDirectoryConfig, UpdateDirectoryConfig, DeleteDirectoryConfig
 * and DescribeDirectoryConfigs. The emulator keeps the service account's password it was sent (the
 * state file shows it, for tests), but DescribeDirectoryConfigs never returns it, as AWS does not.
 */
import { asObject, checkShape, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { Store } from './state.js';

/** A DirectoryConfig as DescribeDirectoryConfigs returns it, plus the password it was given (the state file's form). */
export interface DirectoryConfigState extends Json {
  DirectoryName: string;
  OrganizationalUnitDistinguishedNames?: string[];
  ServiceAccountCredentials?: { AccountName: string; AccountPassword?: string };
  CertificateBasedAuthProperties?: { Status?: string; CertificateAuthorityArn?: string };
  CreatedTime?: number | string;
}

const byStore = new WeakMap<Store, Map<string, DirectoryConfigState>>();

/** The directory configs of an emulated account, by directory name. */
export function directoryConfigs(store: Store): Map<string, DirectoryConfigState> {
  let configs = byStore.get(store);
  if (!configs) byStore.set(store, (configs = new Map()));
  return configs;
}

/** Seeds `appstream.directoryConfigs` of a state file. */
export function seedDirectoryConfigs(store: Store, list: unknown): void {
  const configs = directoryConfigs(store);
  listAt(list, 'appstream.directoryConfigs').forEach((raw, i) => {
    const path = `appstream.directoryConfigs[${i}]`;
    const fields = asObject(raw, path) as DirectoryConfigState;
    checkShape('appstream', 'DirectoryConfig', fields, path);
    if (configs.has(fields.DirectoryName)) throw new StateError(`${path}.DirectoryName: directory config '${fields.DirectoryName}' appears twice`);
    const seeded = epochTimestamps(facts.appstream, 'DirectoryConfig', fields) as DirectoryConfigState;
    configs.set(fields.DirectoryName, { ...seeded, CreatedTime: (seeded.CreatedTime as number | undefined) ?? Date.now() / 1000 });
  });
}

/** The state file's section: what the account has, passwords included. */
export function directoryConfigsState(store: Store): DirectoryConfigState[] {
  return clone([...directoryConfigs(store).values()].sort((a, b) => (a.DirectoryName < b.DirectoryName ? -1 : 1)));
}

const notFound = (name: string) => new ServiceError('ResourceNotFoundException', `The directory configuration for ${name} does not exist.`);

function configNamed(store: Store, name: string): DirectoryConfigState {
  const config = directoryConfigs(store).get(name);
  if (!config) throw notFound(name);
  return config;
}

/** "Although the response syntax … includes the account password, this password is not returned in the actual response." */
function described({ ServiceAccountCredentials, ...config }: DirectoryConfigState): Json {
  return clone({ ...config, ...(ServiceAccountCredentials ? { ServiceAccountCredentials: { AccountName: ServiceAccountCredentials.AccountName } } : {}) });
}

/** Certificate-based authentication needs a private certificate authority once it is on. */
function checkCertificateAuth(input: Json): void {
  const cba = input.CertificateBasedAuthProperties as DirectoryConfigState['CertificateBasedAuthProperties'];
  if (cba?.Status && cba.Status !== 'DISABLED' && !cba.CertificateAuthorityArn) {
    throw new ServiceError('InvalidParameterCombinationException', `CertificateAuthorityArn is required when certificate-based authentication is ${cba.Status}.`);
  }
}

function createDirectoryConfig(input: Json, { store }: Context): Json {
  const name = input.DirectoryName as string;
  const configs = directoryConfigs(store);
  if (configs.has(name)) throw new ServiceError('ResourceAlreadyExistsException', `The directory configuration for ${name} already exists.`);
  checkCertificateAuth(input);
  const config: DirectoryConfigState = { ...(clone(input) as DirectoryConfigState), CreatedTime: Date.now() / 1000 };
  configs.set(name, config);
  return { DirectoryConfig: described(config) };
}

/** Members given replace what the config has; members left out stay. */
function updateDirectoryConfig(input: Json, { store }: Context): Json {
  const config = configNamed(store, input.DirectoryName as string);
  const merged = { ...config, ...Object.fromEntries(Object.entries(clone(input)).filter(([, value]) => value !== undefined && value !== null)) } as DirectoryConfigState;
  checkCertificateAuth(merged);
  directoryConfigs(store).set(config.DirectoryName, merged);
  return { DirectoryConfig: described(merged) };
}

/** A config that a fleet or an image builder joins its domain with cannot go. */
function deleteDirectoryConfig(input: Json, { store }: Context): Json {
  const config = configNamed(store, input.DirectoryName as string);
  const joined = (resources: Iterable<Json>) =>
    [...resources].filter((r) => (r.DomainJoinInfo as { DirectoryName?: string } | undefined)?.DirectoryName === config.DirectoryName).map((r) => r.Name as string);
  const users = [...joined(store.fleets.values()), ...joined(store.imageBuilders.list())];
  if (users.length) {
    throw new ServiceError('ResourceInUseException', `The directory configuration ${config.DirectoryName} is in use by ${users.join(', ')}.`);
  }
  directoryConfigs(store).delete(config.DirectoryName);
  return {};
}

function describeDirectoryConfigs(input: Json, { store, pageSize }: Context): Json {
  const names = (input.DirectoryNames ?? []) as string[];
  const configs = names.length ? [...new Set(names)].map((name) => configNamed(store, name)) : [...directoryConfigs(store).values()];
  const page = paginate(configs, (c) => c.DirectoryName, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), 'ValidationException');
  return { DirectoryConfigs: page.items.map(described), ...(page.next ? { NextToken: page.next } : {}) };
}

export const directoryConfigHandlers: Record<string, Handler> = {
  CreateDirectoryConfig: createDirectoryConfig,
  UpdateDirectoryConfig: updateDirectoryConfig,
  DeleteDirectoryConfig: deleteDirectoryConfig,
  DescribeDirectoryConfigs: describeDirectoryConfigs,
};
