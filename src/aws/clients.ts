import { AppStreamClient } from '@aws-sdk/client-appstream';
import { NimbleClient } from '@aws-sdk/client-nimble';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { STSClient } from '@aws-sdk/client-sts';
import { UserError } from '../shared/errors.js';

/** Where and how to reach AWS (or the emulator). Unset fields fall back to the SDK's own chain. */
export interface AwsTarget {
  /** One URL for every service (the emulator); AWS_ENDPOINT_URL* variables work without it. */
  endpoint?: string;
  region?: string;
  profile?: string;
  /** SDK attempts per call, retries included (default: AWS_MAX_ATTEMPTS, else 5). */
  maxAttempts?: number;
  /** The SDK's retry mode (default: AWS_RETRY_MODE, else adaptive, whose client-side rate limiter delays sends after throttling). */
  retryMode?: 'standard' | 'adaptive';
  /** How long one request may wait for its answer before it fails as a timeout (default 60 s). */
  requestTimeoutMs?: number;
}

export interface AwsClients {
  appstream: AppStreamClient;
  nimble: NimbleClient;
  tagging: ResourceGroupsTaggingAPIClient;
  /** Tells which account the credentials reach, so that a plan is bound to it. */
  sts: STSClient;
  region: string;
  endpoint?: string;
}

const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

export function createClients(target: AwsTarget = {}): AwsClients {
  if (target.endpoint !== undefined) checkEndpoint(target.endpoint);
  const region = target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // The emulator ignores signatures: spare users without an AWS account a credentials error.
  const hasCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE || target.profile);
  const credentials =
    target.endpoint && LOOPBACK.test(target.endpoint) && !hasCredentials
      ? { accessKeyId: 'emulator', secretAccessKey: 'emulator' }
      : undefined;
  const common = {
    region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    // The environment may choose the SDK's retries (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS), as the SDK documents.
    retryMode: target.retryMode ?? process.env.AWS_RETRY_MODE ?? 'adaptive',
    maxAttempts: target.maxAttempts ?? (Number(process.env.AWS_MAX_ATTEMPTS) || 5),
    // A request that never gets an answer must fail (and be retried), not hang the run.
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: target.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  };
  const failFast = { step: 'deserialize', name: 'streamformUnreachable' } as const;
  const appstream = new AppStreamClient(common);
  appstream.middlewareStack.add(failFastWhenUnreachable, failFast);
  const nimble = new NimbleClient(common);
  nimble.middlewareStack.add(failFastWhenUnreachable, failFast);
  const tagging = new ResourceGroupsTaggingAPIClient(common);
  tagging.middlewareStack.add(failFastWhenUnreachable, failFast);
  const sts = new STSClient(common);
  sts.middlewareStack.add(failFastWhenUnreachable, failFast);
  return { appstream, nimble, tagging, sts, region, endpoint: target.endpoint };
}

/** Connection errors no retry can fix: nothing listens at the endpoint, or its host does not exist. */
const UNREACHABLE: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'no such host' };

/**
 * The SDK retries refused connections and unknown hosts for seconds before giving up. They are
 * a wrong endpoint, not a passing fault: fail at once, naming the endpoint. (Runs inside the SDK's
 * retry step, so the retry logic sees an error it does not retry.)
 */
function failFastWhenUnreachable<Input extends object, Output extends object>(next: (args: { input: Input; request: unknown }) => Promise<Output>) {
  return async (args: { input: Input; request: unknown }): Promise<Output> => {
    try {
      return await next(args);
    } catch (error) {
      const why = UNREACHABLE[(error as { code?: string })?.code ?? ''];
      if (why === undefined) throw error;
      const { protocol, hostname, port } = args.request as { protocol: string; hostname: string; port?: number };
      throw new Error(`cannot connect to ${protocol}//${hostname}${port ? `:${port}` : ''}: ${why}`);
    }
  };
}

function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`--endpoint must be a URL such as http://127.0.0.1:4577, got '${endpoint}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`--endpoint must be an http or https URL, got '${endpoint}'`);
  }
}

/** Closes every client's connections, so that a finished command exits at once. */
export function destroyClients(clients: AwsClients): void {
  for (const client of [clients.appstream, clients.nimble, clients.tagging, clients.sts]) client.destroy();
}
