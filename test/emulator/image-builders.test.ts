/** The emulator's image builders over the real SDK: create, the state machine, delete rules, errors, tags and the state file. */
import {
  ConcurrentModificationException,
  CreateImageBuilderCommand,
  DeleteImageBuilderCommand,
  DescribeImageBuildersCommand,
  InvalidParameterCombinationException,
  ListTagsForResourceCommand,
  OperationNotPermittedException,
  ResourceAlreadyExistsException,
  ResourceNotAvailableException,
  ResourceNotFoundException,
  StartImageBuilderCommand,
  StopImageBuilderCommand,
  TagResourceCommand,
  type ImageBuilder,
} from '@aws-sdk/client-appstream';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { useEmulator } from '../helpers/emulator.js';

// Long enough that a request right after a call sees PENDING/STOPPING/DELETING.
const TRANSITION_MS = 300;
const OTHER = '210987654321';
const SHARED_ARN = `arn:aws:appstream:us-east-1:${OTHER}:image/partner-base`;

const state: EmulatorState = {
  appstream: {
    images: [
      { Name: 'base', Platform: 'WINDOWS_SERVER_2022' },
      { Name: 'pending', State: 'PENDING' },
      { Name: 'partner-base', Visibility: 'SHARED', Arn: SHARED_ARN },
    ],
    imageBuilders: [
      { Name: 'seeded', State: 'STOPPED', InstanceType: 'stream.standard.medium', Tags: { team: 'a' }, SoftwaresToInstall: ['Microsoft_Office_2021_LTSC_Professional_Plus_64Bit'] },
      { Name: 'broken', State: 'FAILED', InstanceType: 'stream.standard.medium', ImageBuilderErrors: [{ ErrorCode: 'IAM_SERVICE_ROLE_IS_MISSING', ErrorMessage: 'no role' }] },
    ],
    failingSubnets: ['subnet-full'],
  },
};

const em = useEmulator(state, { transitionMs: TRANSITION_MS }, { maxAttempts: 1 });

const send = <T>(command: unknown) => em.clients.appstream.send(command as never) as Promise<T>;
const builder = async (name: string): Promise<ImageBuilder | undefined> => {
  try {
    return (await em.clients.appstream.send(new DescribeImageBuildersCommand({ Names: [name] }))).ImageBuilders![0];
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const create = (input: Record<string, unknown> = {}) =>
  em.clients.appstream.send(new CreateImageBuilderCommand({ Name: 'ib', ImageName: 'base', InstanceType: 'stream.standard.medium', ...input }));

describe('CreateImageBuilder', () => {
  it('makes a PENDING builder from an image by name, RUNNING after the transition, with the image ARN and platform', async () => {
    const { ImageBuilder: made } = await create({ VpcConfig: { SubnetIds: ['subnet-1'] }, Tags: { team: 'b' }, Description: '' });
    expect(made).toMatchObject({ Name: 'ib', State: 'PENDING', ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base', Platform: 'WINDOWS_SERVER_2022', EnableDefaultInternetAccess: false });
    expect(made).not.toHaveProperty('Description');
    expect(made).not.toHaveProperty('Tags');
    await sleep(TRANSITION_MS + 50);
    expect((await builder('ib'))?.State).toBe('RUNNING');
  });

  it('refuses a second builder of one name, two subnets, both or neither image member, an image not AVAILABLE', async () => {
    await create();
    await expect(create()).rejects.toThrow(ResourceAlreadyExistsException);
    await expect(create({ Name: 'two', VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'] } })).rejects.toThrow(/exactly one subnet/);
    await expect(create({ Name: 'both', ImageArn: SHARED_ARN })).rejects.toThrow(InvalidParameterCombinationException);
    await expect(create({ Name: 'neither', ImageName: undefined })).rejects.toThrow(/ImageName or ImageArn is required/);
    await expect(create({ Name: 'p', ImageName: 'pending' })).rejects.toThrow(ResourceNotAvailableException);
  });

  it('finds an image shared by another account by ARN only (Terraform #25875)', async () => {
    await expect(create({ ImageName: 'partner-base' })).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The image partner-base for account 123456789012 does not exist.' });
    const { ImageBuilder: made } = await create({ ImageName: undefined, ImageArn: SHARED_ARN });
    expect(made?.ImageArn).toBe(SHARED_ARN);
  });

  it('in a failing subnet it ends FAILED with ImageBuilderErrors', async () => {
    await create({ VpcConfig: { SubnetIds: ['subnet-full'] } });
    await sleep(TRANSITION_MS + 50);
    const failed = await builder('ib');
    expect(failed?.State).toBe('FAILED');
    expect(failed?.ImageBuilderErrors?.[0]?.ErrorCode).toBe('NETWORK_INTERFACE_LIMIT_EXCEEDED');
  });
});

describe('states', () => {
  it('STOPPED → PENDING → RUNNING → STOPPING → STOPPED, with the errors AWS answers out of turn', async () => {
    await expect(send(new StopImageBuilderCommand({ Name: 'seeded' }))).rejects.toThrow(OperationNotPermittedException);
    await send(new StartImageBuilderCommand({ Name: 'seeded' }));
    expect((await builder('seeded'))?.State).toBe('PENDING');
    await expect(send(new StartImageBuilderCommand({ Name: 'seeded' }))).rejects.toThrow(ConcurrentModificationException);
    await expect(send(new DeleteImageBuilderCommand({ Name: 'seeded' }))).rejects.toThrow(ConcurrentModificationException);
    await sleep(TRANSITION_MS + 50);
    expect((await builder('seeded'))?.State).toBe('RUNNING');
    await expect(send(new DeleteImageBuilderCommand({ Name: 'seeded' }))).rejects.toMatchObject({
      name: 'OperationNotPermittedException',
      message: "The image builder seeded can't be deleted when it is RUNNING. Stop it first.",
    });
    await send(new StopImageBuilderCommand({ Name: 'seeded' }));
    expect((await builder('seeded'))?.State).toBe('STOPPING');
    await sleep(TRANSITION_MS + 50);
    expect((await builder('seeded'))?.State).toBe('STOPPED');
  });

  it('a STOPPED or FAILED builder is deleted: DELETING, then gone', async () => {
    const { ImageBuilder: deleting } = await send<{ ImageBuilder: ImageBuilder }>(new DeleteImageBuilderCommand({ Name: 'broken' }));
    expect(deleting.State).toBe('DELETING');
    await sleep(TRANSITION_MS + 50);
    expect(await builder('broken')).toBeUndefined();
    await expect(send(new DeleteImageBuilderCommand({ Name: 'broken' }))).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('reads, tags and the state file', () => {
  it('DescribeImageBuilders pages by MaxResults and names unknown builders', async () => {
    const first = await em.clients.appstream.send(new DescribeImageBuildersCommand({ MaxResults: 1 }));
    expect(first.ImageBuilders!.map((b) => b.Name)).toEqual(['broken']);
    const second = await em.clients.appstream.send(new DescribeImageBuildersCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second.ImageBuilders!.map((b) => b.Name)).toEqual(['seeded']);
    expect(second.NextToken).toBeUndefined();
    await expect(em.clients.appstream.send(new DescribeImageBuildersCommand({ Names: ['nope'] }))).rejects.toThrow(ResourceNotFoundException);
  });

  it('tags by ARN, GetResources lists tagged builders as appstream:image-builder', async () => {
    const arn = (await builder('seeded'))!.Arn!;
    expect(arn).toBe('arn:aws:appstream:us-east-1:123456789012:image-builder/seeded');
    await send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'dev' } }));
    expect((await send<{ Tags: Record<string, string> }>(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({ team: 'a', env: 'dev' });
    const page = await em.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:image-builder'] }));
    expect(page.ResourceTagMappingList!.map((r) => r.ResourceARN)).toEqual([arn]);
  });

  it('the state file keeps what DescribeImageBuilders does not show (tags, software), and checks seeded builders', async () => {
    const saved = (await em.getState()).appstream!;
    expect(saved.imageBuilders!.find((b) => b.Name === 'seeded')).toMatchObject({ Tags: { team: 'a' }, SoftwaresToInstall: ['Microsoft_Office_2021_LTSC_Professional_Plus_64Bit'] });
    expect(saved.failingSubnets).toEqual(['subnet-full']);
    expect((await builder('seeded')) as unknown as Record<string, unknown>).not.toHaveProperty('SoftwaresToInstall');
    await expect(em.setState({ appstream: { imageBuilders: [{ Name: 'x', State: 'SLEEPING' }] } })).rejects.toThrow(/appstream.imageBuilders\[0\].State/);
  });
});
