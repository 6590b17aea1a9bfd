/**
 * Region, endpoint and profile resolve as the SDK's own chains do, alike for --profile P and
 * AWS_PROFILE=P, with shared config files in a temporary HOME: the built CLI (`npx tsc -p .`
 * first) against the emulator, reading the plan's target from `plan --format json`, and the
 * clients in this process for the rest of the chain.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { ListStreamingImagesCommand } from '@aws-sdk/client-nimble';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClients, destroyClients, type AwsTarget } from '../../src/aws/clients.js';
import { awsErrorMessage } from '../../src/aws/errors.js';
import { NO_REGION, resolveTarget } from '../../src/aws/target.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { closedPort } from '../robustness/fake-server.js';

const CLI = resolve('dist/src/cli/main.js');
const START_URL = 'https://example.awsapps.com/start';
const EXPIRED_START_URL = 'https://expired.awsapps.com/start';

let home: string;
let emulator: TestEmulator;
let refused: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI with nothing from this machine's AWS setup: only the files and variables a test gives. */
function streamform(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: home, env: { ...base, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

async function targetOf(args: string[], env: Record<string, string> = {}): Promise<{ region: string; endpoint?: string }> {
  const result = await streamform(['plan', '--format', 'json', ...args], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { target: { region: string; endpoint?: string } }).target;
}

async function failureOf(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await streamform(['plan', ...args], env);
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'streamform-target-'));
  emulator = await startTestEmulator();
  refused = `http://127.0.0.1:${await closedPort()}`;
  writeFileSync(join(home, 'streamform.yaml'), 'version: 1\nproject: target-test\nstacks:\n  - Name: design\n');
  const local = (services: string[]) => services.map((s) => `${s} =\n  endpoint_url = ${emulator.url}\n`).join('');
  writeFileSync(
    join(home, 'aws-config'),
    [
      `[profile eu]\nregion = eu-west-1\nendpoint_url = ${emulator.url}\n`,
      `[profile split]\nregion = ap-southeast-2\nservices = local\n`,
      `[services local]\n${local(['appstream', 'nimble', 'resource_groups_tagging_api'])}`,
      `[profile noregion]\nendpoint_url = ${emulator.url}\n`,
      `[profile lost]\nregion = eu-west-1\nservices = nowhere\n`,
      `[profile sso]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\nendpoint_url = ${emulator.url}\n`,
      `[profile expired]\nsso_start_url = ${EXPIRED_START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\nendpoint_url = ${emulator.url}\n`,
      `[profile role]\nrole_arn = arn:aws:iam::123456789012:role/streamform\nsource_profile = base\nregion = eu-west-1\nservices = local\n`,
    ].join('\n'),
  );
  const keys = 'aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n';
  writeFileSync(join(home, 'aws-credentials'), ['eu', 'split', 'noregion', 'lost', 'base', 'creds-only'].map((p) => `[${p}]\n${keys}`).join('\n'));
  // The AWS CLI's cache of an SSO login that has expired.
  const cache = join(home, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  const token = { accessToken: 'token', expiresAt: '2020-01-01T00:00:00Z', region: 'us-east-1', startUrl: EXPIRED_START_URL };
  writeFileSync(join(cache, `${createHash('sha1').update(EXPIRED_START_URL).digest('hex')}.json`), JSON.stringify(token));
});

afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

describe.concurrent('plan of a config without region', () => {
  it("takes the profile's region and endpoint_url alike from --profile and AWS_PROFILE", async () => {
    const [flag, env] = await Promise.all([targetOf(['--profile', 'eu']), targetOf([], { AWS_PROFILE: 'eu' })]);
    expect(flag).toEqual({ region: 'eu-west-1', account: expect.stringMatching(/^\d{12}$/) });
    expect(env).toEqual(flag);
  });

  it('asks for a region when there is none anywhere, instead of guessing one', async () => {
    expect(await failureOf(['--profile', 'noregion'])).toBe(`streamform: cannot list the account's stacks (DescribeStacks): ${NO_REGION}`);
  });

  it('says to run aws sso login when the SSO session is missing or expired', async () => {
    const [missing, expired] = await Promise.all([failureOf(['--profile', 'sso']), failureOf([], { AWS_PROFILE: 'expired' })]);
    const message = (profile: string) =>
      `streamform: cannot list the account's stacks (DescribeStacks): the SSO session of profile '${profile}' has expired or was never started; run aws sso login --profile ${profile}`;
    expect(missing).toBe(message('sso'));
    expect(expired).toBe(message('expired'));
  });

  it('says which endpoint it could not reach for an assume-role profile whose STS is down', async () => {
    const line = await failureOf(['--profile', 'role'], { AWS_ENDPOINT_URL_STS: refused });
    expect(line).toBe(`streamform: cannot list the account's stacks (DescribeStacks): cannot connect to ${refused.slice('http://'.length)} while getting the credentials of profile 'role': connection refused`);
  });
});

/** Every variable the SDK's chains read, unset; then the test's own, and the shared files of this HOME. */
function environment(env: Record<string, string> = {}): void {
  const chain = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_APPSTREAM', 'AWS_ENDPOINT_URL_NIMBLE', 'AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API'];
  const others = ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
  for (const name of [...chain, ...others]) vi.stubEnv(name, undefined);
  vi.stubEnv('HOME', home);
  vi.stubEnv('AWS_CONFIG_FILE', join(home, 'aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'aws-credentials'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

/** The region the clients used, after one call of each service reached the emulator. */
async function regionReached(target: AwsTarget): Promise<string> {
  const clients = createClients(target);
  try {
    await clients.appstream.send(new DescribeStacksCommand({}));
    await clients.nimble.send(new ListStreamingImagesCommand({ studioId: 'stid-none' })).catch((error: Error) => expect(error.name).toBe('ResourceNotFoundException'));
    await clients.tagging.send(new GetResourcesCommand({}));
    return clients.region;
  } finally {
    destroyClients(clients);
  }
}

/** What the first call says when the target cannot be resolved. */
async function refusal(target: AwsTarget): Promise<string> {
  const clients = createClients(target);
  try {
    return awsErrorMessage(await clients.appstream.send(new DescribeStacksCommand({})).then(() => undefined, (error: unknown) => error));
  } finally {
    destroyClients(clients);
  }
}

describe('the clients, with the SDK chains of this HOME', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("reach each service through the profile's services section, alike for a profile given or from AWS_PROFILE", async () => {
    environment();
    expect(await regionReached({ profile: 'split' })).toBe('ap-southeast-2');
    environment({ AWS_PROFILE: 'split' });
    expect(await regionReached({})).toBe('ap-southeast-2');
  });

  it('put AWS_REGION before the profile, and a given region (--region, or the config) before both', async () => {
    environment({ AWS_REGION: 'ca-central-1' });
    expect(await regionReached({ profile: 'eu' })).toBe('ca-central-1');
    expect(await regionReached({ profile: 'eu', region: 'us-west-2' })).toBe('us-west-2');
  });

  it('take the endpoint from AWS_ENDPOINT_URL and the region from AWS_DEFAULT_REGION without a profile', async () => {
    environment({ AWS_ENDPOINT_URL: emulator.url, AWS_DEFAULT_REGION: 'eu-north-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(await regionReached({})).toBe('eu-north-1');
  });

  it('prefer AWS_ENDPOINT_URL_<SERVICE> to the profile, and ignore both when told to', async () => {
    environment({ AWS_ENDPOINT_URL_APPSTREAM: refused });
    expect(await refusal({ profile: 'eu' })).toBe(`cannot connect to ${refused}: connection refused`);
    environment({ AWS_ENDPOINT_URL_APPSTREAM: refused, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' });
    const resolved = await resolveTarget({ profile: 'eu' });
    expect(resolved.endpoints).toEqual({});
  });

  it('name a profile that is in neither file, from a flag or AWS_PROFILE', async () => {
    environment();
    const files = `${join(home, 'aws-config')} nor ${join(home, 'aws-credentials')}`;
    expect(await refusal({ profile: 'nope' })).toBe(`profile 'nope' (from --profile) is in neither ${files}`);
    environment({ AWS_PROFILE: 'nope' });
    expect(await refusal({})).toBe(`profile 'nope' (from AWS_PROFILE) is in neither ${files}`);
    // A profile of the credentials file alone is a profile.
    expect((await resolveTarget({ profile: 'creds-only', region: 'us-east-1' })).profile).toBe('creds-only');
  });

  it('name a services section the config file does not have, and an endpoint variable that is not a URL', async () => {
    environment();
    expect(await refusal({ profile: 'lost' })).toBe(`profile 'lost' names services 'nowhere', which ${join(home, 'aws-config')} does not have`);
    environment({ AWS_ENDPOINT_URL_APPSTREAM: 'localhost:4577' });
    expect(await refusal({ region: 'us-east-1' })).toBe("AWS_ENDPOINT_URL_APPSTREAM must be an http or https URL, got 'localhost:4577'");
  });

  it('ask for a region when there is none, except for the emulator on this machine', async () => {
    environment();
    expect(await refusal({ profile: 'noregion' })).toBe(NO_REGION);
    expect((await resolveTarget({ endpoint: emulator.url })).region).toBe('us-east-1');
  });
});
