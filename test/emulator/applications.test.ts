/** The emulator's applications over the real SDK: create, partial update, delete rules, fleet associations, paging, tags and the state file. */
import {
  AssociateApplicationFleetCommand,
  CreateApplicationCommand,
  DeleteAppBlockCommand,
  DeleteApplicationCommand,
  DescribeApplicationFleetAssociationsCommand,
  DescribeApplicationsCommand,
  DisassociateApplicationFleetCommand,
  InvalidParameterCombinationException,
  ListTagsForResourceCommand,
  OperationNotPermittedException,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateApplicationCommand,
  type Application,
  type CreateApplicationCommandInput,
} from '@aws-sdk/client-appstream';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import { applicationHandlers } from '../../src/emulator/applications.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { Store } from '../../src/emulator/state.js';
import { useEmulator } from '../helpers/emulator.js';

const ACCOUNT_ARN = 'arn:aws:appstream:us-east-1:123456789012';
const BLOCK = `${ACCOUNT_ARN}:app-block/tools`;
const APP = (name: string) => `${ACCOUNT_ARN}:application/${name}`;
const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 };
const ICON = { S3Bucket: 'icons', S3Key: 'app.png' };
const ELASTIC = { FleetType: 'ELASTIC', InstanceType: 'stream.standard.medium', MaxConcurrentSessions: 5, VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] } };

const state: EmulatorState = {
  appstream: {
    appBlocks: [
      { Name: 'tools', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'tools.vhdx' }, SetupScriptDetails: SCRIPT },
      { Name: 'other', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'other.vhdx' }, SetupScriptDetails: SCRIPT },
    ],
    fleets: [
      { Name: 'win', ...ELASTIC, Platform: 'WINDOWS_SERVER_2019' },
      { Name: 'linux', ...ELASTIC, Platform: 'AMAZON_LINUX2' },
      { Name: 'gpu', ...ELASTIC, Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.graphics.g4dn.xlarge' },
      { Name: 'always', FleetType: 'ALWAYS_ON', Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.medium' },
    ],
    applications: [
      { Name: 'seeded', AppBlockArn: BLOCK, IconS3Location: ICON, LaunchPath: 'C:\\seeded.exe', LaunchParameters: '-q', Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'], Tags: { team: 'a' } },
    ],
    applicationFleetAssociations: [{ FleetName: 'win', ApplicationArn: APP('seeded') }],
  },
};

const em = useEmulator(state, {}, { maxAttempts: 1 });

const send = <T>(command: unknown) => em.clients.appstream.send(command as never) as Promise<T>;
const create = (input: Partial<CreateApplicationCommandInput> = {}) =>
  em.clients.appstream.send(
    new CreateApplicationCommand({ Name: 'editor', AppBlockArn: BLOCK, IconS3Location: ICON, LaunchPath: 'C:\\editor.exe', Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'], ...input }),
  );
const application = async (name: string): Promise<Application> => (await em.clients.appstream.send(new DescribeApplicationsCommand({ Arns: [APP(name)] }))).Applications![0];
const associate = (FleetName: string, name = 'editor') => send<{ ApplicationFleetAssociation: object }>(new AssociateApplicationFleetCommand({ FleetName, ApplicationArn: APP(name) }));
const associations = async (input: { FleetName?: string; ApplicationArn?: string; MaxResults?: number; NextToken?: string }) =>
  (await em.clients.appstream.send(new DescribeApplicationFleetAssociationsCommand(input))).ApplicationFleetAssociations!;

describe('CreateApplication', () => {
  it('makes an enabled application with its icon URL, in the catalogue of an existing app block', async () => {
    const { Application: made } = await create({ Description: '', DisplayName: 'Editor', WorkingDirectory: 'C:\\work', Tags: { env: 'dev' } });
    expect(made).toMatchObject({ Name: 'editor', Arn: APP('editor'), AppBlockArn: BLOCK, Enabled: true, DisplayName: 'Editor', WorkingDirectory: 'C:\\work', IconS3Location: ICON });
    expect(made?.IconURL).toMatch(/^https:\/\/icons\.s3\.us-east-1\.amazonaws\.com\/app\.png/);
    expect(made?.CreatedTime).toBeInstanceOf(Date);
    expect(made).not.toHaveProperty('Description');
    expect(made).not.toHaveProperty('Tags');
  });

  it('refuses a second application of one name, an unknown app block, and platforms or families Elastic fleets do not have', async () => {
    await create();
    await expect(create()).rejects.toThrow(ResourceAlreadyExistsException);
    await expect(create({ Name: 'lost', AppBlockArn: `${ACCOUNT_ARN}:app-block/nope` })).rejects.toMatchObject({
      name: ResourceNotFoundException.name,
      message: `App block ${ACCOUNT_ARN}:app-block/nope does not exist.`,
    });
    await expect(create({ Name: 'old', Platforms: ['WINDOWS_SERVER_2016'] })).rejects.toThrow(/platform WINDOWS_SERVER_2016 is not supported/);
    await expect(create({ Name: 'fam', InstanceFamilies: ['MEMORY_OPTIMIZED'] })).rejects.toThrow(InvalidParameterCombinationException);
    await expect(create({ Name: 'none', Platforms: [] })).rejects.toThrow(/Platforms must name at least one/);
    expect((await em.clients.appstream.send(new DescribeApplicationsCommand({}))).Applications!.map((a) => a.Name)).toEqual(['editor', 'seeded']);
  });
});

describe('UpdateApplication', () => {
  it('changes what it is given, clears through AttributesToDelete, and moves the application to another app block', async () => {
    const other = `${ACCOUNT_ARN}:app-block/other`;
    const { Application: updated } = await send<{ Application: Application }>(
      new UpdateApplicationCommand({ Name: 'seeded', DisplayName: 'Seeded', AppBlockArn: other, IconS3Location: { S3Bucket: 'icons2', S3Key: 'new.png' }, AttributesToDelete: ['LAUNCH_PARAMETERS'] }),
    );
    expect(updated).toMatchObject({ DisplayName: 'Seeded', AppBlockArn: other, LaunchPath: 'C:\\seeded.exe', Platforms: ['WINDOWS_SERVER_2019'] });
    expect(updated.IconURL).toMatch(/^https:\/\/icons2\.s3\.us-east-1\.amazonaws\.com\/new\.png/);
    expect(updated).not.toHaveProperty('LaunchParameters');
    expect(await application('seeded')).toEqual(updated);
    // Once the application left it, the first block can go.
    await send(new DeleteAppBlockCommand({ Name: 'tools' }));
  });

  it('refuses to set and delete one attribute, an unknown app block, an unknown application', async () => {
    await expect(send(new UpdateApplicationCommand({ Name: 'seeded', LaunchParameters: '-v', AttributesToDelete: ['LAUNCH_PARAMETERS'] }))).rejects.toThrow(
      "LAUNCH_PARAMETERS can't be both set and deleted in the same request.",
    );
    await expect(send(new UpdateApplicationCommand({ Name: 'seeded', AppBlockArn: `${ACCOUNT_ARN}:app-block/nope` }))).rejects.toThrow(ResourceNotFoundException);
    await expect(send(new UpdateApplicationCommand({ Name: 'nope', DisplayName: 'x' }))).rejects.toThrow(ResourceNotFoundException);
    expect(await application('seeded')).toMatchObject({ LaunchParameters: '-q', AppBlockArn: BLOCK });
  });
});

describe('fleet associations', () => {
  it('associates with Elastic fleets of a platform and instance family the application has, once', async () => {
    await create({ Platforms: ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2'] });
    expect((await associate('win')).ApplicationFleetAssociation).toEqual( { FleetName: 'win', ApplicationArn: APP('editor') });
    await associate('win');
    await associate('linux');
    expect(await associations({ ApplicationArn: APP('editor') })).toEqual([
      { FleetName: 'linux', ApplicationArn: APP('editor') },
      { FleetName: 'win', ApplicationArn: APP('editor') },
    ]);
    expect(await associations({ FleetName: 'win' })).toEqual([
      { FleetName: 'win', ApplicationArn: APP('editor') },
      { FleetName: 'win', ApplicationArn: APP('seeded') },
    ]);
  });

  it('refuses a fleet that is not Elastic, an incompatible platform or instance family, and unknown fleets or applications', async () => {
    await create();
    await expect(associate('always')).rejects.toMatchObject({ name: OperationNotPermittedException.name, message: expect.stringMatching(/only with Elastic fleets/) });
    await expect(associate('linux')).rejects.toThrow(/supports WINDOWS_SERVER_2019, not the platform AMAZON_LINUX2/);
    await expect(associate('gpu')).rejects.toThrow(/not the instance type stream\.graphics\.g4dn\.xlarge/);
    await expect(associate('nope')).rejects.toThrow(ResourceNotFoundException);
    await expect(associate('win', 'nope')).rejects.toThrow(ResourceNotFoundException);
    expect(await associations({ ApplicationArn: APP('editor') })).toEqual([]);
  });

  it('disassociates (what is not associated too), pages, and needs a fleet or an application to list', async () => {
    await create({ InstanceFamilies: ['GENERAL_PURPOSE', 'GRAPHICS_G4'] });
    await associate('gpu');
    await associate('win');
    const first = await em.clients.appstream.send(new DescribeApplicationFleetAssociationsCommand({ ApplicationArn: APP('editor'), MaxResults: 1 }));
    expect(first.ApplicationFleetAssociations!.map((a) => a.FleetName)).toEqual(['gpu']);
    expect((await associations({ ApplicationArn: APP('editor'), MaxResults: 1, NextToken: first.NextToken })).map((a) => a.FleetName)).toEqual(['win']);
    await send(new DisassociateApplicationFleetCommand({ FleetName: 'gpu', ApplicationArn: APP('editor') }));
    await send(new DisassociateApplicationFleetCommand({ FleetName: 'gpu', ApplicationArn: APP('editor') }));
    expect(await associations({ ApplicationArn: APP('editor') })).toEqual([{ FleetName: 'win', ApplicationArn: APP('editor') }]);
    expect(await associations({ FleetName: 'nope' })).toEqual([]);
    await expect(associations({})).rejects.toThrow(InvalidParameterCombinationException);
  });
});

describe('DeleteApplication', () => {
  it('refuses while a fleet offers the application or a registered blocker holds it, and deletes it once free', async () => {
    await expect(send(new DeleteApplicationCommand({ Name: 'seeded' }))).rejects.toMatchObject({
      name: ResourceInUseException.name,
      message: 'The application seeded is associated with the fleet(s) win; disassociate them first.',
    });
    await send(new DisassociateApplicationFleetCommand({ FleetName: 'win', ApplicationArn: APP('seeded') }));
    await send(new DeleteApplicationCommand({ Name: 'seeded' }));
    await expect(application('seeded')).rejects.toThrow(ResourceNotFoundException);
    await expect(send(new DeleteApplicationCommand({ Name: 'seeded' }))).rejects.toThrow(ResourceNotFoundException);
  });

  it('asks the blockers other modules register (an entitlement naming the application)', () => {
    const store = new Store({ appstream: { ...state.appstream, applicationFleetAssociations: [] } }, 0, 1);
    store.applications.blockers.push((arn) => (arn === APP('seeded') ? 'is entitled by the entitlement staff of the stack s1' : undefined));
    const context = { store, pageSize: (size: number) => size, credentials: {} };
    expect(() => applicationHandlers.DeleteApplication({ Name: 'seeded' }, context)).toThrow('The application seeded is entitled by the entitlement staff of the stack s1.');
    expect(store.applications.named('seeded')?.Arn).toBe(APP('seeded'));
  });
});

describe('tags and the state file', () => {
  it('tags by ARN; GetResources lists tagged applications as appstream:application', async () => {
    expect((await send<{ Tags: Record<string, string> }>(new ListTagsForResourceCommand({ ResourceArn: APP('seeded') }))).Tags).toEqual({ team: 'a' });
    await create({ Tags: { env: 'dev' } });
    const page = await em.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:application'] }));
    expect(page.ResourceTagMappingList!.map((r) => r.ResourceARN)).toEqual([APP('editor'), APP('seeded')]);
  });

  it('saves applications as DescribeApplications shows them and the associations of fleets that still exist, and checks seeded ones', async () => {
    const saved = (await em.getState()).appstream!;
    const described = await application('seeded');
    expect(saved.applications).toEqual([{ ...JSON.parse(JSON.stringify(described)), CreatedTime: described.CreatedTime!.getTime() / 1000, Tags: { team: 'a' } }]);
    expect(saved.applicationFleetAssociations).toEqual(state.appstream!.applicationFleetAssociations);
    await em.setState({ appstream: saved });
    expect(await associations({ FleetName: 'win' })).toHaveLength(1);
    const bad = (association: object) => em.setState({ appstream: { ...state.appstream, applicationFleetAssociations: [association as never] } });
    await expect(bad({ FleetName: 'nope', ApplicationArn: APP('seeded') })).rejects.toThrow(/applicationFleetAssociations\[0\].FleetName: no fleet named 'nope'/);
    await expect(bad({ FleetName: 'win', ApplicationArn: APP('nope') })).rejects.toThrow(/ApplicationArn: no application/);
    await expect(bad({ FleetName: 'win', ApplicationArn: APP('seeded'), Extra: 1 })).rejects.toThrow(/Extra: unknown key/);
    await expect(em.setState({ appstream: { ...state.appstream, applicationFleetAssociations: [], applications: [{ Name: 'x', AppBlockArn: BLOCK } as never] } })).rejects.toThrow(
      /applications\[0\].IconS3Location: is required/,
    );
  });
});
