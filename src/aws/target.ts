/**
 * Where streamform's calls go: the region, each service's endpoint, the profile and the retry
 * settings, resolved by the SDK's own loaders (@smithy/core/config, the version the AppStream and
 * tagging clients use) with the profile passed in. The SDK's clients look up endpoint_url and a
 * services section only under AWS_PROFILE, so `--profile P` and `AWS_PROFILE=P` would reach
 * different endpoints; resolving here, once, makes them one and the same.
 */
import { UserError } from '../core/errors.js';
import { DEFAULT_RETRY } from './retry.js';
import { smithyConfig } from './sdk.js';

const { CONFIG_PREFIX_SEPARATOR, loadConfig, loadSharedConfigFiles, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } = smithyConfig();

/** The SDK's service ids: they name AWS_ENDPOINT_URL_<ID> and the keys of a services section. */
export const SERVICE_IDS = { appstream: 'AppStream', nimble: 'nimble', tagging: 'Resource Groups Tagging API', sts: 'STS', secretsmanager: 'Secrets Manager', ssm: 'SSM' } as const;
export type Service = keyof typeof SERVICE_IDS;

/** The flags and settings a command has; what is unset comes from the SDK's chains. */
export interface TargetSettings {
  endpoint?: string;
  region?: string;
  profile?: string;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
}

export interface ResolvedTarget {
  region: string;
  /** A service absent here has no configured endpoint: the SDK uses AWS's. */
  endpoints: Partial<Record<Service, string>>;
  /** The profile in effect: --profile, else AWS_PROFILE, else default. */
  profile: string;
  /** Attempts per read, the first one included. */
  maxAttempts: number;
  retryMode: string;
}

/** The emulator's own default region. */
export const EMULATOR_REGION = 'us-east-1';

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/** An endpoint on this machine: the emulator, not AWS. */
export function isLoopback(endpoint: string): boolean {
  return LOOPBACK.test(endpoint);
}

export const NO_REGION = "no region: set region: in the config, pass --region, or set AWS_REGION / a profile's region";

export async function resolveTarget(settings: TargetSettings): Promise<ResolvedTarget> {
  const named = settings.profile ?? (process.env.AWS_PROFILE || undefined);
  const profile = named ?? 'default';
  const files = await loadSharedConfigFiles();
  if (named !== undefined && !files.configFile[profile] && !files.credentialsFile[profile]) {
    const from = settings.profile !== undefined ? '--profile' : 'AWS_PROFILE';
    throw new UserError(`profile '${profile}' (from ${from}) is in neither ${CONFIG_FILE()} nor ${CREDENTIALS_FILE()}`);
  }
  const services = files.configFile[profile]?.services;
  if (services !== undefined && !files.configFile[['services', services].join(CONFIG_PREFIX_SEPARATOR)]) {
    throw new UserError(`profile '${profile}' names services '${services}', which ${CONFIG_FILE()} does not have`);
  }
  const [region, endpoints, maxAttempts, retryMode] = await Promise.all([
    settings.region ?? regionOf(profile, settings.endpoint),
    settings.endpoint !== undefined ? everyService(settings.endpoint) : configuredEndpoints(profile),
    settings.maxAttempts ?? found(['AWS_MAX_ATTEMPTS'], inProfile('max_attempts', profile), profile).then(attemptsOf),
    // Adaptive by default: its client-side rate limiter slows the sends down after throttling.
    settings.retryMode ?? found(['AWS_RETRY_MODE'], inProfile('retry_mode', profile), profile).then((mode) => mode?.value ?? 'adaptive'),
  ]);
  return { region, endpoints, profile, maxAttempts, retryMode };
}

/** Where the SDK finds them (its own defaults), as the user knows them. */
const CONFIG_FILE = () => process.env.AWS_CONFIG_FILE || '~/.aws/config';
const CREDENTIALS_FILE = () => process.env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials';

/**
 * The SDK's region chain: AWS_REGION, the profile's region (the credentials file's over the config
 * file's, as the SDK reads them), then the EC2 instance's. AWS_DEFAULT_REGION, which the AWS CLI
 * reads, follows AWS_REGION, as in the CLI.
 */
async function regionOf(profile: string, endpoint: string | undefined): Promise<string> {
  const selectors = { ...NODE_REGION_CONFIG_OPTIONS, environmentVariableSelector: (env: NodeJS.ProcessEnv) => env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined };
  try {
    return await loadConfig(selectors, { ...NODE_REGION_CONFIG_FILE_OPTIONS, profile })();
  } catch (error) {
    if ((error as Error).message !== 'Region is missing') throw error;
    // The emulator serves any region, and nothing can land in a wrong one: no need to ask (as for credentials).
    if (endpoint !== undefined && isLoopback(endpoint)) return EMULATOR_REGION;
    throw new UserError(NO_REGION);
  }
}

/** A setting's value and where it was found, for a message that names the place to fix. */
interface Found {
  value: string;
  source: string;
}
type ProfileValues = Record<string, string | undefined>;

/**
 * The first of these environment variables that is set, else what `fromProfile` finds in the
 * profile, read with the SDK's loader. (The loader takes an error thrown by a selector for "not
 * found here", so values are checked afterwards.)
 */
function found(env: string[], fromProfile: (values: ProfileValues, file?: Record<string, ProfileValues>) => Found | undefined, profile: string): Promise<Found | undefined> {
  const fromEnv = (vars: NodeJS.ProcessEnv) => {
    const name = env.find((n) => vars[n]);
    return name === undefined ? undefined : { value: vars[name]!, source: name };
  };
  return loadConfig<Found | undefined>({ environmentVariableSelector: fromEnv, configFileSelector: fromProfile, default: undefined }, { profile })();
}

/** The profile's own value for `key`. */
function inProfile(key: string, profile: string) {
  return (values: ProfileValues): Found | undefined => (values[key] ? { value: values[key], source: `${key} of profile '${profile}'` } : undefined);
}

function attemptsOf(setting: Found | undefined): number {
  if (setting === undefined) return DEFAULT_RETRY.maxAttempts;
  if (!/^\d+$/.test(setting.value) || Number(setting.value) < 1) throw new UserError(`${setting.source} must be a whole number of attempts, 1 or more, got '${setting.value}'`);
  return Number(setting.value);
}

function everyService(endpoint: string): Partial<Record<Service, string>> {
  return Object.fromEntries(Object.keys(SERVICE_IDS).map((service) => [service, endpoint]));
}

/**
 * The SDK's endpoint-URL chain (@smithy/core's getEndpointUrlConfig, which it does not export):
 * AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, the profile's services section, the profile's
 * endpoint_url; none of it when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
 * ignore_configured_endpoint_urls says so.
 */
async function configuredEndpoints(profile: string): Promise<Partial<Record<Service, string>>> {
  const ignore = await found(['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'], inProfile('ignore_configured_endpoint_urls', profile), profile);
  if (ignore?.value.toLowerCase() === 'true') return {};
  const entries = await Promise.all(
    (Object.keys(SERVICE_IDS) as Service[]).map(async (service) => {
      const id = SERVICE_IDS[service];
      const key = id.toLowerCase().replaceAll(' ', '_');
      const url = await found([`AWS_ENDPOINT_URL_${id.toUpperCase().replaceAll(' ', '_')}`, 'AWS_ENDPOINT_URL'], (values, file) => {
        const section = values.services === undefined ? undefined : file?.[['services', values.services].join(CONFIG_PREFIX_SEPARATOR)];
        const fromSection = section?.[[key, 'endpoint_url'].join(CONFIG_PREFIX_SEPARATOR)];
        if (fromSection) return { value: fromSection, source: `${key} endpoint_url in services '${values.services}'` };
        return inProfile('endpoint_url', profile)(values);
      }, profile);
      if (url !== undefined) checkEndpoint(url.value, url.source);
      return [service, url?.value] as const;
    }),
  );
  return Object.fromEntries(entries.filter(([, url]) => url !== undefined));
}

export function checkEndpoint(endpoint: string, source: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`${source} must be a URL such as http://127.0.0.1:4577, got '${endpoint}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${source} must be an http or https URL, got '${endpoint}'`);
  }
}
