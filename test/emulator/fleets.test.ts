import {
  AppStreamServiceException,
  AssociateFleetCommand,
  ConcurrentModificationException,
  CreateFleetCommand,
  DeleteFleetCommand,
  DescribeFleetsCommand,
  DisassociateFleetCommand,
  InvalidParameterCombinationException,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotAvailableException,
  ResourceNotFoundException,
  StartFleetCommand,
  StopFleetCommand,
  TagResourceCommand,
  UpdateFleetCommand,
  waitUntilFleetStarted,
  waitUntilFleetStopped,
  type CreateFleetCommandInput,
  type Fleet,
  type UpdateFleetCommandInput,
} from '@aws-sdk/client-appstream';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

// Long enough that a request right after StartFleet/StopFleet sees STARTING/STOPPING.
const TRANSITION_MS = 400;
const ARN = 'arn:aws:appstream:us-east-1:123456789012:';
const VPC = { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] };
const ELASTIC = {
  Name: 'elastic',
  State: 'RUNNING',
  FleetType: 'ELASTIC',
  InstanceType: 'stream.standard.small',
  Platform: 'AMAZON_LINUX2',
  MaxConcurrentSessions: 10,
  VpcConfig: VPC,
  ComputeCapacityStatus: { Desired: 0, InUse: 4 },
};

const state: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'desk' }],
    images: [{ Name: 'base', Platform: 'WINDOWS_SERVER_2022' }, { Name: 'newer' }, { Name: 'pending', State: 'PENDING' }],
    fleets: [
      // Two users streaming: a stop ends their sessions.
      { Name: 'busy', State: 'RUNNING', FleetType: 'ALWAYS_ON', ImageName: 'base', ComputeCapacityStatus: { Desired: 3, InUse: 2 } },
      { Name: 'idle', ImageName: 'base', IamRoleArn: 'arn:aws:iam::123456789012:role/fleet' },
      ELASTIC,
      {
        Name: 'stuck',
        State: 'STARTING',
        StuckInStarting: true,
        ImageName: 'base',
        FleetErrors: [{ ErrorCode: 'SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES', ErrorMessage: 'No free addresses in subnet-a.' }],
      },
    ],
  },
};

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ transitionMs: TRANSITION_MS }, { maxAttempts: 1 });
});
afterAll(() => t.close());
beforeEach(() => t.setState(state));

const send = <T>(command: { input: T }) => t.clients.appstream.send(command as never) as Promise<never>;
const fleet = async (name: string): Promise<Fleet> => (await t.clients.appstream.send(new DescribeFleetsCommand({ Names: [name] }))).Fleets![0];
const create = async (input: Partial<CreateFleetCommandInput>): Promise<Fleet> =>
  (await t.clients.appstream.send(new CreateFleetCommand({ Name: 'new', InstanceType: 'stream.standard.large', ...input }))).Fleet!;
const update = async (input: Omit<UpdateFleetCommandInput, 'Name'>, Name = 'idle'): Promise<Fleet> =>
  (await t.clients.appstream.send(new UpdateFleetCommand({ Name, ...input }))).Fleet!;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as AppStreamServiceException);
async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error, message: string): Promise<void> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(type);
  expect(error!.message).toBe(message);
}
const afterTransition = () => new Promise((resolve) => setTimeout(resolve, TRANSITION_MS + 50));
const fastWaiter = { minDelay: 1, maxDelay: 1, maxWaitTime: 10 };

describe('CreateFleet and DescribeFleets', () => {
  it('creates a STOPPED fleet from an image name with the service defaults, its tags and the image ARN filled in', async () => {
    const before = Date.now();
    const created = await create({ ImageName: 'base', ComputeCapacity: { DesiredInstances: 2 }, DisplayName: 'New', Description: '', Tags: { team: 'fx' } });
    expect(created).toMatchObject({
      Arn: `${ARN}fleet/new`,
      Name: 'new',
      DisplayName: 'New',
      ImageName: 'base',
      ImageArn: `${ARN}image/base`,
      Platform: 'WINDOWS_SERVER_2022',
      InstanceType: 'stream.standard.large',
      FleetType: 'ON_DEMAND',
      State: 'STOPPED',
      StreamView: 'APP',
      MaxUserDurationInSeconds: 57600,
      DisconnectTimeoutInSeconds: 900,
      IdleDisconnectTimeoutInSeconds: 0,
      EnableDefaultInternetAccess: false,
      ComputeCapacityStatus: { Desired: 2, Running: 0, InUse: 0, Available: 0 },
    });
    expect(created.Description).toBeUndefined(); // an empty input string is never echoed
    expect(created.CreatedTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await fleet('new')).toEqual(created);
    expect((await t.clients.appstream.send(new ListTagsForResourceCommand({ ResourceArn: created.Arn }))).Tags).toEqual({ team: 'fx' });
  });

  it('takes the image by ARN, and names it in the fleet', async () => {
    const created = await create({ ImageArn: `${ARN}image/newer`, ComputeCapacity: { DesiredInstances: 1 }, FleetType: 'ALWAYS_ON' });
    expect(created).toMatchObject({ ImageName: 'newer', ImageArn: `${ARN}image/newer`, FleetType: 'ALWAYS_ON' });
  });

  it('counts a multi-session fleet in instances and user sessions', async () => {
    const created = await create({ ImageName: 'base', MaxSessionsPerInstance: 5, ComputeCapacity: { DesiredSessions: 12 } });
    expect(created.ComputeCapacityStatus).toEqual({
      Desired: 3,
      Running: 0,
      InUse: 0,
      Available: 0,
      DesiredUserSessions: 12,
      ActualUserSessions: 0,
      ActiveUserSessions: 0,
      AvailableUserSessions: 0,
      Draining: 0,
      DrainModeActiveUserSessions: 0,
      DrainModeUnusedUserSessions: 0,
    });
  });

  it('creates an Elastic fleet without image or capacity', async () => {
    const created = await create({ FleetType: 'ELASTIC', InstanceType: 'stream.standard.medium', Platform: 'UBUNTU_PRO_2404', MaxConcurrentSessions: 4, VpcConfig: VPC });
    expect(created).toMatchObject({ FleetType: 'ELASTIC', MaxConcurrentSessions: 4, VpcConfig: VPC, ComputeCapacityStatus: { Desired: 0, Running: 0, InUse: 0, Available: 0 } });
    expect(created.ImageName).toBeUndefined();
  });

  const elastic = { FleetType: 'ELASTIC' as const, InstanceType: 'stream.standard.small', Platform: 'AMAZON_LINUX2' as const, MaxConcurrentSessions: 2, VpcConfig: VPC };
  it.each<[string, Partial<CreateFleetCommandInput>, string]>([
    ['no image', { ComputeCapacity: { DesiredInstances: 1 } }, 'ImageName or ImageArn is required'],
    ['both an image name and ARN', { ImageName: 'base', ImageArn: `${ARN}image/base`, ComputeCapacity: { DesiredInstances: 1 } }, 'not both'],
    ['no capacity', { ImageName: 'base' }, 'ComputeCapacity is required'],
    ['both capacity members', { ImageName: 'base', ComputeCapacity: { DesiredInstances: 1, DesiredSessions: 2 } }, 'exactly one of ComputeCapacity.DesiredInstances'],
    ['sessions on a single-session fleet', { ImageName: 'base', ComputeCapacity: { DesiredSessions: 2 } }, 'only for multi-session fleets'],
    ['instances on a multi-session fleet', { ImageName: 'base', MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredInstances: 2 } }, 'takes ComputeCapacity.DesiredSessions'],
    ['MaxConcurrentSessions on an On-Demand fleet', { ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 }, MaxConcurrentSessions: 3 }, 'only for Elastic fleets'],
    ['a disconnect timeout out of range', { ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 }, DisconnectTimeoutInSeconds: 30 }, 'between 60 and 36000'],
    ['an idle timeout of 30 s', { ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 }, IdleDisconnectTimeoutInSeconds: 30 }, '0 or between 60 and 36000'],
    ['an unknown instance type family', { ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 }, InstanceType: 'm5.large' }, 'instance type m5.large is not valid'],
    ['an Elastic fleet without MaxConcurrentSessions', { ...elastic, MaxConcurrentSessions: undefined }, 'MaxConcurrentSessions is required'],
    ['an Elastic fleet with capacity', { ...elastic, ComputeCapacity: { DesiredInstances: 1 } }, 'Specify MaxConcurrentSessions instead'],
    ['an Elastic fleet with an image', { ...elastic, ImageName: 'base' }, 'ImageName is not allowed for Elastic fleets'],
    ['an Elastic fleet in one subnet', { ...elastic, VpcConfig: { SubnetIds: ['subnet-a'] } }, 'at least two subnets'],
    ['an Elastic fleet on Windows Server 2022', { ...elastic, Platform: 'WINDOWS_SERVER_2022' }, 'Platform of WINDOWS_SERVER_2019, AMAZON_LINUX2, UBUNTU_PRO_2404'],
    ['an Elastic fleet of graphics instances', { ...elastic, InstanceType: 'stream.graphics.g4dn.xlarge' }, 'not available for Elastic fleets'],
    ['an Elastic fleet joined to a domain', { ...elastic, DomainJoinInfo: { DirectoryName: 'corp.example.com' } }, 'DomainJoinInfo is not allowed'],
    ['a session script without a key', { ...elastic, SessionScriptS3Location: { S3Bucket: 'scripts' } }, 'S3Key is required'],
  ])('answers InvalidParameterCombinationException for %s, creating nothing', async (_, input, message) => {
    const error = await failure(create(input));
    expect(error).toBeInstanceOf(InvalidParameterCombinationException);
    expect(error!.message).toContain(message);
    await expect(fleet('new')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers the errors of a wrong name, image or member', async () => {
    await expect(create({ Name: 'busy', ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 } })).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    const missing = await failure(create({ ImageName: 'nope', ComputeCapacity: { DesiredInstances: 1 } }));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing!.message).toBe('Image nope does not exist.');
    await expect(create({ ImageName: 'pending', ComputeCapacity: { DesiredInstances: 1 } })).rejects.toBeInstanceOf(ResourceNotAvailableException);
    const invalid = await failure(create({ FleetType: 'SPOT' as never, ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 } }));
    expect(invalid!.name).toBe('ValidationException');
    expect(invalid!.message).toContain("Value 'SPOT' at 'fleetType' failed to satisfy constraint: Member must satisfy enum value set: [ALWAYS_ON, ON_DEMAND, ELASTIC]");
  });

  it('describes every fleet, or the named ones, failing on an unknown name; the emulator-only members stay out', async () => {
    const { Fleets } = await t.clients.appstream.send(new DescribeFleetsCommand({}));
    expect(Fleets!.map((f) => f.Name)).toEqual(['busy', 'elastic', 'idle', 'stuck']);
    for (const f of Fleets!) for (const member of ['AssociatedStacks', 'Tags', 'StuckInStarting']) expect(f).not.toHaveProperty(member);
    await expect(t.clients.appstream.send(new DescribeFleetsCommand({ Names: ['busy', 'nope'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('pages DescribeFleets by the emulator page size', async () => {
    const paged = await startTestEmulator({ pageSize: 3, state: { appstream: { fleets: ['a', 'b', 'c', 'd'].map((Name) => ({ Name })) } } });
    try {
      const first = await paged.clients.appstream.send(new DescribeFleetsCommand({}));
      const last = await paged.clients.appstream.send(new DescribeFleetsCommand({ NextToken: first.NextToken }));
      expect([first.Fleets!.map((f) => f.Name), last.Fleets!.map((f) => f.Name)]).toEqual([['a', 'b', 'c'], ['d']]);
      expect(first.NextToken).toBeTruthy();
      expect(last.NextToken).toBeUndefined();
    } finally {
      await paged.close();
    }
  });
});

describe('StartFleet and StopFleet', () => {
  it('starts through STARTING to RUNNING, where the waiter succeeds and the instances are available', async () => {
    await t.clients.appstream.send(new StartFleetCommand({ Name: 'idle' }));
    expect(await fleet('idle')).toMatchObject({ State: 'STARTING', ComputeCapacityStatus: { Desired: 1, Running: 0 } });
    const result = await waitUntilFleetStarted({ client: t.clients.appstream, ...fastWaiter }, { Names: ['idle'] });
    expect(result.state).toBe('SUCCESS');
    expect((await fleet('idle')).ComputeCapacityStatus).toEqual({ Desired: 1, Running: 1, InUse: 0, Available: 1 });
  });

  it('stops through STOPPING to STOPPED, where the waiter succeeds; the sessions in use end', async () => {
    expect((await fleet('busy')).ComputeCapacityStatus).toEqual({ Desired: 3, Running: 3, InUse: 2, Available: 1 });
    await t.clients.appstream.send(new StopFleetCommand({ Name: 'busy' }));
    expect(await fleet('busy')).toMatchObject({ State: 'STOPPING', ComputeCapacityStatus: { Desired: 3, Running: 0, InUse: 0, Available: 0 } });
    const result = await waitUntilFleetStopped({ client: t.clients.appstream, ...fastWaiter }, { Names: ['busy'] });
    expect(result.state).toBe('SUCCESS');
    expect((await fleet('busy')).State).toBe('STOPPED');
  });

  it('fails the FleetStarted waiter at once on a stopped fleet', async () => {
    const error = await waitUntilFleetStarted({ client: t.clients.appstream, ...fastWaiter }, { Names: ['idle'] }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('FAILURE');
  });

  it('answers ConcurrentModificationException when the fleet is not in a state to start or stop', async () => {
    await rejects(send(new StartFleetCommand({ Name: 'busy' })), ConcurrentModificationException, 'The fleet busy is RUNNING. Only a STOPPED fleet can be started.');
    await rejects(send(new StopFleetCommand({ Name: 'idle' })), ConcurrentModificationException, 'The fleet idle is STOPPED. Only a RUNNING or STARTING fleet can be stopped.');
    await send(new StopFleetCommand({ Name: 'busy' }));
    await expect(send(new StartFleetCommand({ Name: 'busy' }))).rejects.toBeInstanceOf(ConcurrentModificationException);
    await expect(send(new StopFleetCommand({ Name: 'busy' }))).rejects.toBeInstanceOf(ConcurrentModificationException);
    await expect(send(new StartFleetCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps a fleet seeded as stuck in STARTING with its errors, also once the state is read and put back; stopping gets it out', async () => {
    await afterTransition();
    expect(await fleet('stuck')).toMatchObject({
      State: 'STARTING',
      FleetErrors: [{ ErrorCode: 'SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES', ErrorMessage: 'No free addresses in subnet-a.' }],
    });
    const live = await t.getState();
    expect(live.appstream!.fleets!.find((f) => f.Name === 'stuck')).toMatchObject({ State: 'STARTING', StuckInStarting: true });
    await t.setState(live);
    await afterTransition();
    expect((await fleet('stuck')).State).toBe('STARTING');
    await t.clients.appstream.send(new StopFleetCommand({ Name: 'stuck' }));
    await afterTransition();
    expect((await fleet('stuck')).State).toBe('STOPPED');
    await t.clients.appstream.send(new StartFleetCommand({ Name: 'stuck' }));
    await afterTransition();
    expect((await fleet('stuck')).State).toBe('STARTING');
  });

  it('moves a fleet seeded STARTING on to RUNNING', async () => {
    await t.setState({ appstream: { fleets: [{ Name: 'booting', State: 'STARTING' }] } });
    expect((await fleet('booting')).State).toBe('STARTING');
    await afterTransition();
    expect(await fleet('booting')).toMatchObject({ State: 'RUNNING', ComputeCapacityStatus: { Desired: 1, Running: 1, InUse: 0, Available: 1 } });
  });
});

describe('UpdateFleet', () => {
  it('changes a running Always-On fleet in place: name, capacity (counted at once), image and timeouts', async () => {
    const updated = await update(
      { DisplayName: 'Busy', ComputeCapacity: { DesiredInstances: 5 }, ImageName: 'newer', DisconnectTimeoutInSeconds: 120, IdleDisconnectTimeoutInSeconds: 0 },
      'busy',
    );
    expect(updated).toMatchObject({ State: 'RUNNING', DisplayName: 'Busy', ImageName: 'newer', ImageArn: `${ARN}image/newer`, DisconnectTimeoutInSeconds: 120 });
    expect(updated.ComputeCapacityStatus).toEqual({ Desired: 5, Running: 5, InUse: 2, Available: 3 });
    expect(await fleet('busy')).toEqual(updated);
  });

  it.each<[string, Omit<UpdateFleetCommandInput, 'Name'>, string]>([
    ['InstanceType', { InstanceType: 'stream.standard.small' }, 'attribute InstanceType'],
    ['Description', { Description: 'busy fleet' }, 'attribute Description'],
    ['IamRoleArn', { IamRoleArn: 'arn:aws:iam::123456789012:role/other' }, 'attribute IamRoleArn'],
    ['a deletion', { AttributesToDelete: ['IAM_ROLE_ARN'] }, 'attribute IamRoleArn'],
    ['two members', { VpcConfig: VPC, StreamView: 'DESKTOP' }, 'attributes VpcConfig, StreamView'],
  ])('refuses %s on a running Always-On fleet with ResourceInUseException, changing nothing', async (_, input, what) => {
    const before = await fleet('busy');
    const message = `Cannot update the ${what} for fleet busy when it is ACTIVE. The fleet must be stopped to complete this action.`;
    await rejects(update({ DisplayName: 'changed', ...input }, 'busy'), ResourceInUseException, message);
    expect(await fleet('busy')).toEqual(before);
  });

  it('changes a running Elastic fleet in place within its own list of members', async () => {
    const updated = await update(
      { MaxConcurrentSessions: 20, UsbDeviceFilterStrings: ['Webcam,046d,082d,*,*,*,0,0'], SessionScriptS3Location: { S3Bucket: 'scripts', S3Key: 'session.zip' }, DisplayName: 'E' },
      'elastic',
    );
    expect(updated).toMatchObject({ MaxConcurrentSessions: 20, DisplayName: 'E', SessionScriptS3Location: { S3Bucket: 'scripts', S3Key: 'session.zip' } });
    expect(updated.ComputeCapacityStatus).toEqual({ Desired: 0, Running: 4, InUse: 4, Available: 0 });
    const error = await failure(update({ Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.large' }, 'elastic'));
    expect(error).toBeInstanceOf(ResourceInUseException);
    expect(error!.message).toContain('attributes InstanceType, Platform for fleet elastic');
    await expect(update({ ComputeCapacity: { DesiredInstances: 1 } }, 'elastic')).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('refuses every update while the fleet starts or stops', async () => {
    await t.clients.appstream.send(new StartFleetCommand({ Name: 'idle' }));
    await rejects(update({ DisplayName: 'x' }), ResourceInUseException, 'Cannot update fleet idle while it is STARTING. Wait until it is RUNNING or STOPPED.');
    await t.clients.appstream.send(new StopFleetCommand({ Name: 'busy' }));
    await expect(update({ DisplayName: 'x' }, 'busy')).rejects.toBeInstanceOf(ResourceInUseException);
  });

  it('changes anything of a stopped fleet; VpcConfig merges member by member; members left out stay', async () => {
    await update({ VpcConfig: VPC, Description: 'Idle', StreamView: 'DESKTOP' });
    const updated = await update({ VpcConfig: { SubnetIds: ['subnet-c'] }, InstanceType: 'stream.compute.large', MaxUserDurationInSeconds: 3600 });
    expect(updated).toMatchObject({
      VpcConfig: { SubnetIds: ['subnet-c'], SecurityGroupIds: ['sg-1'] },
      Description: 'Idle',
      StreamView: 'DESKTOP',
      InstanceType: 'stream.compute.large',
      MaxUserDurationInSeconds: 3600,
      IamRoleArn: 'arn:aws:iam::123456789012:role/fleet',
    });
  });

  it('clears members through AttributesToDelete', async () => {
    await update({
      VpcConfig: VPC,
      DomainJoinInfo: { DirectoryName: 'corp.example.com' },
      UsbDeviceFilterStrings: ['Webcam,046d,082d,*,*,*,0,0'],
      RootVolumeConfig: { VolumeSizeInGb: 300 },
      MaxSessionsPerInstance: 4,
      ComputeCapacity: { DesiredSessions: 8 },
    });
    const cleared = await update({
      AttributesToDelete: ['VPC_CONFIGURATION_SECURITY_GROUP_IDS', 'DOMAIN_JOIN_INFO', 'IAM_ROLE_ARN', 'USB_DEVICE_FILTER_STRINGS', 'VOLUME_CONFIGURATION', 'MAX_SESSIONS_PER_INSTANCE'],
      ComputeCapacity: { DesiredInstances: 2 },
    });
    expect(cleared.VpcConfig).toEqual({ SubnetIds: VPC.SubnetIds });
    for (const member of ['DomainJoinInfo', 'IamRoleArn', 'UsbDeviceFilterStrings', 'RootVolumeConfig', 'MaxSessionsPerInstance']) expect(cleared).not.toHaveProperty(member);
    expect(cleared.ComputeCapacityStatus).toEqual({ Desired: 2, Running: 0, InUse: 0, Available: 0 });
    expect((await update({ AttributesToDelete: ['VPC_CONFIGURATION'] })).VpcConfig).toBeUndefined();
    await update({ SessionScriptS3Location: { S3Bucket: 'scripts', S3Key: 'session.zip' } }, 'elastic');
    expect(await update({ AttributesToDelete: ['SESSION_SCRIPT_S3_LOCATION'] }, 'elastic')).not.toHaveProperty('SessionScriptS3Location');
  });

  it.each<[string, Omit<UpdateFleetCommandInput, 'Name'>, string]>([
    ['a member both set and deleted', { IamRoleArn: 'arn:aws:iam::123456789012:role/x', AttributesToDelete: ['IAM_ROLE_ARN'] }, "IAM_ROLE_ARN can't be both set and deleted"],
    ['security groups both set and deleted', { VpcConfig: VPC, AttributesToDelete: ['VPC_CONFIGURATION_SECURITY_GROUP_IDS'] }, "can't be both set and deleted"],
    ['both image members', { ImageName: 'base', ImageArn: `${ARN}image/base` }, 'not both'],
    ['a multi-session fleet counted in instances', { MaxSessionsPerInstance: 4 }, 'takes ComputeCapacity.DesiredSessions'],
  ])('answers InvalidParameterCombinationException for %s', async (_, input, message) => {
    const error = await failure(update(input));
    expect(error).toBeInstanceOf(InvalidParameterCombinationException);
    expect(error!.message).toContain(message);
  });

  it('checks the Elastic rules on the fleet as the update would leave it', async () => {
    await t.setState({ appstream: { fleets: [{ ...ELASTIC, State: 'STOPPED' }] } });
    const error = await failure(update({ AttributesToDelete: ['VPC_CONFIGURATION'] }, 'elastic'));
    expect(error).toBeInstanceOf(InvalidParameterCombinationException);
    expect(error!.message).toContain('at least two subnets');
    await expect(update({ ImageName: 'base' }, 'elastic')).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    expect((await update({ Platform: 'WINDOWS_SERVER_2019', VpcConfig: { SubnetIds: ['subnet-x', 'subnet-y'] } }, 'elastic')).VpcConfig).toEqual({
      SubnetIds: ['subnet-x', 'subnet-y'],
      SecurityGroupIds: ['sg-1'],
    });
  });

  it('answers the errors of a missing or unknown fleet and of a missing image', async () => {
    await expect(update({ DisplayName: 'x' }, 'nope')).rejects.toBeInstanceOf(ResourceNotFoundException);
    const nameless = await failure(send(new UpdateFleetCommand({ DisplayName: 'x' })));
    expect(nameless!.name).toBe('ValidationException');
    expect(nameless!.message).toBe("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
    await expect(update({ ImageName: 'nope' })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('DeleteFleet, associations and tags', () => {
  it('refuses to delete a fleet associated with a stack, or not stopped; deletes it once stopped and alone', async () => {
    await t.clients.appstream.send(new AssociateFleetCommand({ FleetName: 'idle', StackName: 'desk' }));
    await rejects(
      send(new DeleteFleetCommand({ Name: 'idle' })),
      ResourceInUseException,
      'The fleet idle is associated with a stack. To delete the fleet, you must dissociate it from the stack.',
    );
    await rejects(
      send(new DeleteFleetCommand({ Name: 'busy' })),
      ResourceInUseException,
      'Cannot delete fleet busy when it is RUNNING. The fleet must be stopped to complete this action.',
    );
    await t.clients.appstream.send(new DisassociateFleetCommand({ FleetName: 'idle', StackName: 'desk' }));
    await t.clients.appstream.send(new DeleteFleetCommand({ Name: 'idle' }));
    await expect(fleet('idle')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(send(new DeleteFleetCommand({ Name: 'idle' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('associates a created fleet with stacks, and tags it by ARN, visible to GetResources as appstream:fleet', async () => {
    const created = await create({ ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 }, Tags: { team: 'fx' } });
    await t.clients.appstream.send(new AssociateFleetCommand({ FleetName: 'new', StackName: 'desk' }));
    expect((await t.clients.appstream.send(new ListAssociatedStacksCommand({ FleetName: 'new' }))).Names).toEqual(['desk']);
    expect((await t.clients.appstream.send(new ListAssociatedFleetsCommand({ StackName: 'desk' }))).Names).toEqual(['new']);
    await t.clients.appstream.send(new TagResourceCommand({ ResourceArn: created.Arn, Tags: { env: 'prod' } }));
    const { ResourceTagMappingList } = await t.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:fleet'] }));
    expect(ResourceTagMappingList).toEqual([{ ResourceARN: `${ARN}fleet/new`, Tags: [{ Key: 'team', Value: 'fx' }, { Key: 'env', Value: 'prod' }] }]);
  });
});
