/**
 * Applications end to end: describe, plan and apply against the emulator with the real SDK
 * clients. The emulator refuses to delete an application a fleet still offers, to associate one
 * with a fleet that is not Elastic or of another platform, and to delete an app block an
 * application uses, so a plan that got the order of its calls wrong fails here.
 */
import {
  AssociateApplicationFleetCommand,
  DeleteAppBlockCommand,
  DescribeApplicationFleetAssociationsCommand,
  DescribeApplicationsCommand,
  UpdateApplicationCommand,
  type Application,
} from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { ApplicationConfig, Config } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { apply, applyEvents, callList, config, convergeClean, planWith, PROJECT, useAccount } from '../plan/helpers.js';
import { WORD as OFFICE_WORD } from './application-fixtures.js';

const ACCOUNT_ARN = 'arn:aws:appstream:us-east-1:123456789012';
const blockArn = (name: string) => `${ACCOUNT_ARN}:app-block/${name}`;
const appArn = (name: string) => `${ACCOUNT_ARN}:application/${name}`;
const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 };
const block = (Name: string) => ({ Name, SourceS3Location: { S3Bucket: 'blocks', S3Key: `${Name}.vhdx` }, SetupScriptDetails: SCRIPT });
const ELASTIC = { FleetType: 'ELASTIC', InstanceType: 'stream.standard.medium', MaxConcurrentSessions: 5, VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] }, Platform: 'WINDOWS_SERVER_2019' };
const ACCOUNT: EmulatorState = {
  appstream: {
    appBlocks: [block('office'), block('tools')],
    fleets: [
      { Name: 'win', ...ELASTIC },
      { Name: 'win2', ...ELASTIC },
    ],
  },
};

const WORD: ApplicationConfig = { ...OFFICE_WORD, Fleets: ['win'] };

const em = useAccount(ACCOUNT);

const send = <T>(command: unknown) => em.clients.appstream.send(command as never) as Promise<T>;
const application = async (name = 'word'): Promise<Application | undefined> =>
  (await send<{ Applications?: Application[] }>(new DescribeApplicationsCommand({}))).Applications?.find((a) => a.Name === name);
const fleetsOf = async (name = 'word') =>
  ((await send<{ ApplicationFleetAssociations?: { FleetName?: string }[] }>(new DescribeApplicationFleetAssociationsCommand({ ApplicationArn: appArn(name) }))).ApplicationFleetAssociations ?? [])
    .map((a) => a.FleetName)
    .sort();
const apps = (...applications: ApplicationConfig[]) => config({ applications });
const converged = (cfg: Config, prune = false) => convergeClean(em, cfg, prune);

describe('creating', () => {
  test('the application with its app block by name, then its fleet; the next plan has nothing to do', async () => {
    const first = await converged(apps({ ...WORD, DisplayName: 'Word', WorkingDirectory: 'C:\\docs', LaunchParameters: '/q', Tags: { team: 'office' } }));
    expect(callList(first)).toEqual(['CreateApplication application/word', 'AssociateApplicationFleet application/word']);
    expect(await application()).toMatchObject({ AppBlockArn: blockArn('office'), DisplayName: 'Word', WorkingDirectory: 'C:\\docs', LaunchParameters: '/q' });
    expect(await fleetsOf()).toEqual(['win']);
  });

  test('an app block the config declares is created first, and the application names it by reference until apply knows its ARN', async () => {
    const cfg = config({ applications: [{ ...WORD, AppBlock: 'later' }], appBlocks: [block('later')] });
    const { plan } = await planWith(em, cfg);
    expect(plan.calls.find((c) => c.operation === 'CreateApplication')!.input.AppBlockArn).toEqual({ $arnOf: 'appBlock/later' });
    expect(callList(plan)).toEqual(['CreateAppBlock appBlock/later', 'CreateApplication application/word', 'AssociateApplicationFleet application/word']);
    await apply(em, plan);
    expect((await application())?.AppBlockArn).toBe(blockArn('later'));
    expect((await planWith(em, cfg)).plan.calls).toEqual([]);

    // Both pruned: the application (its fleet first) goes before the block it uses.
    const pruned = await converged(config(), true);
    expect(callList(pruned)).toEqual(['DisassociateApplicationFleet application/word', 'DeleteApplication application/word', 'DeleteAppBlock appBlock/later']);
  });

  test('an app block by reference that apply cannot find fails that call in one line, and the application\'s later calls are skipped', async () => {
    const { plan } = await planWith(em, config({ applications: [{ ...WORD, AppBlock: 'never' }], appBlocks: [block('never')] }));
    // As if the block's own create had not run.
    const events = await applyEvents(em, { ...plan, calls: plan.calls.filter((c) => c.address === 'application/word') });
    const failed = events.filter((e) => e.type === 'call-failed');
    expect(failed.map((e) => e.type === 'call-failed' && e.error.message)).toEqual(['appBlock/never does not exist, so its ARN cannot be sent; it should have been created earlier in this apply']);
    expect(events.filter((e) => e.type === 'call-skipped')).toHaveLength(1);
    expect(await application()).toBeUndefined();
  });

  test('a fleet that is not Elastic, declared, is refused before any call', async () => {
    const onDemand = { Name: 'od', InstanceType: 'stream.standard.medium', ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 } };
    const { plan } = await planWith(em, config({ applications: [{ ...WORD, Fleets: ['od'] }], fleets: [onDemand] }));
    expect(plan.calls.filter((c) => c.address === 'application/word')).toEqual([]);
    expect(plan.diagnostics.map((d) => d.message)).toContain('fleet od is an ON_DEMAND fleet; applications can be associated only with Elastic fleets');
  });
});

describe('updating', () => {
  test('changed members in place, cleared ones through AttributesToDelete and ""', async () => {
    await converged(apps({ ...WORD, DisplayName: 'Word', Description: 'Editor', WorkingDirectory: 'C:\\docs', LaunchParameters: '/q' }));
    const second = await converged(apps({ ...WORD, DisplayName: null, Description: 'Word processor', WorkingDirectory: null, LaunchParameters: null, LaunchPath: 'D:\\word.exe' }));
    expect(callList(second)).toEqual(['UpdateApplication application/word', 'TagResource application/word']);
    const now = await application();
    expect(now).toMatchObject({ Description: 'Word processor', LaunchPath: 'D:\\word.exe' });
    for (const cleared of ['DisplayName', 'WorkingDirectory', 'LaunchParameters']) expect(now, cleared).not.toHaveProperty(cleared);
  });

  test('another app block, by name: AppBlockArn in place', async () => {
    await converged(apps(WORD));
    await converged(apps({ ...WORD, AppBlock: 'tools' }));
    expect((await application())?.AppBlockArn).toBe(blockArn('tools'));
  });

  test('Platforms replace it: its fleets let go, it is deleted, created again, and offered by them again', async () => {
    await converged(apps(WORD));
    await send(new UpdateApplicationCommand({ Name: 'word', Description: 'set elsewhere' }));
    const second = await converged(apps({ ...WORD, Platforms: ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2'] }));
    expect(second.changes[0]).toMatchObject({ action: 'replace', diffs: [expect.objectContaining({ path: 'Platforms', impact: 'replace' })] });
    expect(callList(second)).toEqual([
      'DisassociateApplicationFleet application/word',
      'DeleteApplication application/word',
      'CreateApplication application/word',
      'AssociateApplicationFleet application/word',
    ]);
    expect(await application()).toMatchObject({ Platforms: ['AMAZON_LINUX2', 'WINDOWS_SERVER_2019'], Description: 'set elsewhere' });
    expect(await fleetsOf()).toEqual(['win']);
  });
});

describe('fleet associations', () => {
  test('compared as a set: a fleet added and one removed', async () => {
    await converged(apps(WORD));
    const second = await converged(apps({ ...WORD, Fleets: ['win2'] }));
    expect(callList(second)).toEqual(['DisassociateApplicationFleet application/word', 'AssociateApplicationFleet application/word', 'TagResource application/word']);
    expect(await fleetsOf()).toEqual(['win2']);
  });

  test('an association made by hand is removed, and the plan calls it drift', async () => {
    await converged(apps(WORD));
    await send(new AssociateApplicationFleetCommand({ FleetName: 'win2', ApplicationArn: appArn('word') }));
    const { plan } = await planWith(em, apps(WORD));
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: true, diffs: [expect.objectContaining({ path: 'Fleets', removed: ['win2'] })] });
    expect(callList(plan)).toEqual(['DisassociateApplicationFleet application/word']);
    await converged(apps(WORD));
    expect(await fleetsOf()).toEqual(['win']);
  });

  test('a member changed by hand is drift, and set back', async () => {
    await converged(apps({ ...WORD, DisplayName: 'Word' }));
    await send(new UpdateApplicationCommand({ Name: 'word', DisplayName: 'Renamed' }));
    const { plan } = await planWith(em, apps({ ...WORD, DisplayName: 'Word' }));
    expect(plan.changes[0]).toMatchObject({ drift: true, diffs: [expect.objectContaining({ path: 'DisplayName', before: 'Renamed', after: 'Word' })] });
    await converged(apps({ ...WORD, DisplayName: 'Word' }));
    expect((await application())?.DisplayName).toBe('Word');
  });
});

describe('deleting', () => {
  test('prune lets its fleets go first, then deletes it, after which its app block can go', async () => {
    await converged(apps(WORD));
    await expect(send(new DeleteAppBlockCommand({ Name: 'office' }))).rejects.toThrow(/ResourceInUse|used by/);
    const pruned = await converged(config(), true);
    expect(callList(pruned)).toEqual(['DisassociateApplicationFleet application/word', 'DeleteApplication application/word']);
    expect(await application()).toBeUndefined();
    await send(new DeleteAppBlockCommand({ Name: 'office' }));
  });

  test('an application this project does not own is neither changed nor pruned', async () => {
    await em.setState({ appstream: { ...ACCOUNT.appstream, applications: [{ ...unmanaged('paint'), Tags: { [OWNER_TAG]: 'other' } }] } });
    const { plan } = await planWith(em, config(), true);
    expect(plan.calls).toEqual([]);
    const declared = await planWith(em, apps({ ...WORD, Name: 'paint', Fleets: undefined }));
    expect(declared.plan.calls).toEqual([]);
    expect(declared.plan.diagnostics[0].message).toMatch(/owned by project "other"/);
  });
});

/** An application as the state file holds one made outside streamform. */
function unmanaged(Name: string, fields: Record<string, unknown> = {}) {
  return { Name, AppBlockArn: blockArn('tools'), IconS3Location: { S3Bucket: 'icons' }, LaunchPath: `C:\\${Name}.exe`, Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'], ...fields };
}

describe('import and calls', () => {
  test('import declares what the last apply managed (the app block by name, or by ARN as declared), and planning it has nothing to do', async () => {
    const cfg = apps({ ...WORD, DisplayName: 'Word', Tags: { team: 'office' } }, { ...WORD, Name: 'excel', AppBlock: undefined, AppBlockArn: blockArn('tools'), LaunchParameters: '/x', Fleets: ['win', 'win2'] });
    await converged(cfg);
    const live = await describeAccount(em.clients, { studios: [] });
    const { config: imported } = buildImport(live, { project: PROJECT, region: 'us-east-1' });
    const byName = (list: ApplicationConfig[]) => [...list].sort((a, b) => a.Name.localeCompare(b.Name));
    expect(byName(imported.applications!)).toEqual(byName(cfg.applications!).map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))));
    // The fleets and app blocks are imported too, as unowned ones (adopted): only the applications are this test's.
    const { plan } = await planWith(em, { ...imported, fleets: undefined, appBlocks: undefined, region: undefined });
    expect(plan.calls).toEqual([]);
  });

  test('an application made elsewhere is imported with its app block by name and its fleets, and adopting it changes nothing but its tags', async () => {
    await em.setState({ appstream: { ...ACCOUNT.appstream, applications: [unmanaged('paint', { DisplayName: 'Paint' })], applicationFleetAssociations: [{ FleetName: 'win', ApplicationArn: appArn('paint') }] } });
    const { config: imported } = buildImport(await describeAccount(em.clients, { studios: [] }), { project: PROJECT, region: 'us-east-1' });
    expect(imported.applications).toEqual([{ ...unmanaged('paint', { DisplayName: 'Paint' }), AppBlockArn: undefined, AppBlock: 'tools', Fleets: ['win'] }].map((a) => JSON.parse(JSON.stringify(a))));
    const { plan } = await planWith(em, { ...imported, fleets: undefined, appBlocks: undefined, region: undefined });
    expect(callList(plan)).toEqual(['TagResource application/paint']);
    expect(plan.changes[0]).toMatchObject({ adopt: true });
  });

  test('a plan of 30 applications lists them in pages, tags in bulk, the app blocks and the fleet they name once, and associations once per application', async () => {
    const declared = Array.from({ length: 30 }, (_, i) => ({ ...WORD, Name: `app${String(i).padStart(2, '0')}` }));
    await converged(config({ applications: declared }));
    await em.clearCalls();
    await planWith(em, config({ applications: declared }));
    const counts: Record<string, number> = {};
    for (const { operation } of await em.calls()) counts[operation] = (counts[operation] ?? 0) + 1;
    // GetResources: the bulk tags, and one owner-filtered read of what this project owns and no longer declares.
    expect(counts).toMatchObject({ DescribeApplications: 2, DescribeAppBlocks: 1, DescribeFleets: 1, GetResources: 2, DescribeApplicationFleetAssociations: 30 });
    expect(counts.ListTagsForResource).toBeUndefined();
  });

  test('apply reads the new application\'s ARN once for all its associations', async () => {
    const events = await applyEvents(em, (await planWith(em, apps({ ...WORD, Fleets: ['win', 'win2'] }))).plan);
    expect(events.filter((e) => e.type === 'call-failed')).toEqual([]);
    const reads = (await em.calls()).filter((c) => c.operation === 'DescribeApplications');
    // One for the plan's listing, one for the two associations' reference.
    expect(reads).toHaveLength(2);
    expect(await fleetsOf()).toEqual(['win', 'win2']);
  });
});
