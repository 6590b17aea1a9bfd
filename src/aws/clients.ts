import { AppStreamClient } from '@aws-sdk/client-appstream';
import { NimbleClient } from '@aws-sdk/client-nimble';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { UserError } from '../cli/errors.js';

/** Where and how to reach AWS (or the emulator). Unset fields fall back to the SDK's own chain. */
export interface AwsTarget {
  /** One URL for every service (the emulator); AWS_ENDPOINT_URL* variables work without it. */
  endpoint?: string;
  region?: string;
  profile?: string;
  /** SDK attempts per call, retries included (default: AWS_MAX_ATTEMPTS, else 5). */
  maxAttempts?: number;
  /** The SDK's retry mode (default adaptive, whose client-side rate limiter delays sends after throttling). */
  retryMode?: 'standard' | 'adaptive';
}

export interface AwsClients {
  appstream: AppStreamClient;
  nimble: NimbleClient;
  tagging: ResourceGroupsTaggingAPIClient;
  region: string;
  endpoint?: string;
}

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
    retryMode: target.retryMode ?? 'adaptive',
    maxAttempts: target.maxAttempts ?? 5,
  };
  return {
    appstream: new AppStreamClient(common),
    nimble: new NimbleClient(common),
    tagging: new ResourceGroupsTaggingAPIClient(common),
    region,
    endpoint: target.endpoint,
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
