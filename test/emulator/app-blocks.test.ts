/** The emulator's app blocks over the real SDK: create per packaging type, state, delete rules, paging, tags and the state file. */
import {
  CreateAppBlockCommand,
  DeleteAppBlockCommand,
  DescribeAppBlocksCommand,
  InvalidParameterCombinationException,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
  type CreateAppBlockCommandInput,
} from '@aws-sdk/client-appstream';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import { appBlockHandlers } from '../../src/emulator/app-blocks.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { Store } from '../../src/emulator/state.js';
import { useEmulator } from '../helpers/emulator.js';

const ARN = (name: string) => `arn:aws:appstream:us-east-1:123456789012:app-block/${name}`;
const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', TimeoutInSeconds: 60 };
const ICON = { S3Bucket: 'icons', S3Key: 'app.png' };

const state: EmulatorState = {
  appstream: {
    appBlocks: [
      { Name: 'seeded', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'seeded.vhdx' }, SetupScriptDetails: SCRIPT, Tags: { team: 'a' } },
      { Name: 'packaged', SourceS3Location: { S3Bucket: 'blocks' }, PackagingType: 'APPSTREAM2', AppBlockErrors: [{ ErrorCode: 'VHD_MISSING', ErrorMessage: 'no VHD' }] },
    ],
    applications: [{ Name: 'editor', AppBlockArn: ARN('seeded'), IconS3Location: ICON, LaunchPath: 'C:\\editor.exe', Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'] }],
  },
};

const em = useEmulator(state, {}, { maxAttempts: 1 });

const create = (input: Partial<CreateAppBlockCommandInput> = {}) =>
  em.clients.appstream.send(new CreateAppBlockCommand({ Name: 'ab', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'ab.vhdx' }, SetupScriptDetails: SCRIPT, ...input }));
const describeBlocks = (input: { Arns?: string[]; MaxResults?: number; NextToken?: string } = {}) => em.clients.appstream.send(new DescribeAppBlocksCommand(input));

describe('CreateAppBlock', () => {
  it('makes a CUSTOM block ACTIVE at once and an APPSTREAM2 block INACTIVE, as the model documents', async () => {
    const { AppBlock: custom } = await create({ Description: '', DisplayName: 'Block', Tags: { env: 'dev' } });
    expect(custom).toMatchObject({ Name: 'ab', Arn: ARN('ab'), PackagingType: 'CUSTOM', State: 'ACTIVE', DisplayName: 'Block', SetupScriptDetails: SCRIPT });
    expect(custom?.CreatedTime).toBeInstanceOf(Date);
    expect(custom).not.toHaveProperty('Description');
    expect(custom).not.toHaveProperty('Tags');
    const post = { ...SCRIPT, ExecutableParameters: '-File post.ps1' };
    const { AppBlock: packaged } = await create({ Name: 'ab2', PackagingType: 'APPSTREAM2', SetupScriptDetails: undefined, PostSetupScriptDetails: post, SourceS3Location: { S3Bucket: 'blocks' } });
    expect(packaged).toMatchObject({ PackagingType: 'APPSTREAM2', State: 'INACTIVE', PostSetupScriptDetails: post });
  });

  it('refuses a second block of one name and the script combinations each packaging type does not take', async () => {
    await create();
    await expect(create()).rejects.toThrow(ResourceAlreadyExistsException);
    await expect(create({ Name: 'no-script', SetupScriptDetails: undefined })).rejects.toThrow(/SetupScriptDetails is required .* CUSTOM/);
    await expect(create({ Name: 'post', PostSetupScriptDetails: SCRIPT })).rejects.toThrow(InvalidParameterCombinationException);
    await expect(create({ Name: 'no-key', SourceS3Location: { S3Bucket: 'blocks' } })).rejects.toThrow(/S3Key is required/);
    await expect(create({ Name: 'mixed', PackagingType: 'APPSTREAM2' })).rejects.toThrow(/SetupScriptDetails can only be provided for the CUSTOM/);
    await expect(create({ Name: 'bad name!' })).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await describeBlocks()).AppBlocks!.map((b) => b.Name)).toEqual(['ab', 'packaged', 'seeded']);
  });
});

describe('DescribeAppBlocks', () => {
  it('lists all by name a page at a time, or the ARNs asked for, each of which must exist', async () => {
    const first = await describeBlocks({ MaxResults: 1 });
    expect(first.AppBlocks!.map((b) => b.Name)).toEqual(['packaged']);
    expect(first.AppBlocks![0]).toMatchObject({ State: 'INACTIVE', AppBlockErrors: [{ ErrorCode: 'VHD_MISSING' }] });
    const second = await describeBlocks({ MaxResults: 1, NextToken: first.NextToken });
    expect(second.AppBlocks!.map((b) => b.Name)).toEqual(['seeded']);
    expect(second.NextToken).toBeUndefined();
    expect((await describeBlocks({ Arns: [ARN('seeded'), ARN('seeded')] })).AppBlocks!.map((b) => b.Name)).toEqual(['seeded']);
    await expect(describeBlocks({ Arns: [ARN('nope')] })).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('DeleteAppBlock', () => {
  it('refuses while an application uses the block, and deletes a free one', async () => {
    await expect(em.clients.appstream.send(new DeleteAppBlockCommand({ Name: 'seeded' }))).rejects.toMatchObject({
      name: ResourceInUseException.name,
      message: 'The app block seeded is used by the application(s) editor.',
    });
    await create();
    await em.clients.appstream.send(new DeleteAppBlockCommand({ Name: 'ab' }));
    await expect(describeBlocks({ Arns: [ARN('ab')] })).rejects.toThrow(ResourceNotFoundException);
    await expect(em.clients.appstream.send(new DeleteAppBlockCommand({ Name: 'ab' }))).rejects.toThrow(ResourceNotFoundException);
  });

  it('asks the blockers other modules register (an app block builder associated with the block)', () => {
    const store = new Store(state, 0, 1);
    store.appBlocks.blockers.push((arn) => (arn === ARN('packaged') ? 'is associated with the app block builder b1' : undefined));
    const context = { store, pageSize: (size: number) => size, credentials: {} };
    expect(() => appBlockHandlers.DeleteAppBlock({ Name: 'packaged' }, context)).toThrow('The app block packaged is associated with the app block builder b1.');
    expect(store.appBlocks.named('packaged')).toBeDefined();
    store.appBlocks.blockers.pop();
    appBlockHandlers.DeleteAppBlock({ Name: 'packaged' }, context);
    expect(store.appBlocks.withArn(ARN('packaged'))).toBeUndefined();
  });
});

describe('tags and the state file', () => {
  it('tags by ARN; GetResources lists tagged blocks as appstream:app-block', async () => {
    await em.clients.appstream.send(new TagResourceCommand({ ResourceArn: ARN('seeded'), Tags: { env: 'dev' } }));
    expect((await em.clients.appstream.send(new ListTagsForResourceCommand({ ResourceArn: ARN('seeded') }))).Tags).toEqual({ team: 'a', env: 'dev' });
    const page = await em.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:app-block'] }));
    expect(page.ResourceTagMappingList!.map((r) => r.ResourceARN)).toEqual([ARN('seeded')]);
  });

  it('saves blocks as DescribeAppBlocks shows them, with their tags, and checks seeded ones', async () => {
    await create({ Tags: { env: 'dev' } });
    const saved = (await em.getState()).appstream!.appBlocks!;
    const described = (await describeBlocks({ Arns: [ARN('ab')] })).AppBlocks![0];
    expect(saved.find((b) => b.Name === 'ab')).toEqual({ ...JSON.parse(JSON.stringify(described)), CreatedTime: described.CreatedTime!.getTime() / 1000, Tags: { env: 'dev' } });
    await em.setState({ appstream: { appBlocks: saved } });
    expect((await describeBlocks()).AppBlocks!.map((b) => b.Name)).toEqual(['ab', 'packaged', 'seeded']);
    await expect(em.setState({ appstream: { appBlocks: [{ Name: 'x', SourceS3Location: { S3Bucket: 'blocks' }, State: 'BROKEN' }] } })).rejects.toThrow(/appstream.appBlocks\[0\].State/);
    await expect(em.setState({ appstream: { appBlocks: [{ Name: 'x' }] } })).rejects.toThrow(/appstream.appBlocks\[0\].SourceS3Location: is required/);
    await expect(em.setState({ appstream: { applications: [{ ...state.appstream!.applications![0] }] } })).rejects.toThrow(/AppBlockArn: no app block/);
  });
});
