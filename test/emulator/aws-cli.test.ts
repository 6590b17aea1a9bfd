/**
 * Conformance with an independent client: Debian's AWS CLI v2 at /usr/bin/aws (the `aws` first on
 * PATH may be a v1 without `nimble`). CI sets STREAMFORM_REQUIRE_AWS_CLI=1, which turns a missing
 * CLI from a skip into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { AWS, awsCli, cliPresent, cliRequired as required, requireCli } from '../helpers/aws-cli.js';
import { adminOf } from '../helpers/emulator.js';

const present = cliPresent('AWS CLI conformance');

let emulator: Emulator;
/** A scenario is a chain of up to eight CLI processes. */
const CLI_TIMEOUT_MS = 90_000;

const cli = awsCli({ url: () => emulator.url });
const { aws, json } = cli;

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}) against the emulator`, () => {
  beforeAll(async () => {
    requireCli(present);
    emulator = await startEmulator({
      transitionMs: 300,
      state: {
        appstream: { images: [{ Name: 'base-2026', PublicBaseImageReleasedDate: '2026-01-05T00:00:00Z' }] },
        nimble: { studios: [{ studioId: 'stid-1' }] },
      },
    });
  });
  afterAll(() => emulator?.close());

  // Scenarios run side by side: each CLI start costs about half a second, several on a busy machine.
  it('drives stacks, tags, images and streaming images through the CLI', async () => {
    await Promise.all([appstreamScenario(), nimbleScenario()]);
    const calls = await adminOf(emulator.url).calls();
    expect(calls.filter((c) => c.service === 'nimble').map((c) => c.operation)).toContain('GetStreamingImage');
  }, CLI_TIMEOUT_MS);

  it('drives a fleet from creation to deletion, and STS, through the CLI', async () => {
    await Promise.all([fleetScenario(), stsScenario()]);
  }, CLI_TIMEOUT_MS);
});

async function appstreamScenario(): Promise<void> {
  const created = await json(
    'appstream', 'create-stack', '--name', 'demo', '--description', 'Demo stack',
    '--storage-connectors', 'ConnectorType=HOMEFOLDERS', 'ConnectorType=ONE_DRIVE,Domains=example.com',
    '--user-settings', 'Action=FILE_UPLOAD,Permission=DISABLED', 'Action=PRINTING_TO_LOCAL_DEVICE,Permission=DISABLED',
    '--tags', 'team=vfx',
  );
  expect(created.Stack.Arn).toBe('arn:aws:appstream:us-east-1:123456789012:stack/demo');
  expect(created.Stack.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT/); // botocore parsed the epoch seconds
  expect(created.Stack.UserSettings).toHaveLength(8);

  const [all, missing, updated, images] = await Promise.all([
    json('appstream', 'describe-stacks'),
    aws('appstream', 'describe-stacks', '--names', 'nope'),
    json('appstream', 'update-stack', '--name', 'demo', '--display-name', 'Demo', '--attributes-to-delete', 'STORAGE_CONNECTOR_ONE_DRIVE'),
    json('appstream', 'describe-images'),
  ]);
  expect(all.Stacks.map((s: { Name: string }) => s.Name)).toEqual(['demo']);
  expect(missing.code).toBe(254);
  expect(missing.err).toContain('An error occurred (ResourceNotFoundException) when calling the DescribeStacks operation');
  expect(updated.Stack.StorageConnectors).toEqual([{ ConnectorType: 'HOMEFOLDERS' }]);
  expect(updated.Stack.DisplayName).toBe('Demo');
  expect(images.Images).toHaveLength(1);
  expect(images.Images[0]).toMatchObject({ Name: 'base-2026', Visibility: 'PRIVATE', PublicBaseImageReleasedDate: '2026-01-05T00:00:00+00:00' });

  const arn = created.Stack.Arn as string;
  await json('appstream', 'tag-resource', '--resource-arn', arn, '--tags', 'env=prod');
  await json('appstream', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
  expect((await json('appstream', 'list-tags-for-resource', '--resource-arn', arn)).Tags).toEqual({ env: 'prod' });

}

/** The CLI's fleet waiters wait for states of an older model (ACTIVE, INACTIVE): poll describe-fleets instead. */
async function fleetState(name: string, until: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 20 && seen[seen.length - 1] !== until; i++) {
    seen.push((await json('appstream', 'describe-fleets', '--names', name)).Fleets[0].State);
  }
  return seen;
}

async function fleetScenario(): Promise<void> {
  const created = await json(
    'appstream', 'create-fleet', '--name', 'cli-fleet', '--image-name', 'base-2026', '--instance-type', 'stream.standard.small',
    '--fleet-type', 'ALWAYS_ON', '--compute-capacity', 'DesiredInstances=2', '--tags', 'team=vfx',
  );
  expect(created.Fleet).toMatchObject({ Arn: 'arn:aws:appstream:us-east-1:123456789012:fleet/cli-fleet', State: 'STOPPED', ComputeCapacityStatus: { Desired: 2, Running: 0 } });
  expect(created.Fleet.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT/);

  await json('appstream', 'start-fleet', '--name', 'cli-fleet');
  expect((await fleetState('cli-fleet', 'RUNNING')).pop()).toBe('RUNNING');
  const [renamed, refused] = await Promise.all([
    json('appstream', 'update-fleet', '--name', 'cli-fleet', '--display-name', 'CLI fleet', '--compute-capacity', 'DesiredInstances=3'),
    aws('appstream', 'update-fleet', '--name', 'cli-fleet', '--instance-type', 'stream.standard.large'),
  ]);
  expect(renamed.Fleet).toMatchObject({ DisplayName: 'CLI fleet', ComputeCapacityStatus: { Desired: 3, Running: 3, Available: 3 } });
  expect(refused.code).toBe(254);
  expect(refused.err).toContain(
    'An error occurred (ResourceInUseException) when calling the UpdateFleet operation: Cannot update the attribute InstanceType for fleet cli-fleet when it is ACTIVE.',
  );

  await json('appstream', 'stop-fleet', '--name', 'cli-fleet');
  expect((await fleetState('cli-fleet', 'STOPPED')).pop()).toBe('STOPPED');
  await json('appstream', 'delete-fleet', '--name', 'cli-fleet');
  expect((await adminOf(emulator.url).getState()).appstream!.fleets).toEqual([]);
}

async function stsScenario(): Promise<void> {
  expect(await json('sts', 'get-caller-identity')).toEqual({
    UserId: expect.stringMatching(/^AIDA/),
    Account: '123456789012',
    Arn: 'arn:aws:iam::123456789012:user/emulator',
  });
  const { Credentials, AssumedRoleUser } = await json('sts', 'assume-role', '--role-arn', 'arn:aws:iam::210987654321:role/deploy', '--role-session-name', 'cli');
  expect(AssumedRoleUser.Arn).toBe('arn:aws:sts::210987654321:assumed-role/deploy/cli');
  const session = { AWS_ACCESS_KEY_ID: Credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: Credentials.SecretAccessKey, AWS_SESSION_TOKEN: Credentials.SessionToken };
  expect(await cli.as(session).json('sts', 'get-caller-identity')).toMatchObject({ Account: '210987654321', Arn: AssumedRoleUser.Arn });
}

async function nimbleScenario(): Promise<void> {
  // The CLI sends a fresh X-Amz-Client-Token with every mutating call.
  const created = await json('nimble', 'create-streaming-image', '--studio-id', 'stid-1', '--name', 'maya', '--ec2-image-id', 'ami-0123456789abcdef0', '--tags', 'team=vfx');
  const id = created.streamingImage.streamingImageId as string;
  expect(created.streamingImage.state).toBe('CREATE_IN_PROGRESS');
  await json('nimble', 'wait', 'streaming-image-ready', '--studio-id', 'stid-1', '--streaming-image-id', id);

  const listed = await json('nimble', 'list-streaming-images', '--studio-id', 'stid-1');
  expect(listed.streamingImages).toEqual([expect.objectContaining({ streamingImageId: id, state: 'READY', tags: { team: 'vfx' } })]);

  const deleting = await json('nimble', 'delete-streaming-image', '--studio-id', 'stid-1', '--streaming-image-id', id);
  expect(deleting.streamingImage.state).toBe('DELETE_IN_PROGRESS');
  await json('nimble', 'wait', 'streaming-image-deleted', '--studio-id', 'stid-1', '--streaming-image-id', id);
}

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}): the user pool`, () => {
  let users: Emulator;
  beforeAll(async () => {
    users = await startEmulator({ state: { appstream: { stacks: [{ Name: 'desk' }] } } });
  });
  afterAll(() => users?.close());

  it('creates a user, assigns it with a batch (errors per entry), describes and deletes it', async () => {
    const { aws: run, json: ok } = awsCli({ url: () => users.url, prefix: ['appstream'] });
    await ok('create-user', '--user-name', 'ana@example.com', '--authentication-type', 'USERPOOL', '--first-name', 'Ana', '--message-action', 'SUPPRESS');
    const duplicate = await run('create-user', '--user-name', 'ana@example.com', '--authentication-type', 'USERPOOL');
    expect(duplicate.code).toBe(254);
    expect(duplicate.err).toContain('An error occurred (ResourceAlreadyExistsException) when calling the CreateUser operation: User ana@example.com already exists.');
    const batch = await ok(
      'batch-associate-user-stack', '--user-stack-associations',
      'StackName=desk,UserName=ana@example.com,AuthenticationType=USERPOOL,SendEmailNotification=false',
      'StackName=nope,UserName=ana@example.com,AuthenticationType=USERPOOL',
    );
    expect(batch.errors).toEqual([
      { UserStackAssociation: { StackName: 'nope', UserName: 'ana@example.com', AuthenticationType: 'USERPOOL' }, ErrorCode: 'STACK_NOT_FOUND', ErrorMessage: 'Stack nope not found.' },
    ]);
    const [listed, assigned] = await Promise.all([ok('describe-users', '--authentication-type', 'USERPOOL'), ok('describe-user-stack-associations', '--stack-name', 'desk')]);
    expect(listed.Users).toEqual([expect.objectContaining({ UserName: 'ana@example.com', FirstName: 'Ana', Enabled: true, CreatedTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })]);
    expect(assigned.UserStackAssociations).toEqual([{ StackName: 'desk', UserName: 'ana@example.com', AuthenticationType: 'USERPOOL' }]);
    await ok('disable-user', '--user-name', 'ana@example.com', '--authentication-type', 'USERPOOL');
    await ok('delete-user', '--user-name', 'ana@example.com', '--authentication-type', 'USERPOOL');
    expect((await adminOf(users.url).getState()).appstream?.users).toBeUndefined();
  }, CLI_TIMEOUT_MS);
});

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}) against the emulator's image builders`, () => {
  beforeAll(async () => {
    requireCli(present);
    emulator = await startEmulator({ transitionMs: 300, state: { appstream: { images: [{ Name: 'base-2026' }] } } });
  });
  afterAll(() => emulator?.close());

  it('drives an image builder from creation to deletion through the CLI, with the errors AWS answers out of turn', async () => {
    const created = await json(
      'appstream', 'create-image-builder', '--name', 'cli-builder', '--image-name', 'base-2026', '--instance-type', 'stream.standard.medium',
      '--vpc-config', 'SubnetIds=subnet-1', '--tags', 'team=vfx',
    );
    expect(created.ImageBuilder).toMatchObject({ Arn: 'arn:aws:appstream:us-east-1:123456789012:image-builder/cli-builder', State: 'PENDING', VpcConfig: { SubnetIds: ['subnet-1'] } });
    expect(created.ImageBuilder.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    const [duplicate, twoSubnets] = await Promise.all([
      aws('appstream', 'create-image-builder', '--name', 'cli-builder', '--image-name', 'base-2026', '--instance-type', 'stream.standard.medium'),
      aws('appstream', 'create-image-builder', '--name', 'other', '--image-name', 'base-2026', '--instance-type', 'stream.standard.medium', '--vpc-config', 'SubnetIds=subnet-1,subnet-2'),
    ]);
    expect(duplicate.err).toContain('An error occurred (ResourceAlreadyExistsException) when calling the CreateImageBuilder operation: An image builder with the name cli-builder already exists.');
    expect(twoSubnets.err).toContain('An error occurred (InvalidParameterCombinationException) when calling the CreateImageBuilder operation: An image builder takes exactly one subnet; the request gives 2.');
    expect((await builderState('cli-builder', 'RUNNING')).pop()).toBe('RUNNING');

    const running = await aws('appstream', 'delete-image-builder', '--name', 'cli-builder');
    expect(running.code).toBe(254);
    expect(running.err).toContain("An error occurred (OperationNotPermittedException) when calling the DeleteImageBuilder operation: The image builder cli-builder can't be deleted when it is RUNNING. Stop it first.");
    expect((await json('appstream', 'stop-image-builder', '--name', 'cli-builder')).ImageBuilder.State).toBe('STOPPING');
    expect((await builderState('cli-builder', 'STOPPED')).pop()).toBe('STOPPED');
    expect((await json('appstream', 'delete-image-builder', '--name', 'cli-builder')).ImageBuilder.State).toBe('DELETING');
    expect((await builderState('cli-builder', 'gone')).pop()).toBe('gone');
  }, CLI_TIMEOUT_MS);
});

/** Polls describe-image-builders (botocore has no image builder waiter); "gone" once it is not found. */
async function builderState(name: string, until: string): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 20 && seen[seen.length - 1] !== until; i++) {
    const result = await aws('appstream', 'describe-image-builders', '--names', name);
    seen.push(result.code === 0 ? JSON.parse(result.out).ImageBuilders[0].State : result.err.includes('(ResourceNotFoundException)') ? 'gone' : result.err);
  }
  return seen;
}

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}): directory configs and the secret stores`, () => {
  let own: Emulator;
  beforeAll(async () => {
    requireCli(present);
    own = await startEmulator({
      state: {
        secretsmanager: { secrets: [{ Name: 'corp/ad', SecretString: '{"password":"pw-sm"}' }] },
        ssm: { parameters: [{ Name: '/corp/ad/password', Type: 'SecureString', Value: 'pw-ssm' }] },
      },
    });
  });
  afterAll(() => own?.close());

  /** The CLI against this block's emulator. */
  const { aws: run, json: ok } = awsCli({ url: () => own.url });

  it('creates, describes (no password), updates and deletes a directory config; reads a secret and a SecureString', async () => {
    const [created, secret, parameter] = await Promise.all([
      ok('appstream', 'create-directory-config', '--directory-name', 'corp.example.com', '--organizational-unit-distinguished-names', 'OU=a,DC=corp',
        '--service-account-credentials', 'AccountName=CORP\\svc,AccountPassword=pw-cli'),
      ok('secretsmanager', 'get-secret-value', '--secret-id', 'corp/ad'),
      ok('ssm', 'get-parameter', '--name', '/corp/ad/password', '--with-decryption'),
    ]);
    expect(created.DirectoryConfig).toMatchObject({ DirectoryName: 'corp.example.com', ServiceAccountCredentials: { AccountName: 'CORP\\svc' } });
    expect(created.DirectoryConfig.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(secret.SecretString)).toEqual({ password: 'pw-sm' });
    expect(parameter.Parameter).toMatchObject({ Name: '/corp/ad/password', Type: 'SecureString', Value: 'pw-ssm' });

    const [described, missing, absent] = await Promise.all([
      ok('appstream', 'describe-directory-configs'),
      run('secretsmanager', 'get-secret-value', '--secret-id', 'nope'),
      run('ssm', 'get-parameter', '--name', '/nope'),
    ]);
    expect(described.DirectoryConfigs).toEqual([expect.objectContaining({ DirectoryName: 'corp.example.com', ServiceAccountCredentials: { AccountName: 'CORP\\svc' } })]);
    expect(missing.err).toContain('An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation');
    expect(absent.err).toContain('An error occurred (ParameterNotFound) when calling the GetParameter operation');

    await ok('appstream', 'update-directory-config', '--directory-name', 'corp.example.com', '--organizational-unit-distinguished-names', 'OU=b,DC=corp');
    await ok('appstream', 'delete-directory-config', '--directory-name', 'corp.example.com');
    const gone = await run('appstream', 'describe-directory-configs', '--directory-names', 'corp.example.com');
    expect(gone.err).toContain('An error occurred (ResourceNotFoundException) when calling the DescribeDirectoryConfigs operation');
  }, CLI_TIMEOUT_MS);
});
