/**
 * App blocks end to end: describe, plan and apply against the emulator with the real SDK clients.
 * The emulator refuses a second block of one name and deleting a block an application uses, so a
 * plan that got the order of a replace wrong, or deletes a used block, fails here.
 */
import { DescribeAppBlocksCommand, UntagResourceCommand, type AppBlock } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { AppBlockConfig } from '../../src/config/types.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { applyEvents, callList, config, convergeClean, mutationsOf, planWith, PROJECT, useAccount } from '../plan/helpers.js';

const ARN = (name: string) => `arn:aws:appstream:us-east-1:123456789012:app-block/${name}`;
const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 };
const BLOCK = { Name: 'tools', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'tools.vhdx' }, SetupScriptDetails: SCRIPT } satisfies AppBlockConfig;
const OWNED = { [OWNER_TAG]: PROJECT };
const EDITOR = { Name: 'editor', AppBlockArn: ARN('tools'), IconS3Location: { S3Bucket: 'icons', S3Key: 'e.png' }, LaunchPath: 'C:\\e.exe', Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'] };

const em = useAccount();

const block = async (name = 'tools'): Promise<AppBlock> => (await em.clients.appstream.send(new DescribeAppBlocksCommand({ Arns: [ARN(name)] }))).AppBlocks![0];
const mutations = () => mutationsOf(em);
const converged = (cfg: ReturnType<typeof config>, prune = false) => convergeClean(em, cfg, prune);

describe('creating', () => {
  test('every member is sent with the owner tag; the CUSTOM block is ACTIVE and the next plan has nothing to do', async () => {
    const full: AppBlockConfig = { ...BLOCK, Description: 'Tools', DisplayName: 'Tool box', PackagingType: 'CUSTOM', Tags: { team: 'vfx' } };
    const first = await converged(config({ appBlocks: [full] }));
    expect(callList(first)).toEqual(['CreateAppBlock appBlock/tools']);
    const { Tags, ...members } = full;
    expect(first.calls[0].input).toEqual({ ...members, Tags: expect.objectContaining({ ...Tags, [OWNER_TAG]: PROJECT }) });
    expect(first.changes[0]).toMatchObject({ action: 'create', reasonCode: 'create' });
    expect(first.changes[0].reason).toBeUndefined();
    expect(await block()).toMatchObject({ State: 'ACTIVE', Description: 'Tools', PackagingType: 'CUSTOM' });
  });

  test('an APPSTREAM2 block: the plan says it is created INACTIVE, and every later plan warns while it is', async () => {
    const packaged: AppBlockConfig = { Name: 'pkg', PackagingType: 'APPSTREAM2', SourceS3Location: { S3Bucket: 'blocks' }, PostSetupScriptDetails: SCRIPT };
    const { plan } = await planWith(em, config({ appBlocks: [packaged] }));
    expect(plan.changes[0].reason).toBe('created INACTIVE until an app block builder packages its applications into the VHD (PackagingType APPSTREAM2); its applications cannot launch before');
    await applyEvents(em, plan);
    expect((await block('pkg')).State).toBe('INACTIVE');
    const { plan: next } = await planWith(em, config({ appBlocks: [packaged] }));
    expect(next.calls).toEqual([]);
    expect(next.diagnostics).toMatchObject([{ severity: 'warning', address: 'appBlock/pkg', message: expect.stringMatching(/^is INACTIVE until an app block builder packages/) }]);
  });
});

describe('changing', () => {
  test('tags change in place', async () => {
    await converged(config({ appBlocks: [{ ...BLOCK, Tags: { team: 'a', old: 'x' } }] }));
    await em.clearCalls();
    const retagged = await converged(config({ appBlocks: [{ ...BLOCK, Tags: { team: 'b' } }] }));
    expect(retagged.changes[0]).toMatchObject({ action: 'update', diffs: [{ path: 'Tags', impact: 'update' }] });
    expect(await mutations()).toEqual(['UntagResource', 'TagResource']);
  });

  test('any other change replaces: delete, then create; the reason and each attribute say "replace"', async () => {
    await converged(config({ appBlocks: [{ ...BLOCK, Description: 'one', Tags: { team: 'a' } }] }));
    await em.clearCalls();
    const script = { ...SCRIPT, TimeoutInSeconds: 120 };
    const replaced = await converged(config({ appBlocks: [{ ...BLOCK, Description: 'two', SetupScriptDetails: script, Tags: { team: 'b' } }] }));
    expect(callList(replaced)).toEqual(['DeleteAppBlock appBlock/tools', 'CreateAppBlock appBlock/tools']);
    expect(replaced.changes[0]).toMatchObject({
      action: 'replace',
      reasonCode: 'replace_because_immutable',
      reason: 'Description, SetupScriptDetails cannot change on an app block (there is no UpdateAppBlock): it is deleted and created again',
      diffs: [
        { path: 'Description', before: 'one', after: 'two', impact: 'replace' },
        { path: 'SetupScriptDetails', before: SCRIPT, after: script, impact: 'replace' },
        { path: 'Tags', impact: 'update' },
      ],
    });
    expect(await mutations()).toEqual(['DeleteAppBlock', 'CreateAppBlock']);
    expect(await block()).toMatchObject({ Description: 'two', SetupScriptDetails: script });
  });

  test('clearing a managed attribute replaces the block without it; what the config never managed is carried over', async () => {
    await em.setState({ appstream: { appBlocks: [{ ...BLOCK, DisplayName: 'Theirs', Tags: OWNED }] } });
    await converged(config({ appBlocks: [{ ...BLOCK, Description: 'managed' }] }));
    const cleared = await converged(config({ appBlocks: [BLOCK] }));
    expect(cleared.changes[0]).toMatchObject({ action: 'replace', diffs: [{ path: 'Description', before: 'managed', after: null, impact: 'replace' }] });
    const after = await block();
    expect(after.Description).toBeUndefined();
    expect(after.DisplayName).toBe('Theirs');
  });

  test('a block another project owns, or nobody, is never replaced', async () => {
    await em.setState({ appstream: { appBlocks: [{ ...BLOCK, Description: 'theirs' }, { ...BLOCK, Name: 'other', Tags: { [OWNER_TAG]: 'else' } }] } });
    const { plan } = await planWith(em, config({ appBlocks: [{ ...BLOCK, Description: 'mine' }, { ...BLOCK, Name: 'other' }] }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics.map((d) => `${d.address}: ${d.message}`)).toEqual([
      'appBlock/other: owned by project "else" (tag streamform:project); streamform leaves it alone',
      'appBlock/tools: exists and is not owned by this project; it cannot change in place, and replacing it would delete it',
    ]);
  });
});

describe('deleting, drift and health', () => {
  test('prune deletes owned blocks no longer declared and leaves unowned ones alone', async () => {
    await em.setState({ appstream: { appBlocks: [{ ...BLOCK, Name: 'old', Tags: OWNED }, { ...BLOCK, Name: 'theirs' }] } });
    const first = await converged(config({}), true);
    expect(callList(first)).toEqual(['DeleteAppBlock appBlock/old']);
    expect(first.changes[0]).toMatchObject({ action: 'delete', reasonCode: 'prune' });
    expect((await em.getState()).appstream!.appBlocks!.map((b) => b.Name)).toEqual(['theirs']);
  });

  test('deleting a block an application uses fails cleanly, naming the application, and changes nothing', async () => {
    const used: EmulatorState = { appstream: { appBlocks: [{ ...BLOCK, Tags: OWNED }], applications: [EDITOR] } };
    await em.setState(used);
    const { plan } = await planWith(em, config({}), true);
    expect(callList(plan)).toEqual(['DeleteAppBlock appBlock/tools']);
    const failed = (await applyEvents(em, plan)).find((e) => e.type === 'call-failed');
    expect(failed).toMatchObject({ error: { name: 'ResourceInUseException', message: 'ResourceInUseException: The app block tools is used by the application(s) editor.' } });
    expect((await em.getState()).appstream!.appBlocks!.map((b) => b.Name)).toEqual(['tools']);
  });

  test('a change made outside streamform is drift', async () => {
    await converged(config({ appBlocks: [{ ...BLOCK, Tags: { team: 'a' } }] }));
    await em.clients.appstream.send(new UntagResourceCommand({ ResourceArn: ARN('tools'), TagKeys: ['team'] }));
    const { plan } = await planWith(em, config({ appBlocks: [{ ...BLOCK, Tags: { team: 'a' } }] }));
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: true, reasonCode: 'drift', diffs: [{ path: 'Tags', after: { team: 'a' } }] });
    expect(callList(plan)).toEqual(['TagResource appBlock/tools']);
  });

  test('AppBlockErrors are errors even when nothing changes', async () => {
    await em.setState({ appstream: { appBlocks: [{ ...BLOCK, Tags: OWNED, AppBlockErrors: [{ ErrorCode: 'VHD_UNREADABLE', ErrorMessage: 'The VHD cannot be mounted.' }] }] } });
    const { plan } = await planWith(em, config({ appBlocks: [BLOCK] }));
    expect(plan.diagnostics.map((d) => `${d.severity} ${d.address}: ${d.message}`)).toEqual(['error appBlock/tools: app block error VHD_UNREADABLE: The VHD cannot be mounted. (state ACTIVE)']);
    expect(plan.calls.filter((c) => c.operation !== 'TagResource')).toEqual([]);
  });
});

describe('import and calls', () => {
  test('import declares what the last apply managed, and planning it right away has nothing to do', async () => {
    const packaged: AppBlockConfig = { Name: 'pkg', PackagingType: 'APPSTREAM2', SourceS3Location: { S3Bucket: 'blocks' }, Tags: { team: 'a' } };
    const cfg = config({ appBlocks: [{ ...BLOCK, DisplayName: 'D' }, packaged] });
    const { plan } = await planWith(em, cfg);
    await applyEvents(em, plan);
    const live = await describeAccount(em.clients, { studios: [] });
    const { config: imported } = buildImport(live, { project: PROJECT, region: 'us-east-1' });
    expect(imported.appBlocks).toEqual(cfg.appBlocks!.slice().reverse());
    const { plan: next } = await planWith(em, { ...imported, region: undefined });
    expect(next.calls).toEqual([]);
  });

  test('import without a record declares what differs from the defaults, always with what the schema requires', async () => {
    await em.setState({ appstream: { appBlocks: [{ ...BLOCK, PackagingType: 'CUSTOM', Description: 'x' }] } });
    const { config: imported } = buildImport(await describeAccount(em.clients, { studios: [] }), { project: PROJECT, region: 'us-east-1' });
    expect(imported.appBlocks).toEqual([{ ...BLOCK, Description: 'x' }]);
  });

  test('a plan of 30 blocks reads them in pages, tags in bulk, and no block one by one', async () => {
    const declared = Array.from({ length: 30 }, (_, i) => ({ ...BLOCK, Name: `b${String(i).padStart(2, '0')}` }));
    await converged(config({ appBlocks: declared }));
    await em.clearCalls();
    await planWith(em, config({ appBlocks: declared }));
    const counts: Record<string, number> = {};
    for (const { operation } of await em.calls()) counts[operation] = (counts[operation] ?? 0) + 1;
    // GetResources: the bulk tags, and one owner-filtered read of what this project owns and no longer declares.
    expect(counts).toMatchObject({ DescribeAppBlocks: 2, GetResources: 2 });
    expect(counts.ListTagsForResource).toBeUndefined();
  });

  test('a config without app blocks reads none, unless it prunes', async () => {
    await planWith(em, config({ stacks: [{ Name: 's' }] }));
    expect((await em.calls()).map((c) => c.operation)).not.toContain('DescribeAppBlocks');
    await planWith(em, config({}), true);
    expect((await em.calls()).map((c) => c.operation)).toContain('DescribeAppBlocks');
  });
});
