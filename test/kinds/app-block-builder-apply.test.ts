/**
 * App block builders end to end: describe, plan and apply against the emulator with the real SDK
 * clients. The emulator refuses to start a builder without an app block, to update a running one
 * beyond DisplayName and Description, to change its app block unless STOPPED and to delete it
 * unless STOPPED and without an app block, so a plan that got the order of its calls wrong fails here.
 */
import { DescribeAppBlockBuildersCommand, StopAppBlockBuilderCommand, UpdateAppBlockBuilderCommand, type AppBlockBuilder } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { AppBlockBuilderConfig, Config } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import type { LiveAppBlockBuilder } from '../../src/kinds/app-block-builder/live.js';
import { planAppBlockBuilderDeletion, planDeclaredAppBlockBuilder } from '../../src/kinds/app-block-builder/plan.js';
import { apply, applyEvents, config, converge, convergeClean, planWith, PROJECT, useAccount, withWaits } from '../plan/helpers.js';

const ARN = (name: string) => `arn:aws:appstream:us-east-1:123456789012:app-block/${name}`;
const VPC = { SubnetIds: ['subnet-a', 'subnet-b'] };
const OWNED = { [OWNER_TAG]: PROJECT };
const BUILDER: AppBlockBuilderConfig = { Name: 'abb', Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.small', VpcConfig: VPC, AppBlocks: ['office'] };
const LIVE = { Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.small', VpcConfig: VPC };
const APP_BLOCKS = ['office', 'visio'].map((Name) => ({ Name, PackagingType: 'APPSTREAM2', SourceS3Location: { S3Bucket: 'apps' } }));
const ACCOUNT: EmulatorState = { appstream: { appBlocks: APP_BLOCKS, failingSubnets: ['subnet-full'] } };
/** For the kind's planner called directly: a plan context, the app blocks' ARNs (office is declared), a subject. */
const CTX = { project: PROJECT, prune: false, now: new Date(), configDigest: () => '', describeErrors: new Map() };
const ENV = { appBlockArn: ARN, declaredAppBlocks: new Set(['office']), missing: () => false };
const at = (name: string) => ({ address: `appBlockBuilder/${name}`, kind: 'appBlockBuilder', liveDigest: null });

const em = useAccount(ACCOUNT);

const builder = async (name = 'abb'): Promise<AppBlockBuilder> => (await em.clients.appstream.send(new DescribeAppBlockBuildersCommand({ Names: [name] }))).AppBlockBuilders![0];
const appBlocksOf = async (name = 'abb') => (await em.getState()).appstream!.appBlockBuilderAppBlockAssociations?.filter((a) => a.AppBlockBuilderName === name).map((a) => a.AppBlockArn) ?? [];
const builders = (...declared: AppBlockBuilderConfig[]) => config({ appBlockBuilders: declared });
const converged = (cfg: Config, prune = false) => convergeClean(em, cfg, prune);
/** A builder this project applied, then left as `state`. */
async function applied(declared: AppBlockBuilderConfig, state: 'RUNNING' | 'STOPPED'): Promise<void> {
  await converged(builders({ ...declared, State: state }));
  await em.clearCalls();
}

describe('creating', () => {
  test('every member is sent, the app block is associated before the start, and the next plan has nothing to do', async () => {
    const full: AppBlockBuilderConfig = {
      ...BUILDER,
      Description: 'Packages office',
      DisplayName: 'Office packager',
      VpcConfig: { SubnetIds: ['subnet-b', 'subnet-a'], SecurityGroupIds: ['sg-1'] },
      EnableDefaultInternetAccess: true,
      IamRoleArn: 'arn:aws:iam::123456789012:role/packager',
      AccessEndpoints: [{ EndpointType: 'STREAMING', VpceId: 'vpce-1' }],
      DisableIMDSV1: true,
      Tags: { team: 'apps' },
    };
    const first = await converged(builders(full));
    expect(withWaits(first)).toEqual(['CreateAppBlockBuilder', 'AssociateAppBlockBuilderAppBlock', 'StartAppBlockBuilder (AppBlockBuilderRunning)']);
    const { Tags, AppBlocks, ...members } = full;
    expect(first.calls[0].input).toEqual({ ...members, VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] }, Tags: expect.objectContaining({ team: 'apps', [OWNER_TAG]: PROJECT }) });
    expect(first.calls[1].input).toEqual({ AppBlockBuilderName: 'abb', AppBlockArn: ARN('office') });
    expect(await builder()).toMatchObject({ State: 'RUNNING', EnableDefaultInternetAccess: true, DisableIMDSV1: true });
    expect(await appBlocksOf()).toEqual([ARN('office')]);
  });

  test('State STOPPED is associated and not started; without an app block and State it is created STOPPED and says why; State RUNNING without one is refused', async () => {
    const stopped = await converged(builders({ ...BUILDER, State: 'STOPPED' }));
    expect(withWaits(stopped)).toEqual(['CreateAppBlockBuilder', 'AssociateAppBlockBuilderAppBlock']);
    const { AppBlocks: _, ...bare } = BUILDER;
    const lone = await converged(builders({ ...bare, Name: 'lone' }));
    expect(withWaits(lone)).toEqual(['CreateAppBlockBuilder']);
    expect(lone.changes[0].reason).toBe('created STOPPED: it has no app block to start with');
    const { plan } = await planWith(em, builders({ ...bare, Name: 'eager', State: 'RUNNING' }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics.map((d) => d.message)).toEqual(['an app block builder can run only with an app block: declare AppBlocks, or State: STOPPED']);
  });

  test('an app block that neither exists nor is declared is refused before anything is applied', async () => {
    const { plan } = await planWith(em, builders({ ...BUILDER, AppBlocks: ['ghost'] }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics.map((d) => `${d.address}: ${d.message}`)).toEqual(['appBlockBuilder/abb: app block ghost does not exist and is not declared']);
  });

  // The planner keeps only dependencies on resources of the plan: the kind's own answer is checked here.
  test('depends on the app blocks it names that the config declares, and on no other', () => {
    expect(planDeclaredAppBlockBuilder(CTX, BUILDER, undefined, at('abb'), ENV).change.dependsOn).toEqual(['appBlock/office']);
    expect(planDeclaredAppBlockBuilder(CTX, { ...BUILDER, Name: 'other', AppBlocks: ['visio'] }, undefined, at('other'), ENV).change.dependsOn).toEqual([]);
  });
});

describe('with the app blocks the config declares', () => {
  test('a declared app block is created before the builder is associated with it, and pruned after the builder is deleted', async () => {
    const block = { Name: 'fresh', PackagingType: 'APPSTREAM2' as const, SourceS3Location: { S3Bucket: 'apps' } };
    // The new block is INACTIVE, which its kind warns about, until the running builder packages it.
    const { first, second } = await converge(em, { ...builders({ ...BUILDER, AppBlocks: ['fresh'] }), appBlocks: [block] });
    expect(second.calls).toEqual([]);
    expect(second.diagnostics.map((d) => `${d.severity} ${d.address}`)).toEqual(['warning appBlock/fresh']);
    expect(first.changes.find((c) => c.address === 'appBlockBuilder/abb')?.dependsOn).toEqual(['appBlock/fresh']);
    const phase = (operation: string) => first.calls.find((c) => c.operation === operation)!.phase;
    expect(phase('CreateAppBlock')).toBeLessThan(phase('AssociateAppBlockBuilderAppBlock'));
    expect(await appBlocksOf()).toEqual([ARN('fresh')]);
    const pruned = await converged(config({}), true);
    const at = (operation: string) => pruned.calls.findIndex((c) => c.operation === operation);
    expect(pruned.calls.map((c) => c.operation).filter((op) => /Delete|Disassociate/.test(op))).toEqual(['DisassociateAppBlockBuilderAppBlock', 'DeleteAppBlockBuilder', 'DeleteAppBlock']);
    expect(pruned.calls[at('DeleteAppBlockBuilder')].phase).toBeLessThan(pruned.calls[at('DeleteAppBlock')].phase);
  });
});

describe('updating by state', () => {
  test('a STOPPED builder takes every change in place, interrupting nobody', async () => {
    await applied(BUILDER, 'STOPPED');
    const { plan } = await planWith(em, builders({ ...BUILDER, State: 'STOPPED', InstanceType: 'stream.standard.large', DisplayName: 'D' }));
    expect(withWaits(plan)).toEqual(['UpdateAppBlockBuilder', 'TagResource']);
    expect(plan.changes[0].interruption).toBeUndefined();
    expect(plan.changes[0].diffs.map((d) => `${d.path}:${d.impact}`)).toEqual(['DisplayName:update', 'InstanceType:update']);
    await apply(em, plan);
    expect(await builder()).toMatchObject({ State: 'STOPPED', InstanceType: 'stream.standard.large', DisplayName: 'D' });
  });

  test('a RUNNING builder takes DisplayName and Description in place; anything else is stop → update → start, an interruption', async () => {
    await applied(BUILDER, 'RUNNING');
    const inPlace = await converged(builders({ ...BUILDER, State: 'RUNNING', DisplayName: 'D', Description: 'd' }));
    expect(withWaits(inPlace)).toEqual(['UpdateAppBlockBuilder', 'TagResource']);
    expect(inPlace.changes[0].interruption).toBeUndefined();
    const { plan } = await planWith(em, builders({ ...BUILDER, State: 'RUNNING', DisplayName: 'D', Description: 'd', InstanceType: 'stream.standard.large' }));
    expect(withWaits(plan)).toEqual(['StopAppBlockBuilder (AppBlockBuilderStopped)', 'UpdateAppBlockBuilder', 'StartAppBlockBuilder (AppBlockBuilderRunning)', 'TagResource']);
    expect(plan.changes[0]).toMatchObject({
      interruption: 'stops app block builder abb: whoever works in it is disconnected, and what is not saved in an app block is lost',
      diffs: [expect.objectContaining({ path: 'InstanceType', impact: 'interrupt' })],
    });
    await apply(em, plan);
    expect(await builder()).toMatchObject({ State: 'RUNNING', InstanceType: 'stream.standard.large' });
  });

  test('without State, a running builder is started again after its stop, and one an operator stopped stays stopped', async () => {
    await converged(builders(BUILDER));
    const running = await converged(builders({ ...BUILDER, InstanceType: 'stream.standard.medium' }));
    expect(withWaits(running)).toEqual(['StopAppBlockBuilder (AppBlockBuilderStopped)', 'UpdateAppBlockBuilder', 'StartAppBlockBuilder (AppBlockBuilderRunning)', 'TagResource']);
    await em.clients.appstream.send(new StopAppBlockBuilderCommand({ Name: 'abb' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = await converged(builders({ ...BUILDER, InstanceType: 'stream.standard.large' }));
    expect(withWaits(stopped)).toEqual(['UpdateAppBlockBuilder', 'TagResource']);
    expect((await builder()).State).toBe('STOPPED');
  });

  test('declared State starts a stopped builder and stops a running one (an interruption)', async () => {
    await applied(BUILDER, 'STOPPED');
    const started = await converged(builders({ ...BUILDER, State: 'RUNNING' }));
    expect(withWaits(started)).toEqual(['StartAppBlockBuilder (AppBlockBuilderRunning)', 'TagResource']);
    expect(started.changes[0].interruption).toBeUndefined();
    const stopped = await converged(builders({ ...BUILDER, State: 'STOPPED' }));
    expect(withWaits(stopped)).toEqual(['StopAppBlockBuilder (AppBlockBuilderStopped)', 'TagResource']);
    expect(stopped.changes[0].interruption).toMatch(/^stops app block builder abb/);
  });

  // Planned from a live builder caught on its way (the emulator's transitions outrun a plan on a busy machine).
  test('a builder on its way is waited for before it is changed', () => {
    const live = (state: string) => ({ builder: { Name: 'abb', Arn: 'arn', ...LIVE, State: state }, tags: OWNED, appBlocks: [ARN('office')] }) as LiveAppBlockBuilder;
    const plan = (state: string) => withWaits({ calls: planDeclaredAppBlockBuilder(CTX, { ...BUILDER, InstanceType: 'stream.standard.large' }, live(state), at('abb'), ENV).calls } as Plan);
    expect(plan('STOPPING')).toEqual(['DescribeAppBlockBuilders (AppBlockBuilderStopped)', 'UpdateAppBlockBuilder', 'TagResource']);
    expect(plan('STARTING')).toEqual([
      'DescribeAppBlockBuilders (AppBlockBuilderRunning)',
      'StopAppBlockBuilder (AppBlockBuilderStopped)',
      'UpdateAppBlockBuilder',
      'StartAppBlockBuilder (AppBlockBuilderRunning)',
      'TagResource',
    ]);
  });

  test('null and removed managed values are cleared: AttributesToDelete, "" for text, security groups by name', async () => {
    const managed = { ...BUILDER, VpcConfig: { ...VPC, SecurityGroupIds: ['sg-1'] }, IamRoleArn: 'arn:aws:iam::123456789012:role/r', AccessEndpoints: [{ EndpointType: 'STREAMING' as const, VpceId: 'vpce-1' }], Description: 'd' };
    await applied(managed, 'STOPPED');
    const { IamRoleArn: _, ...removed } = managed;
    const cleared = await converged(builders({ ...removed, State: 'STOPPED', VpcConfig: VPC, AccessEndpoints: null, Description: null }));
    expect(cleared.calls[0].input).toEqual({ Name: 'abb', Description: '', VpcConfig: VPC, AttributesToDelete: ['IAM_ROLE_ARN', 'ACCESS_ENDPOINTS', 'VPC_CONFIGURATION_SECURITY_GROUP_IDS'] });
    const found = await builder();
    for (const member of ['IamRoleArn', 'AccessEndpoints', 'Description']) expect(found).not.toHaveProperty(member);
    expect(found.VpcConfig).toEqual(VPC);
  });
});

describe('the app block', () => {
  test('a STOPPED builder is disassociated from the old app block, then associated with the new one', async () => {
    await applied(BUILDER, 'STOPPED');
    const moved = await converged(builders({ ...BUILDER, State: 'STOPPED', AppBlocks: ['visio'] }));
    expect(withWaits(moved)).toEqual(['DisassociateAppBlockBuilderAppBlock', 'AssociateAppBlockBuilderAppBlock', 'TagResource']);
    expect(moved.changes[0].diffs).toEqual([expect.objectContaining({ path: 'AppBlocks', added: ['visio'], removed: ['office'], impact: 'update' })]);
    expect(await appBlocksOf()).toEqual([ARN('visio')]);
  });

  test('a RUNNING builder is stopped for it and started again; dropping it (null) leaves the builder stopped', async () => {
    await applied(BUILDER, 'RUNNING');
    const moved = await converged(builders({ ...BUILDER, AppBlocks: ['visio'] }));
    expect(withWaits(moved)).toEqual([
      'StopAppBlockBuilder (AppBlockBuilderStopped)',
      'DisassociateAppBlockBuilderAppBlock',
      'AssociateAppBlockBuilderAppBlock',
      'StartAppBlockBuilder (AppBlockBuilderRunning)',
      'TagResource',
    ]);
    expect(moved.changes[0].diffs[0]).toMatchObject({ path: 'AppBlocks', impact: 'interrupt' });
    const dropped = await converged(builders({ ...BUILDER, AppBlocks: null }));
    expect(withWaits(dropped)).toEqual(['StopAppBlockBuilder (AppBlockBuilderStopped)', 'DisassociateAppBlockBuilderAppBlock', 'TagResource']);
    expect(await appBlocksOf()).toEqual([]);
    expect((await builder()).State).toBe('STOPPED');
  });
});

describe('waiting', () => {
  test('a builder that cannot launch fails the start\'s wait at once, with its errors, which the next plan reports', async () => {
    const { plan } = await planWith(em, builders({ ...BUILDER, VpcConfig: { SubnetIds: ['subnet-full', 'subnet-b'] } }));
    const started = Date.now();
    const seen = await applyEvents(em, plan);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen.find((e) => e.type === 'call-failed')).toMatchObject({
      error: { message: expect.stringContaining('NETWORK_INTERFACE_LIMIT_EXCEEDED: The subnet has no free IP addresses for the app block builder.') },
    });
    const { plan: next } = await planWith(em, builders({ ...BUILDER, VpcConfig: { SubnetIds: ['subnet-full', 'subnet-b'] } }));
    expect(next.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/^app block builder error NETWORK_INTERFACE_LIMIT_EXCEEDED: The subnet has no free IP addresses for the app block builder\. \(state (STARTING|STOPPED)\)$/),
    ]);
  });
});

describe('ownership, prune and drift', () => {
  test('prune stops a running owned builder, disassociates it, deletes it until gone, before its app block; others are left alone', async () => {
    await em.setState({
      appstream: {
        appBlocks: APP_BLOCKS,
        appBlockBuilders: [
          { Name: 'old', ...LIVE, State: 'RUNNING', Tags: OWNED },
          { Name: 'theirs', ...LIVE, State: 'STOPPED', Tags: { [OWNER_TAG]: 'other' } },
          { Name: 'nobodys', ...LIVE, State: 'STOPPED' },
        ],
        appBlockBuilderAppBlockAssociations: [{ AppBlockBuilderName: 'old', AppBlockArn: ARN('office') }],
      },
    });
    const first = await converged(config({}), true);
    expect(withWaits(first)).toEqual(['StopAppBlockBuilder (AppBlockBuilderStopped)', 'DisassociateAppBlockBuilderAppBlock', 'DeleteAppBlockBuilder (AppBlockBuilderDeleted)']);
    expect(first.changes[0]).toMatchObject({ action: 'delete', interruption: expect.stringMatching(/^stops and deletes app block builder old/) });
    expect((await em.getState()).appstream!.appBlockBuilders!.map((b) => b.Name)).toEqual(['theirs', 'nobodys']);
    // Deleted before the app block it was associated with, when the plan deletes that too.
    const old = { builder: { Name: 'old', State: 'STOPPED', Arn: 'arn', ...LIVE }, appBlocks: [ARN('office')] } as LiveAppBlockBuilder;
    expect(planAppBlockBuilderDeletion(old, at('old')).change.dependsOn).toEqual(['appBlock/office']);
  });

  test('one another project owns is refused; one nobody owns is adopted', async () => {
    await em.setState({ appstream: { appBlocks: APP_BLOCKS, appBlockBuilders: [{ Name: 'abb', ...LIVE, Tags: { [OWNER_TAG]: 'other' } }, { Name: 'free', ...LIVE }] } });
    const { plan } = await planWith(em, builders({ ...BUILDER, State: 'STOPPED' }, { ...BUILDER, Name: 'free', State: 'STOPPED' }));
    expect(plan.diagnostics.map((d) => `${d.address}: ${d.message}`)).toEqual(['appBlockBuilder/abb: owned by project "other" (tag streamform:project); streamform leaves it alone']);
    expect(plan.changes[1]).toMatchObject({ adopt: true });
    expect(plan.calls.filter((c) => c.address === 'appBlockBuilder/free').map((c) => c.operation)).toEqual(['AssociateAppBlockBuilderAppBlock', 'TagResource']);
  });

  test('a change made outside streamform is drift', async () => {
    await applied({ ...BUILDER, DisplayName: 'D' }, 'STOPPED');
    await em.clients.appstream.send(new UpdateAppBlockBuilderCommand({ Name: 'abb', DisplayName: 'changed by hand', InstanceType: 'stream.standard.large' }));
    const { plan } = await planWith(em, builders({ ...BUILDER, DisplayName: 'D', State: 'STOPPED' }));
    expect(plan.changes[0]).toMatchObject({ drift: true, reasonCode: 'drift' });
    expect(plan.calls[0].input).toEqual({ Name: 'abb', DisplayName: 'D', InstanceType: 'stream.standard.small' });
  });
});

describe('import and calls', () => {
  test('import declares what the last apply managed, and planning it right away has nothing to do', async () => {
    const cfg = builders({ ...BUILDER, DisplayName: 'D', State: 'RUNNING', Tags: { team: 'a' } }, { ...BUILDER, Name: 'spare', AppBlocks: undefined, State: 'STOPPED' });
    await converged(cfg);
    await em.setState({ ...(await em.getState()), appstream: { ...(await em.getState()).appstream, appBlockBuilders: [...(await em.getState()).appstream!.appBlockBuilders!, { Name: 'unowned', ...LIVE, DisplayName: 'U' }] } });
    const live = await describeAccount(em.clients, { studios: [] });
    const { config: imported } = buildImport(live, { project: PROJECT, region: 'us-east-1' });
    expect(imported.appBlockBuilders).toEqual([
      Object.fromEntries(Object.entries(cfg.appBlockBuilders![0]).filter(([, v]) => v !== undefined)),
      Object.fromEntries(Object.entries(cfg.appBlockBuilders![1]).filter(([, v]) => v !== undefined)),
      { Name: 'unowned', ...LIVE, DisplayName: 'U', State: 'STOPPED' },
    ]);
    const { plan } = await planWith(em, { ...imported, region: undefined });
    // The account's app blocks are imported too (and adopted): only the builders are this test's.
    expect(plan.calls.map((c) => `${c.operation} ${c.address}`).filter((call) => call.includes('appBlockBuilder/'))).toEqual(['TagResource appBlockBuilder/unowned']);
  });

  test('a plan of 30 builders reads them in pages, tags in bulk, and each builder\'s app block once', async () => {
    const declared = Array.from({ length: 30 }, (_, i) => ({ ...BUILDER, Name: `b${String(i).padStart(2, '0')}`, State: 'STOPPED' as const }));
    await converged(builders(...declared));
    await em.clearCalls();
    await planWith(em, builders(...declared));
    const counts: Record<string, number> = {};
    for (const { operation } of await em.calls()) counts[operation] = (counts[operation] ?? 0) + 1;
    // GetResources: the bulk tags, and one owner-filtered read of what this project owns and no longer declares.
    expect(counts).toMatchObject({ DescribeAppBlockBuilders: 2, GetResources: 2, DescribeAppBlockBuilderAppBlockAssociations: 30 });
    expect(counts.ListTagsForResource).toBeUndefined();
    // Every builder has its app block already: nothing needs the account's app blocks.
    expect(counts.DescribeAppBlocks).toBeUndefined();
  });
});
