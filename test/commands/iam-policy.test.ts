/**
 * `streamform iam-policy`: the built CLI prints the policies, `plan` and `apply` run against the
 * emulator with a config of several kinds, and every call in the emulator's log must be allowed by
 * the policy of the command that made it. The plan policy allows nothing that writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Call, EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { KINDS } from '../../src/kinds/index.js';
import { loadConfig } from '../../src/config/load.js';
import { iamPolicy, type Policy } from '../../src/commands/iam-policy.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace } from '../apply/cli.js';

const CONFIG = `version: 1
project: perms
prune: true
stacks:
  - Name: design
    Fleets: [design-fleet]
fleets:
  - Name: design-fleet
    ImageName: base
    InstanceType: stream.standard.medium
    ComputeCapacity: { DesiredInstances: 1 }
imageBuilders:
  - Name: builder
    ImageName: base
    InstanceType: stream.standard.medium
images:
  - Name: base
    SharedWith: [{ AccountId: "210987654321", AllowFleet: true, AllowImageBuilder: false }]
users:
  - AuthenticationType: USERPOOL
    UserName: ana@example.com
    MessageAction: SUPPRESS
    Stacks: [design]
directoryConfigs:
  - DirectoryName: corp.example.com
    OrganizationalUnitDistinguishedNames: ["OU=a,DC=corp"]
    ServiceAccountCredentials:
      AccountName: { FromSecretsManager: corp/ad, Key: username }
      AccountPassword: { FromSsmParameter: /corp/ad/password }
streamingImages:
  - StudioId: stid-1
    Name: maya
    Ec2ImageId: ami-0123456789abcdef0
`;

/** Only stacks: no secret store, no Nimble, no fleet calls. */
const STACKS_ONLY = `version: 1
project: perms
stacks:
  - Name: design
`;

const ACCOUNT: EmulatorState = {
  appstream: {
    images: [{ Name: 'base' }],
    // Owned and no longer declared: apply prunes it.
    stacks: [{ Name: 'old', Tags: { [OWNER_TAG]: 'perms' } }],
  },
  nimble: { studios: [{ studioId: 'stid-1' }] },
  // The config reads the first of each; a policy for it allows reading no other.
  secretsmanager: {
    secrets: [
      { Name: 'corp/ad', SecretString: JSON.stringify({ username: 'CORP\\svc-join' }) },
      { Name: 'corp/ad-other', SecretString: 'not for streamform' },
    ],
  },
  ssm: {
    parameters: [
      { Name: '/corp/ad/password', Type: 'SecureString', Value: 'Ssm-Password-1' },
      { Name: '/corp/ad/password-old', Type: 'SecureString', Value: 'Ssm-Password-0' },
    ],
  },
};

let work: string;
let emulator: TestEmulator;
useCliWorkspace({ 'perms.yaml': CONFIG, 'stacks.yaml': STACKS_ONLY }, ACCOUNT, (w, e) => ((work = w), (emulator = e)));

/** IAM's service prefixes, by the emulator's service names (the tagging API's prefix is `tag`). */
const PREFIX: Record<string, string> = { appstream: 'appstream', nimble: 'nimble', tagging: 'tag', sts: 'sts', secretsmanager: 'secretsmanager', ssm: 'ssm' };
const actionOf = (call: Call) => `${PREFIX[call.service]}:${call.operation}`;
const READ_NAME = /^[a-z]+:(Describe|List|Get)[A-Z]/;

async function policy(...args: string[]): Promise<Policy> {
  const result = await streamform(['iam-policy', ...args], work);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Policy;
}

/** The policy in-process, as the command computes it from a config of the work folder (none: every kind). */
async function policyOf(command: 'plan' | 'apply', file?: string, prune = false): Promise<Policy> {
  const config = file ? (await loadConfig([join(work, file)])).config : undefined;
  return iamPolicy(command, config, prune || config?.prune === true);
}

const actions = (p: Policy) => p.Statement.flatMap((s) => s.Action);

/** The emulator's log of calls since the last reset, as IAM actions. */
async function calledActions(): Promise<string[]> {
  const calls = await emulator.calls();
  expect(calls.every((call) => PREFIX[call.service] !== undefined), JSON.stringify(calls)).toBe(true);
  return [...new Set(calls.map(actionOf))].sort();
}

/** Every write any kind may send, by the kinds' own operation lists. */
const kindWrites = KINDS.flatMap((kind) => kind.operations.map((operation) => `${kind.service}:${operation}`)).filter((action) => !READ_NAME.test(action));

describe('streamform iam-policy', () => {
  it('allows every call plan and apply make for a config of several kinds, and the plan policy allows no write', async () => {
    const plan = await policy('-f', 'perms.yaml');
    const planned = await streamform(['plan', '-f', 'perms.yaml', '--endpoint', emulator.url, '--format', 'json'], work);
    expect(planned.code, planned.stderr).toBe(0);
    const planCalls = await calledActions();
    // The log holds the reads of every kind the config declares, the secret stores included.
    expect(planCalls).toEqual(expect.arrayContaining(['appstream:DescribeStacks', 'nimble:ListStreamingImages', 'secretsmanager:GetSecretValue', 'ssm:GetParameter']));
    expect(planCalls.filter((action) => !actions(plan).includes(action))).toEqual([]);

    expect(plan.Version).toBe('2012-10-17');
    expect(plan.Statement.map((s) => s.Effect)).toEqual(plan.Statement.map(() => 'Allow'));
    expect(actions(plan).filter((action) => !READ_NAME.test(action))).toEqual([]);
    expect(actions(plan).filter((action) => kindWrites.includes(action))).toEqual([]);

    const apply = await policy('--for', 'apply', '-f', 'perms.yaml');
    await emulator.clearCalls();
    const applied = await streamform(['apply', '-f', 'perms.yaml', '--endpoint', emulator.url, '--yes'], work);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const applyCalls = await calledActions();
    // The apply created, pruned and waited: the log is not only reads.
    expect(applyCalls).toEqual(expect.arrayContaining(['appstream:CreateFleet', 'appstream:DeleteStack', 'nimble:CreateStreamingImage', 'appstream:CreateDirectoryConfig']));
    expect(applyCalls.filter((action) => !actions(apply).includes(action))).toEqual([]);
    // Apply's policy is the plan's reads and a statement of its own calls.
    expect(apply.Statement.slice(0, plan.Statement.length)).toEqual(plan.Statement);
    expect(apply.Statement.slice(1).flatMap((s) => s.Action).some((action) => !READ_NAME.test(action))).toBe(true);
  });

  it("allows reading the config's secrets alone, by the ARNs the secret stores give them", async () => {
    const plan = await policyOf('plan', 'perms.yaml');
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const secretArn = async (SecretId: string) => (await emulator.clients.secretsmanager.send(new GetSecretValueCommand({ SecretId }))).ARN!;
    const parameterArn = async (Name: string) => (await emulator.clients.ssm.send(new GetParameterCommand({ Name }))).Parameter!.ARN!;
    const allows = (action: string, arn: string) => plan.Statement.some((s) => s.Action.includes(action) && [s.Resource].flat().some((resource) => glob(resource).test(arn)));
    expect(allows('secretsmanager:GetSecretValue', await secretArn('corp/ad'))).toBe(true);
    expect(allows('ssm:GetParameter', await parameterArn('/corp/ad/password'))).toBe(true);
    expect(allows('secretsmanager:GetSecretValue', await secretArn('corp/ad-other'))).toBe(false);
    expect(allows('ssm:GetParameter', await parameterArn('/corp/ad/password-old'))).toBe(false);
    // Without a config, any secret: the policy cannot know which.
    expect((await policyOf('plan')).Statement.find((s) => s.Action.includes('secretsmanager:GetSecretValue'))?.Resource).toBe('*');
  });

  it('names only the kinds a config uses: no secret store, Nimble or fleet write for a config of stacks', async () => {
    const plan = actions(await policyOf('plan', 'stacks.yaml'));
    const apply = actions(await policyOf('apply', 'stacks.yaml'));
    expect(plan).toContain('appstream:DescribeStacks');
    expect(apply).toContain('appstream:CreateStack');
    for (const action of ['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'nimble:ListStreamingImages', 'appstream:CreateFleet', 'nimble:CreateStreamingImage']) {
      expect(apply, action).not.toContain(action);
    }
    // --prune may delete what any listed kind owns: their writes are needed.
    expect(actions(await policyOf('apply', 'stacks.yaml', true))).toContain('appstream:DeleteFleet');
  });

  it('without a config, allows every call the product sends: each SDK command in the kinds, the tag reader and describe', async () => {
    const all = new Set(actions(await policyOf('apply')));
    // AssumeRole is asked of the credentials that reach a target's role, not of the role the policy is for.
    const sent = sentCommands().filter((action) => action !== 'sts:AssumeRole');
    expect(sent.length).toBeGreaterThan(15);
    expect(sent.filter((action) => !all.has(action))).toEqual([]);
    // Every write of every kind is in it, and none in the plan policy.
    expect(kindWrites.filter((action) => !all.has(action.replace(/^[a-z]+/, (service) => PREFIX[service])))).toEqual([]);
    expect(actions(await policyOf('plan')).filter((action) => !READ_NAME.test(action))).toEqual([]);
  });

  it('refuses a wrong --for in one line', async () => {
    const result = await streamform(['iam-policy', '--for', 'destroy'], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("streamform: iam-policy: --for must be one of plan, apply, got 'destroy'\n");
  });

  it("is what the README shows for examples/iam/small.yaml, for plan and for apply", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## IAM policies'), readme.indexOf('## Pull requests, drift in CI, import'));
    const [planBlock, applyBlock] = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]);
    const { config } = await loadConfig(['examples/iam/small.yaml']);
    expect(JSON.parse(planBlock)).toEqual(iamPolicy('plan', config, false));
    // The apply block shows the statement that follows PlanReads.
    expect(JSON.parse(applyBlock)).toEqual(iamPolicy('apply', config, false).Statement[1]);
  });
});

/** An IAM resource pattern as a regular expression: `*` any run of characters, `?` any one. */
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** The SDK package of each service, as the sources import them. */
const PACKAGE: Record<string, string> = {
  'client-appstream': 'appstream',
  'client-nimble': 'nimble',
  'client-resource-groups-tagging-api': 'tag',
  'client-sts': 'sts',
  'client-secrets-manager': 'secretsmanager',
  'client-ssm': 'ssm',
};

/**
 * The IAM actions of every `new XCommand(` in the code that reads and applies (src/kinds, src/aws,
 * src/describe), the service told by the SDK loader the file takes XCommand from.
 */
function sentCommands(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
  const files = ['src/kinds', 'src/aws', 'src/describe'].flatMap(walk);
  const found = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, command] of text.matchAll(/new (\w+)Command\(/g)) {
      const pkg = packageOf(text, command);
      expect(PACKAGE[pkg ?? ''], `${relative('.', file)}: the service of ${command}Command (from ${pkg ?? 'an import not found'})`).toBeDefined();
      found.add(`${PACKAGE[pkg!]}:${command}`);
    }
  }
  return [...found].sort();
}

/** The loaders of src/aws/sdk.ts, by the package each loads. */
const LOADER: Record<string, string> = {
  appstreamSdk: 'client-appstream',
  nimbleSdk: 'client-nimble',
  taggingSdk: 'client-resource-groups-tagging-api',
  stsSdk: 'client-sts',
  secretsManagerSdk: 'client-secrets-manager',
  ssmSdk: 'client-ssm',
};

/** The SDK package a file takes `${command}Command` from: `const { …Command } = appstreamSdk()`, one of src/aws/sdk.ts's loaders. */
function packageOf(text: string, command: string): string | undefined {
  const loader = new RegExp(`\\{[^}]*\\b${command}Command\\b[^}]*\\}\\s*=\\s*(\\w+)\\(\\)`).exec(text)?.[1];
  return loader === undefined ? undefined : LOADER[loader];
}
