/** The emulator's app block builders over the real SDK: the state machine, the update rules by state, associations, deletes, errors, tags and the state file. */
import {
  AssociateAppBlockBuilderAppBlockCommand,
  ConcurrentModificationException,
  CreateAppBlockBuilderCommand,
  DeleteAppBlockCommand,
  DescribeAppBlocksCommand,
  DeleteAppBlockBuilderCommand,
  DescribeAppBlockBuilderAppBlockAssociationsCommand,
  DescribeAppBlockBuildersCommand,
  DisassociateAppBlockBuilderAppBlockCommand,
  InvalidParameterCombinationException,
  LimitExceededException,
  ListTagsForResourceCommand,
  OperationNotPermittedException,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  StartAppBlockBuilderCommand,
  StopAppBlockBuilderCommand,
  TagResourceCommand,
  UpdateAppBlockBuilderCommand,
  type AppBlockBuilder,
} from '@aws-sdk/client-appstream';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';

// Long enough that a request right after a call sees STARTING/STOPPING.
const TRANSITION_MS = 250;
const ARN = (name: string) => `arn:aws:appstream:us-east-1:123456789012:app-block/${name}`;
const VPC = { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] };

const CUSTOM_BLOCK = {
  Name: 'custom',
  PackagingType: 'CUSTOM',
  SourceS3Location: { S3Bucket: 'apps', S3Key: 'custom.vhdx' },
  SetupScriptDetails: { ScriptS3Location: { S3Bucket: 'apps', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 },
};
const seeded = { Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.small', VpcConfig: VPC };
const state: EmulatorState = {
  appstream: {
    appBlocks: [...['office', 'visio', 'project'].map((Name) => ({ Name, PackagingType: 'APPSTREAM2', SourceS3Location: { S3Bucket: 'apps' } })), CUSTOM_BLOCK],
    appBlockBuilders: [
      { Name: 'packager', ...seeded, State: 'STOPPED', Tags: { team: 'a' } },
      { Name: 'idle', ...seeded, State: 'STOPPED' },
    ],
    appBlockBuilderAppBlockAssociations: [{ AppBlockBuilderName: 'packager', AppBlockArn: ARN('office') }],
    failingSubnets: ['subnet-full'],
  },
};

const em = useEmulator(state, { transitionMs: TRANSITION_MS }, { maxAttempts: 1 });

const send = <T>(command: unknown) => em.clients.appstream.send(command as never) as Promise<T>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const builder = async (name: string): Promise<AppBlockBuilder> => (await em.clients.appstream.send(new DescribeAppBlockBuildersCommand({ Names: [name] }))).AppBlockBuilders![0];
const create = (input: Record<string, unknown> = {}) =>
  em.clients.appstream.send(new CreateAppBlockBuilderCommand({ Name: 'abb', Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.medium', VpcConfig: VPC, ...input } as never));
const associate = (name: string, block: string) => em.clients.appstream.send(new AssociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: name, AppBlockArn: ARN(block) }));
const start = (name: string) => em.clients.appstream.send(new StartAppBlockBuilderCommand({ Name: name }));
const stop = (name: string) => em.clients.appstream.send(new StopAppBlockBuilderCommand({ Name: name }));
const update = (input: Record<string, unknown>) => em.clients.appstream.send(new UpdateAppBlockBuilderCommand(input as never));
async function running(name: string): Promise<void> {
  await start(name);
  await sleep(TRANSITION_MS + 50);
  expect((await builder(name)).State).toBe('RUNNING');
}

describe('CreateAppBlockBuilder', () => {
  it('makes a STOPPED builder with its ARN and the defaults, without tags or empty text in the answer', async () => {
    const { AppBlockBuilder: made } = await create({ Tags: { team: 'b' }, Description: '', IamRoleArn: 'arn:aws:iam::123456789012:role/packager' });
    expect(made).toMatchObject({ Name: 'abb', Arn: 'arn:aws:appstream:us-east-1:123456789012:app-block-builder/abb', State: 'STOPPED', EnableDefaultInternetAccess: false, VpcConfig: VPC });
    expect(made).not.toHaveProperty('Description');
    expect(made).not.toHaveProperty('Tags');
    expect((await send<{ Tags: Record<string, string> }>(new ListTagsForResourceCommand({ ResourceArn: made!.Arn }))).Tags).toEqual({ team: 'b' });
  });

  it('refuses a second builder of one name, one subnet, an instance type or platform it does not offer', async () => {
    await create();
    await expect(create()).rejects.toThrow(ResourceAlreadyExistsException);
    await expect(create({ Name: 'one', VpcConfig: { SubnetIds: ['subnet-a'] } })).rejects.toThrow(/at least two subnets/);
    await expect(create({ Name: 'big', InstanceType: 'stream.graphics.g4dn.xlarge' })).rejects.toThrow(InvalidParameterCombinationException);
    await expect(create({ Name: 'linux', Platform: 'AMAZON_LINUX2' })).rejects.toThrow(/validation error detected: Value 'AMAZON_LINUX2' at 'platform'/);
  });
});

describe('the association with an app block', () => {
  it('is needed to start, one app block at a time, changed only while STOPPED', async () => {
    await expect(start('idle')).rejects.toThrow(OperationNotPermittedException);
    await expect(start('idle')).rejects.toThrow(/can only be started when it's associated with an app block/);
    const { AppBlockBuilderAppBlockAssociation: made } = await associate('idle', 'visio');
    expect(made).toEqual({ AppBlockBuilderName: 'idle', AppBlockArn: ARN('visio') });
    await associate('idle', 'visio');
    await expect(associate('idle', 'project')).rejects.toThrow(LimitExceededException);
    await expect(associate('idle', 'project')).rejects.toThrow(/one app block at a time/);
    await expect(associate('packager', 'custom')).rejects.toThrow(InvalidParameterCombinationException);
    await running('idle');
    await expect(em.clients.appstream.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: 'idle', AppBlockArn: ARN('visio') }))).rejects.toThrow(OperationNotPermittedException);
  });

  it('is listed by builder or by app block, paged; an unknown app block or pair is not found', async () => {
    await associate('idle', 'office');
    const byBlock = await send<{ AppBlockBuilderAppBlockAssociations: unknown[]; NextToken?: string }>(new DescribeAppBlockBuilderAppBlockAssociationsCommand({ AppBlockArn: ARN('office'), MaxResults: 1 }));
    expect(byBlock.AppBlockBuilderAppBlockAssociations).toEqual([{ AppBlockBuilderName: 'idle', AppBlockArn: ARN('office') }]);
    const next = await send<{ AppBlockBuilderAppBlockAssociations: unknown[]; NextToken?: string }>(
      new DescribeAppBlockBuilderAppBlockAssociationsCommand({ AppBlockArn: ARN('office'), MaxResults: 1, NextToken: byBlock.NextToken }),
    );
    expect(next).toEqual(expect.objectContaining({ AppBlockBuilderAppBlockAssociations: [{ AppBlockBuilderName: 'packager', AppBlockArn: ARN('office') }] }));
    expect(next.NextToken).toBeUndefined();
    const byBuilder = await send<{ AppBlockBuilderAppBlockAssociations: unknown[] }>(new DescribeAppBlockBuilderAppBlockAssociationsCommand({ AppBlockBuilderName: 'packager' }));
    expect(byBuilder.AppBlockBuilderAppBlockAssociations).toHaveLength(1);
    await expect(em.clients.appstream.send(new AssociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: 'idle', AppBlockArn: 'arn:aws:appstream:us-east-1:210987654321:app-block/x' }))).rejects.toThrow(ResourceNotFoundException);
    await expect(em.clients.appstream.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: 'packager', AppBlockArn: ARN('visio') }))).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('states and updates', () => {
  it('moves STOPPED → STARTING → RUNNING → STOPPING → STOPPED over the transition time', async () => {
    expect((await start('packager')).AppBlockBuilder?.State).toBe('STARTING');
    await expect(start('packager')).rejects.toThrow(ConcurrentModificationException);
    await sleep(TRANSITION_MS + 50);
    expect((await builder('packager')).State).toBe('RUNNING');
    expect((await stop('packager')).AppBlockBuilder?.State).toBe('STOPPING');
    await expect(stop('packager')).rejects.toThrow(ConcurrentModificationException);
    await sleep(TRANSITION_MS + 50);
    expect((await builder('packager')).State).toBe('STOPPED');
    await expect(stop('packager')).rejects.toThrow(OperationNotPermittedException);
  });

  it('takes only DisplayName and Description while RUNNING, nothing while STARTING, anything but Name while STOPPED', async () => {
    await start('packager');
    await expect(update({ Name: 'packager', DisplayName: 'Packager' })).rejects.toThrow(ConcurrentModificationException);
    await sleep(TRANSITION_MS + 50);
    expect((await update({ Name: 'packager', DisplayName: 'Packager', Description: 'packs' })).AppBlockBuilder).toMatchObject({ DisplayName: 'Packager', Description: 'packs' });
    await expect(update({ Name: 'packager', InstanceType: 'stream.standard.large' })).rejects.toThrow(ResourceInUseException);
    await expect(update({ Name: 'packager', AttributesToDelete: ['IAM_ROLE_ARN'] })).rejects.toThrow(/attribute IamRoleArn .* when it is RUNNING/);
    await stop('packager');
    await sleep(TRANSITION_MS + 50);
    const { AppBlockBuilder: changed } = await update({ Name: 'packager', InstanceType: 'stream.standard.large', VpcConfig: { SubnetIds: ['subnet-c', 'subnet-d'] }, EnableDefaultInternetAccess: true });
    // VpcConfig merges member by member: the security groups stay until deleted.
    expect(changed).toMatchObject({ InstanceType: 'stream.standard.large', VpcConfig: { SubnetIds: ['subnet-c', 'subnet-d'], SecurityGroupIds: ['sg-1'] }, EnableDefaultInternetAccess: true, DisplayName: 'Packager' });
  });

  it('clears through AttributesToDelete, never an attribute both set and deleted', async () => {
    await update({ Name: 'idle', IamRoleArn: 'arn:aws:iam::123456789012:role/r', AccessEndpoints: [{ EndpointType: 'STREAMING', VpceId: 'vpce-1' }] });
    await expect(update({ Name: 'idle', IamRoleArn: 'arn:aws:iam::123456789012:role/r', AttributesToDelete: ['IAM_ROLE_ARN'] })).rejects.toThrow(InvalidParameterCombinationException);
    const { AppBlockBuilder: cleared } = await update({ Name: 'idle', AttributesToDelete: ['IAM_ROLE_ARN', 'ACCESS_ENDPOINTS', 'VPC_CONFIGURATION_SECURITY_GROUP_IDS'] });
    expect(cleared).not.toHaveProperty('IamRoleArn');
    expect(cleared).not.toHaveProperty('AccessEndpoints');
    expect(cleared?.VpcConfig).toEqual({ SubnetIds: VPC.SubnetIds });
  });

  it('reports AppBlockBuilderErrors at once when it cannot launch, and ends STOPPED', async () => {
    await update({ Name: 'packager', VpcConfig: { SubnetIds: ['subnet-full', 'subnet-b'] } });
    expect((await start('packager')).AppBlockBuilder).toMatchObject({ State: 'STARTING', AppBlockBuilderErrors: [{ ErrorCode: 'NETWORK_INTERFACE_LIMIT_EXCEEDED' }] });
    await sleep(TRANSITION_MS + 50);
    expect(await builder('packager')).toMatchObject({ State: 'STOPPED', StateChangeReason: { Code: 'INTERNAL_ERROR' } });
  });
});

describe('the app block', () => {
  it('cannot be deleted while a builder is associated with it, and is packaged (ACTIVE) when a builder that ran stops', async () => {
    const appBlock = async () => (await em.clients.appstream.send(new DescribeAppBlocksCommand({ Arns: [ARN('office')] }))).AppBlocks![0];
    expect((await appBlock()).State).toBe('INACTIVE');
    await expect(em.clients.appstream.send(new DeleteAppBlockCommand({ Name: 'office' }))).rejects.toThrow(
      'The app block office is associated with the app block builder(s) packager; disassociate them first.',
    );
    await running('packager');
    await stop('packager');
    await sleep(TRANSITION_MS + 50);
    expect((await appBlock()).State).toBe('ACTIVE');
  });
});

describe('DeleteAppBlockBuilder', () => {
  it('deletes only a STOPPED builder without an app block', async () => {
    await running('packager');
    await expect(em.clients.appstream.send(new DeleteAppBlockBuilderCommand({ Name: 'packager' }))).rejects.toThrow(OperationNotPermittedException);
    await stop('packager');
    await expect(em.clients.appstream.send(new DeleteAppBlockBuilderCommand({ Name: 'packager' }))).rejects.toThrow(ConcurrentModificationException);
    await sleep(TRANSITION_MS + 50);
    await expect(em.clients.appstream.send(new DeleteAppBlockBuilderCommand({ Name: 'packager' }))).rejects.toThrow(ResourceInUseException);
    await em.clients.appstream.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: 'packager', AppBlockArn: ARN('office') }));
    await em.clients.appstream.send(new DeleteAppBlockBuilderCommand({ Name: 'packager' }));
    await expect(builder('packager')).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('listing, tags and the state file', () => {
  it('pages DescribeAppBlockBuilders by MaxResults, and finds an unknown name nowhere', async () => {
    const first = await send<{ AppBlockBuilders: AppBlockBuilder[]; NextToken?: string }>(new DescribeAppBlockBuildersCommand({ MaxResults: 1 }));
    const second = await send<{ AppBlockBuilders: AppBlockBuilder[]; NextToken?: string }>(new DescribeAppBlockBuildersCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect([...first.AppBlockBuilders, ...second.AppBlockBuilders].map((b) => b.Name)).toEqual(['idle', 'packager']);
    expect(second.NextToken).toBeUndefined();
    await expect(builder('nope')).rejects.toThrow(ResourceNotFoundException);
  });

  it('tags builders, and GetResources lists the tagged ones by type', async () => {
    const arn = (await builder('idle')).Arn!;
    await send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'c' } }));
    const { ResourceTagMappingList } = await em.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:app-block-builder'] }));
    expect(ResourceTagMappingList?.map((r) => r.ResourceARN).sort()).toEqual([arn, (await builder('packager')).Arn].sort());
  });

  it('writes builders and associations back as the Describe calls return them, and refuses a bad section', async () => {
    const written = await em.getState();
    expect(written.appstream?.appBlockBuilders?.map((b) => [b.Name, b.State, b.Tags])).toEqual([
      ['packager', 'STOPPED', { team: 'a' }],
      ['idle', 'STOPPED', {}],
    ]);
    expect(written.appstream?.appBlockBuilderAppBlockAssociations).toEqual(state.appstream!.appBlockBuilderAppBlockAssociations);
    await em.setState(written);
    expect((await builder('packager')).VpcConfig).toEqual(VPC);
    await expect(em.setState({ appstream: { appBlockBuilders: [{ Name: 'x', ...seeded, State: 'PAUSED' }] } })).rejects.toThrow(/appBlockBuilders\[0\]\.State/);
    await expect(em.setState({ appstream: { appBlockBuilderAppBlockAssociations: [{ AppBlockBuilderName: 'ghost', AppBlockArn: ARN('office') }] } })).rejects.toThrow(/no app block builder named 'ghost'/);
    const twice = [...state.appstream!.appBlockBuilderAppBlockAssociations!, { AppBlockBuilderName: 'packager', AppBlockArn: ARN('visio') }];
    await expect(em.setState({ appstream: { ...state.appstream, appBlockBuilderAppBlockAssociations: twice } })).rejects.toThrow(/second app block/);
  });
});
