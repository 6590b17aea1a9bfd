import { setTimeout as sleep } from 'node:timers/promises';
import type { AppStreamClient } from '@aws-sdk/client-appstream';
import type { NimbleClient } from '@aws-sdk/client-nimble';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import { UserError } from '../core/errors.js';
import { awsErrorMessage } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, isThrottlingError, isTransientError, type RetryPolicy } from './retry.js';
import { checkEndpoint, isLoopback, resolveTarget, type ResolvedTarget, type Service, type TargetSettings } from './target.js';
import { appstreamSdk, nimbleSdk, secretsManagerSdk, smithyEndpoints, ssmSdk, stsSdk, taggingSdk } from './sdk.js';

const { toEndpointV1 } = smithyEndpoints();

/** Where and how to reach AWS (or the emulator). Unset fields fall back to the SDK's own chains. */
export interface AwsTarget extends TargetSettings {
  /** How long one request may wait for its answer before it fails as a timeout (default 20 s). */
  requestTimeoutMs?: number;
  /** The backoff between attempts of a read (default: apply's, DEFAULT_RETRY). */
  backoff?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>>;
  /** Told before each retry of a call (default: a line on stderr, as apply shows its retries). */
  onRetry?: (retry: CallRetry) => void;
  /** A role to assume through STS, with the credentials the rest of the target gives, for every call. */
  roleArn?: string;
  externalId?: string;
}

/** A call about to be sent again. */
export interface CallRetry {
  operation: string;
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  maxAttempts: number;
  /** What the last attempt got: the error's name, or its HTTP status. */
  reason: string;
  delayMs: number;
}

export interface AwsClients {
  readonly appstream: AppStreamClient;
  readonly nimble: NimbleClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  /** Tells which account the credentials reach, so that a plan is bound to it. */
  readonly sts: STSClient;
  /** The secret stores a directory config's credentials may come from. */
  readonly secretsmanager: SecretsManagerClient;
  readonly ssm: SSMClient;
  /** Closes the connections of the clients made so far. */
  destroy(): void;
  /** Known once a call has been made, unless the target names it. */
  readonly region: string;
  endpoint?: string;
}

export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * AWS answers these APIs in well under a second. An endpoint that has not answered yet fails on its
 * first timeout, so a wrong one fails within this (and the 30 s a user waits for a plan at most).
 */
export const REQUEST_TIMEOUT_MS = 20_000;
/** Timeouts in a row, without any answer in between, after which an endpoint that did answer counts as gone. */
export const SILENT_TIMEOUTS = 2;

/**
 * Clients for the services. Every call first resolves the target (region, endpoints, profile,
 * retry settings; once, for all three clients), then is retried on throttling and transient errors
 * with streamform's policy, each retry told to `onRetry`: the SDK makes a single attempt each time
 * (its adaptive mode still paces the sends), so that no retry is invisible.
 */
export function createClients(target: AwsTarget = {}): AwsClients {
  if (target.endpoint !== undefined) checkEndpoint(target.endpoint, '--endpoint');
  let resolved: ResolvedTarget | undefined;
  let resolving: Promise<ResolvedTarget> | undefined;
  const resolve = () => (resolving ??= resolveTarget(target).then((r) => (resolved = r)));
  // The emulator ignores signatures: spare users without an AWS account a credentials error.
  const hasCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE || target.profile);
  const credentials =
    target.endpoint && isLoopback(target.endpoint) && !hasCredentials
      ? { accessKeyId: 'emulator', secretAccessKey: 'emulator' }
      : undefined;
  const role = target.roleArn === undefined ? undefined : assumedRole(target);
  const common = {
    region: target.region ?? (async () => (await resolve()).region),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    // Endpoints come from resolveTarget, which reads them for the profile in use; the SDK would read
    // AWS_PROFILE's. (Nimble's client, of 2024, predates this option; its service is retired.)
    ignoreConfiguredEndpointUrls: true,
    ...(role ? { credentials: role.credentials } : credentials ? { credentials } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    retryMode: async () => (await resolve()).retryMode,
    maxAttempts: 1,
    // A request that never gets an answer must fail (and be retried), not hang the run.
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: target.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  };
  const calls: CallState = {
    resolve,
    policy: { ...DEFAULT_RETRY, ...target.backoff },
    onRetry: target.onRetry ?? printRetry,
    sent: new WeakSet(),
    timeoutMs: target.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    fixedEndpoint: target.endpoint !== undefined,
  };
  const made = new Map<Service, Client & { destroy(): void }>();
  // Each client, and its SDK's code, is loaded on first use: a config of stacks alone never loads Nimble's or STS's.
  const client = <C>(service: Service): C => {
    let instance = made.get(service);
    if (!instance) {
      const { load, name } = SDK_CLIENTS[service];
      const Class = (load() as unknown as Record<string, new (config: object) => Client & { destroy(): void }>)[name];
      made.set(service, (instance = withStreamformMiddleware(new Class(common), service, calls)));
    }
    return instance as unknown as C;
  };
  return {
    get appstream() {
      return client<AppStreamClient>('appstream');
    },
    get nimble() {
      return client<NimbleClient>('nimble');
    },
    get tagging() {
      return client<ResourceGroupsTaggingAPIClient>('tagging');
    },
    get sts() {
      return client<STSClient>('sts');
    },
    get secretsmanager() {
      return client<SecretsManagerClient>('secretsmanager');
    },
    get ssm() {
      return client<SSMClient>('ssm');
    },
    destroy: () => {
      for (const instance of made.values()) instance.destroy();
      role?.base.destroy();
    },
    get region(): string {
      const region = target.region ?? resolved?.region;
      if (region === undefined) throw new Error('the region is known once a call has been made');
      return region;
    },
    endpoint: target.endpoint,
  };
}

/** Credentials of a role session, assumed on first use with the target's own credentials and again before they expire. */
function assumedRole(target: AwsTarget) {
  const base = createClients({ ...target, roleArn: undefined, externalId: undefined });
  let session: Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date }> | undefined;
  const assume = async () => {
    const { AssumeRoleCommand } = stsSdk();
    try {
      const { Credentials: c } = await base.sts.send(new AssumeRoleCommand({ RoleArn: target.roleArn, RoleSessionName: 'streamform', ...(target.externalId ? { ExternalId: target.externalId } : {}) }));
      return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken!, expiration: c!.Expiration! };
    } catch (error) {
      session = undefined;
      throw new AssumeRoleError(target.roleArn!, error);
    }
  };
  // A session is renewed five minutes before it ends, as the SDK's own providers do.
  const credentials = async () => {
    const current = await (session ??= assume());
    if (current.expiration.getTime() - Date.now() > 300_000) return current;
    session = undefined;
    return (session = assume());
  };
  return { base, credentials };
}

/** The role could not be assumed: what STS said, and which role. */
export class AssumeRoleError extends UserError {
  constructor(roleArn: string, cause: unknown) {
    super(`cannot assume role ${roleArn}: ${awsErrorMessage(cause)}`);
  }
}

/** What the middleware of the clients share. */
interface CallState {
  resolve: () => Promise<ResolvedTarget>;
  policy: RetryPolicy;
  onRetry: (retry: CallRetry) => void;
  /** The calls whose current attempt reached the network (the others failed before: credentials, region). */
  sent: WeakSet<object>;
  timeoutMs: number;
  fixedEndpoint: boolean;
}

type Handler = (args: { input: object; request?: unknown }) => Promise<{ output?: unknown; response?: unknown }>;
interface Client {
  config: object;
  middlewareStack: { add(middleware: never, options: object): void };
}

function withStreamformMiddleware<C extends Client>(client: C, service: Service, calls: CallState): C {
  client.middlewareStack.add(retried(client, service, calls) as never, { step: 'initialize', priority: 'high', name: 'streamformRetries' });
  // Innermost: sees the raw response before the SDK deserializes it, and the network's errors.
  client.middlewareStack.add(answered(calls) as never, { step: 'deserialize', priority: 'low', name: 'streamformAnswers' });
  return client;
}

/** Resolves the target, points the client at its endpoint, and retries what is worth retrying. */
function retried(client: Client, service: Service, calls: CallState) {
  return (next: Handler, context: { commandName?: string }): Handler =>
    async (args) => {
      const target = await calls.resolve();
      const endpoint = target.endpoints[service];
      // Set before the SDK's endpoint middleware reads the config (it copies it per call).
      if (endpoint !== undefined && !calls.fixedEndpoint) Object.assign(client.config, { endpoint: async () => toEndpointV1(endpoint), isCustomEndpoint: true });
      for (let attempt = 1; ; attempt++) {
        calls.sent.delete(context);
        try {
          return await next(args);
        } catch (error) {
          if (!calls.sent.has(context)) throw beforeSending(error, target.profile);
          if (attempt >= target.maxAttempts || !(isThrottlingError(error) || isTransientError(error))) throw error;
          const delayMs = backoffDelay(calls.policy, attempt);
          calls.onRetry({ operation: context.commandName?.replace(/Command$/, '') ?? 'a call', attempt: attempt + 1, maxAttempts: target.maxAttempts, reason: reasonOf(error), delayMs });
          await sleep(delayMs);
        }
      }
    };
}

function printRetry(retry: CallRetry): void {
  process.stderr.write(`streamform: retrying ${retry.operation} (${retry.reason}), attempt ${retry.attempt} of ${retry.maxAttempts} in ${(retry.delayMs / 1000).toFixed(1)} s\n`);
}

function reasonOf(error: unknown): string {
  const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (err?.name && err.name !== 'Error') return err.name;
  return err?.$metadata?.httpStatusCode ? `HTTP ${err.$metadata.httpStatusCode}` : awsErrorMessage(error);
}

/**
 * Per endpoint URL, whether it has answered in this process, and the timeouts since its last answer:
 * shared by every set of clients, so that apply's know what the plan's saw.
 */
const endpoints = new Map<string, { answered: boolean; silent: number }>();

/** Connection errors no retry can fix: nothing listens at the endpoint, or its host does not exist. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
};

/**
 * A call that failed before it was sent failed while getting credentials (or the region): an SSO
 * session to renew, or an STS or SSO endpoint that cannot be reached. Said in one line, with the
 * profile to fix.
 */
function beforeSending(error: unknown, profile: string): unknown {
  const err = error as { name?: string; message?: string; code?: string; hostname?: string; address?: string; port?: number };
  if (/sso login/i.test(err?.message ?? '')) {
    return new Error(`the SSO session of profile '${profile}' has expired or was never started; run aws sso login --profile ${profile}`);
  }
  const why = UNREACHABLE[err?.code ?? ''];
  const host = err?.hostname ?? err?.address;
  if (why !== undefined && host !== undefined) {
    return new Error(`cannot connect to ${host}${err.port ? `:${err.port}` : ''} while getting the credentials of profile '${profile}': ${why}`);
  }
  if (err?.name === 'TimeoutError') return new Error(`no answer while getting the credentials of profile '${profile}': ${awsErrorMessage(error)}`);
  return error;
}

/**
 * Fails at once, naming the endpoint, when the network or the endpoint says that no retry will help:
 * a refused connection or an unknown host (the SDK would retry those for seconds), a timeout from an
 * endpoint that has never answered, or SILENT_TIMEOUTS in a row from one that did, or an answer that
 * is not AWS's (a login page, a proxy's HTML error) and would otherwise read as a JSON SyntaxError,
 * or as an empty listing.
 */
function answered(calls: CallState) {
  return (next: Handler, context: object): Handler =>
    async (args) => {
      calls.sent.add(context);
      const url = urlOf(args.request as Request);
      const endpoint = endpoints.get(url) ?? { answered: false, silent: 0 };
      endpoints.set(url, endpoint);
      let result: Awaited<ReturnType<Handler>>;
      try {
        result = await next(args);
      } catch (error) {
        const why = UNREACHABLE[(error as { code?: string })?.code ?? ''];
        if (why !== undefined) throw new Error(`cannot connect to ${url}: ${why}`);
        if ((error as Error)?.name === 'TimeoutError') {
          const connecting = /establish a connection/.test((error as Error).message);
          const what = connecting ? `no connection within ${CONNECT_TIMEOUT_MS / 1000} s` : `no answer within ${calls.timeoutMs / 1000} s`;
          endpoint.silent++;
          if (!endpoint.answered) throw new Error(`${url}: ${what}; is the endpoint right?`);
          if (endpoint.silent >= SILENT_TIMEOUTS) throw new Error(`${url} stopped answering: ${endpoint.silent} requests in a row got ${what}`);
        }
        throw error;
      }
      endpoint.answered = true;
      endpoint.silent = 0;
      const notAws = notAnAwsAnswer(result.response as Response, url);
      if (notAws) throw notAws;
      return result;
    };
}

interface Request {
  protocol: string;
  hostname: string;
  port?: number;
}
interface Response {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: { destroy?: () => void };
}

function urlOf({ protocol, hostname, port }: Request): string {
  return `${protocol}//${hostname}${port ? `:${port}` : ''}`;
}

/** The media types AWS's JSON protocols answer with (awsJson1_0/1_1, restJson1). */
const AWS_MEDIA_TYPE = /^application\/(json|x-amz-json-1\.[01]|[\w.-]+\+json)$/i;

/** An error for an answer that no AWS service would give, or undefined for one that may be AWS's. */
function notAnAwsAnswer(response: Response, url: string): Error | undefined {
  const mediaType = response.headers['content-type']?.split(';')[0].trim();
  if (!mediaType || AWS_MEDIA_TYPE.test(mediaType) || response.headers['x-amzn-requestid'] !== undefined) return undefined;
  // The body is not read: release the connection.
  response.body?.destroy?.();
  const message = `the endpoint ${url} answered HTTP ${response.statusCode} ${mediaType}, which is not an AWS response; is the endpoint right?`;
  // The status stays visible to the retry rules: a proxy's 502 page is as transient as AWS's own 502.
  return Object.assign(new Error(message), { $metadata: { httpStatusCode: response.statusCode } });
}

/** Closes every client's connections, so that a finished command exits at once. */
export function destroyClients(clients: AwsClients): void {
  clients.destroy();
}

const SDK_CLIENTS: Record<Service, { load: () => object; name: string }> = {
  appstream: { load: appstreamSdk, name: 'AppStreamClient' },
  nimble: { load: nimbleSdk, name: 'NimbleClient' },
  tagging: { load: taggingSdk, name: 'ResourceGroupsTaggingAPIClient' },
  sts: { load: stsSdk, name: 'STSClient' },
  secretsmanager: { load: secretsManagerSdk, name: 'SecretsManagerClient' },
  ssm: { load: ssmSdk, name: 'SSMClient' },
};
