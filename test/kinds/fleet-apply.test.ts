/**
 * Fleets end to end: describe, plan and apply against the emulator with the real SDK clients. The
 * emulator holds UpdateFleet to its rules by state (ResourceInUseException), so a plan that got the
 * order of stops and starts wrong fails here.
 */
import { DescribeFleetsCommand, UpdateFleetCommand, UpdateStackCommand, type Fleet } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { FleetConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import { apply, applyEvents, callList, config, convergeClean, emulator, mutationsOf, planWith, PROJECT, useAccount } from '../plan/helpers.js';

const IMAGES = [
  { Name: 'base', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2026-01-10T00:00:00Z' },
  { Name: 'base-2', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2026-03-10T00:00:00Z' },
];
const ACCOUNT: EmulatorState = { appstream: { images: IMAGES } };

const DESIGN: FleetConfig = { Name: 'design', FleetType: 'ALWAYS_ON', InstanceType: 'stream.standard.medium', ImageName: 'base', ComputeCapacity: { DesiredInstances: 2 } };

const em = useAccount(ACCOUNT);

const fleet = async (name: string): Promise<Fleet> => (await em.clients.appstream.send(new DescribeFleetsCommand({ Names: [name] }))).Fleets![0];
/** The mutating calls the emulator served since the log was cleared. */
const mutations = () => mutationsOf(em);

const converged = (cfg: ReturnType<typeof config>, prune = false) => convergeClean(em, cfg, prune);
const events = (plan: Plan) => applyEvents(em, plan);

describe('creating', () => {
  test('a fleet without State is created with its tags and started; the next plan has nothing to do', async () => {
    const first = await converged(config({ fleets: [{ ...DESIGN, Tags: { team: 'design' } }] }));
    expect(callList(first)).toEqual(['CreateFleet fleet/design', 'StartFleet fleet/design']);
    expect(await fleet('design')).toMatchObject({ State: 'RUNNING', FleetType: 'ALWAYS_ON', ImageName: 'base', ComputeCapacityStatus: { Desired: 2 } });
    const tags = (await em.getState()).appstream!.fleets!.find((f) => f.Name === 'design')!.Tags!;
    expect(tags).toMatchObject({ team: 'design', [OWNER_TAG]: PROJECT });
  });

  test('State: STOPPED creates it stopped', async () => {
    const first = await converged(config({ fleets: [{ ...DESIGN, State: 'STOPPED' }] }));
    expect(callList(first)).toEqual(['CreateFleet fleet/design']);
    expect((await fleet('design')).State).toBe('STOPPED');
  });

  test('a stack naming a declared fleet is created and associated once the fleet runs', async () => {
    await converged(config({ fleets: [DESIGN], stacks: [{ Name: 'desk', Fleets: ['design'] }] }));
    const order = (await em.calls()).map((c) => c.operation);
    const started = order.indexOf('StartFleet');
    expect(started).toBeGreaterThan(order.indexOf('CreateFleet'));
    // The wait for RUNNING polls DescribeFleets between the start and the stack.
    expect(order.slice(started + 1, order.indexOf('CreateStack'))).toContain('DescribeFleets');
    expect(order.indexOf('AssociateFleet')).toBeGreaterThan(order.indexOf('CreateStack'));
    expect((await em.getState()).appstream!.fleets!.find((f) => f.Name === 'design')!.AssociatedStacks).toEqual(['desk']);
  });

  test('a stack naming a fleet that neither exists nor is declared is an error in the plan at the stack, before anything is applied', async () => {
    await em.setState({ appstream: { ...ACCOUNT.appstream, fleets: [{ Name: 'existing', ImageName: 'base' }] } });
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'desk', Fleets: ['existing', 'typo'] }, { Name: 'other', Fleets: ['existing'] }] }));
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', address: 'stack/desk', message: 'fleet typo does not exist and is not declared' }]);
    expect(callList(plan)).toEqual(['CreateStack stack/other', 'AssociateFleet stack/other']);
  });
});

describe('updating', () => {
  test('a running fleet takes DisplayName, capacity, image and timeouts in place: no stop', async () => {
    await converged(config({ fleets: [DESIGN] }));
    await em.clearCalls();
    const changed: FleetConfig = { ...DESIGN, DisplayName: 'Design', ComputeCapacity: { DesiredInstances: 4 }, ImageName: 'base-2', IdleDisconnectTimeoutInSeconds: 600 };
    const first = await converged(config({ fleets: [changed] }));
    expect(callList(first)).toEqual(['UpdateFleet fleet/design', 'TagResource fleet/design']);
    expect(first.changes[0].interruption).toBeUndefined();
    expect(await mutations()).toEqual(['UpdateFleet', 'TagResource']);
    expect(await fleet('design')).toMatchObject({ State: 'RUNNING', DisplayName: 'Design', ImageName: 'base-2', ComputeCapacityStatus: { Desired: 4 } });
  });

  test('what a running fleet cannot take is applied between a stop and a start, each waited for', async () => {
    await converged(config({ fleets: [DESIGN] }));
    await em.clearCalls();
    const first = await converged(config({ fleets: [{ ...DESIGN, InstanceType: 'stream.standard.large', MaxUserDurationInSeconds: 3600 }] }));
    expect(first.calls.map((c) => `${c.operation}${c.wait ? ` (${c.wait})` : ''}`)).toEqual(['StopFleet (FleetStopped)', 'UpdateFleet', 'StartFleet (FleetStarted)', 'TagResource']);
    expect(first.changes[0].interruption).toBe('stops fleet design: no active sessions now');
    const served = (await em.calls()).map((c) => c.operation);
    // Each state change is polled until it is reached before the next call.
    const at = (op: string) => served.indexOf(op);
    expect(served.slice(at('StopFleet'), at('UpdateFleet'))).toContain('DescribeFleets');
    expect(served.slice(at('StartFleet'), at('TagResource'))).toContain('DescribeFleets');
    expect(await mutations()).toEqual(['StopFleet', 'UpdateFleet', 'StartFleet', 'TagResource']);
    expect(await fleet('design')).toMatchObject({ State: 'RUNNING', InstanceType: 'stream.standard.large', MaxUserDurationInSeconds: 3600 });
  });

  test('State: STOPPED on a running fleet stops it, and removing State leaves an operator\'s stop alone', async () => {
    await converged(config({ fleets: [{ ...DESIGN, State: 'RUNNING' }] }));
    const stopped = await converged(config({ fleets: [{ ...DESIGN, State: 'STOPPED' }] }));
    expect(callList(stopped)).toEqual(['StopFleet fleet/design', 'TagResource fleet/design']);
    expect((await fleet('design')).State).toBe('STOPPED');
    // Without State, a stopped fleet takes even a stop-requiring change and stays stopped.
    const updated = await converged(config({ fleets: [{ ...DESIGN, InstanceType: 'stream.standard.large' }] }));
    expect(callList(updated)).toEqual(['UpdateFleet fleet/design', 'TagResource fleet/design']);
    expect((await fleet('design')).State).toBe('STOPPED');
  });

  test('null clears through AttributesToDelete', async () => {
    const rich: FleetConfig = {
      ...DESIGN,
      State: 'STOPPED',
      VpcConfig: { SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-1'] },
      IamRoleArn: 'arn:aws:iam::123456789012:role/fleet',
      DomainJoinInfo: { DirectoryName: 'corp.example.com' },
      RootVolumeConfig: { VolumeSizeInGb: 300 },
    };
    await converged(config({ fleets: [rich] }));
    const cleared = await converged(config({ fleets: [{ ...rich, VpcConfig: null, IamRoleArn: null, DomainJoinInfo: null, RootVolumeConfig: null }] }));
    expect(cleared.calls[0].input).toEqual({ Name: 'design', AttributesToDelete: ['VPC_CONFIGURATION', 'DOMAIN_JOIN_INFO', 'IAM_ROLE_ARN', 'VOLUME_CONFIGURATION'] });
    const after = await fleet('design');
    for (const member of ['VpcConfig', 'IamRoleArn', 'DomainJoinInfo', 'RootVolumeConfig'] as const) expect(after[member], member).toBeUndefined();
  });

  test('LatestImage takes the newest matching image of the account, and a new one is an update', async () => {
    const latest: FleetConfig = { ...DESIGN, ImageName: undefined, LatestImage: { NamePrefix: 'base' } };
    const created = await converged(config({ fleets: [latest] }));
    expect(created.calls[0].input).toMatchObject({ ImageName: 'base-2' });
    expect(created.changes[0].reason).toBe('ImageName base-2 from LatestImage "base": the newest of 2 matching AVAILABLE images');
    const state = await em.getState();
    await em.setState({ ...state, appstream: { ...state.appstream, images: [...state.appstream!.images!, { Name: 'base-3', CreatedTime: '2026-05-01T00:00:00Z' }, { Name: 'base-4', State: 'PENDING' }] } });
    const { plan } = await planWith(em, config({ fleets: [latest] }));
    expect(callList(plan)).toEqual(['UpdateFleet fleet/design', 'TagResource fleet/design']);
    expect(plan.changes[0]).toMatchObject({ drift: false, diffs: [{ path: 'ImageName', before: 'base-2', after: 'base-3', impact: 'update' }] });
  });

  test('capacity changed behind streamform\'s back is drift, unless IgnoreChanges names it (autoscaling)', async () => {
    await converged(config({ fleets: [DESIGN, { ...DESIGN, Name: 'scaled', IgnoreChanges: ['ComputeCapacity'] }] }));
    for (const Name of ['design', 'scaled']) await em.clients.appstream.send(new UpdateFleetCommand({ Name, ComputeCapacity: { DesiredInstances: 7 } }));
    await em.clients.appstream.send(new UpdateFleetCommand({ Name: 'design', ImageName: 'base-2' }));
    const { plan } = await planWith(em, config({ fleets: [DESIGN, { ...DESIGN, Name: 'scaled', IgnoreChanges: ['ComputeCapacity'] }] }));
    expect(callList(plan)).toEqual(['UpdateFleet fleet/design']);
    expect(plan.changes.find((c) => c.address === 'fleet/design')).toMatchObject({ drift: true, reasonCode: 'drift' });
    expect(plan.calls[0].input).toEqual({ Name: 'design', ImageName: 'base', ComputeCapacity: { DesiredInstances: 2 } });
    expect(plan.changes.find((c) => c.address === 'fleet/scaled')).toMatchObject({ action: 'no-op', diffs: [] });
  });
});

describe('replacing and deleting', () => {
  test('a new FleetType replaces the fleet and associates its stacks again', async () => {
    const cfg = (type: FleetConfig['FleetType']) => config({ fleets: [{ ...DESIGN, FleetType: type }], stacks: [{ Name: 'desk', Fleets: ['design'] }, { Name: 'lab', Fleets: ['design'] }] });
    await converged(cfg('ALWAYS_ON'));
    await em.clearCalls();
    const replaced = await converged(cfg('ON_DEMAND'));
    expect(callList(replaced).filter((c) => c.endsWith('fleet/design'))).toEqual([
      'DisassociateFleet fleet/design',
      'DisassociateFleet fleet/design',
      'StopFleet fleet/design',
      'DeleteFleet fleet/design',
      'CreateFleet fleet/design',
      'StartFleet fleet/design',
      'AssociateFleet fleet/design',
      'AssociateFleet fleet/design',
    ]);
    expect(replaced.changes.find((c) => c.address === 'fleet/design')?.interruption).toBe('replaces fleet design: no active sessions now; its stacks desk, lab cannot stream until it is back');
    expect(await fleet('design')).toMatchObject({ FleetType: 'ON_DEMAND', State: 'RUNNING' });
    expect((await em.getState()).appstream!.fleets!.find((f) => f.Name === 'design')!.AssociatedStacks!.sort()).toEqual(['desk', 'lab']);
  });

  test('prune disassociates the stacks (a pruned stack lets go first), stops the fleet and deletes it', async () => {
    const owned = { [OWNER_TAG]: PROJECT };
    await em.setState({
      appstream: {
        images: IMAGES,
        stacks: [{ Name: 'kept' }, { Name: 'gone', Tags: owned }],
        fleets: [{ Name: 'old', State: 'RUNNING', ImageName: 'base', AssociatedStacks: ['kept', 'gone'], Tags: owned }],
      },
    });
    await em.clearCalls();
    const first = await converged(config({ stacks: [{ Name: 'kept' }] }), true);
    expect(first.calls.filter((c) => c.address !== 'stack/kept').map((c) => `${c.operation} ${c.address}`)).toEqual([
      'DisassociateFleet stack/gone',
      'DeleteStack stack/gone',
      'DisassociateFleet fleet/old',
      'StopFleet fleet/old',
      'DeleteFleet fleet/old',
    ]);
    const served = await mutations();
    expect(served.indexOf('DeleteStack')).toBeLessThan(served.indexOf('StopFleet'));
    expect((await em.getState()).appstream!.fleets).toEqual([]);
  });
});

describe('waiting', () => {
  test('a fleet that reports FleetErrors while it starts fails the wait at once, not after the timeout', async () => {
    const errors = [{ ErrorCode: 'SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES', ErrorMessage: 'No free addresses in subnet-a.' }];
    await em.setState({ appstream: { images: IMAGES, fleets: [{ Name: 'stuck', ImageName: 'base', StuckInStarting: true, FleetErrors: errors, Tags: { [OWNER_TAG]: PROJECT } }] } });
    const { plan } = await planWith(em, config({ fleets: [{ ...DESIGN, Name: 'stuck', FleetType: 'ON_DEMAND', State: 'RUNNING' }] }));
    // The plan already says so (apply would refuse it); the applier, given it anyway, fails fast.
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', message: expect.stringContaining('SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES') }]);
    const started = Date.now();
    const seen = await events(plan);
    expect(Date.now() - started).toBeLessThan(2_000);
    const failed = seen.find((e) => e.type === 'call-failed');
    expect(failed).toMatchObject({ error: { name: 'STARTING', message: 'fleet stuck is STARTING: SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES: No free addresses in subnet-a.' } });
  });
});

test('a stack update and a fleet it names run in their own phases', async () => {
  await converged(config({ fleets: [DESIGN], stacks: [{ Name: 'desk', Fleets: ['design'] }] }));
  await em.clients.appstream.send(new UpdateStackCommand({ Name: 'desk', Description: 'changed' }));
  const { plan } = await planWith(em, config({ fleets: [{ ...DESIGN, DisplayName: 'D' }], stacks: [{ Name: 'desk', Description: 'desk', Fleets: ['design'] }] }));
  expect(plan.calls.map((c) => `${c.phase} ${c.operation} ${c.address}`)).toEqual(['0 UpdateFleet fleet/design', '0 TagResource fleet/design', '1 UpdateStack stack/desk', '1 TagResource stack/desk']);
  await apply(em, plan);
});

test('describe reads every fleet with paged DescribeFleets and their tags in bulk: no call per fleet', async () => {
  const paged = await emulator({ pageSize: 2, state: { appstream: { images: IMAGES, fleets: ['a', 'b', 'c', 'd', 'e'].map((Name) => ({ Name, ImageName: 'base', Tags: { team: 'x' } })) } } });
  try {
    const fleets = ['a', 'b', 'c', 'd', 'e'].map((Name) => ({ ...DESIGN, FleetType: 'ON_DEMAND' as const, Name, InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 1 }, Tags: { team: 'x' } }));
    // Adopted first: what bulk tags would make the plan report is read again one by one.
    await apply(paged, (await planWith(paged, config({ fleets }))).plan);
    await paged.clearCalls();
    expect((await planWith(paged, config({ fleets }))).plan.calls).toEqual([]);
    const counts: Record<string, number> = {};
    for (const { operation } of await paged.calls()) counts[operation] = (counts[operation] ?? 0) + 1;
    // Pages of 2: 5 fleets in 3 pages, their tags in 3 pages of the tagging API.
    // GetResources: the bulk tags, and one owner-filtered read of what this project owns and no longer declares.
    expect(counts).toMatchObject({ DescribeFleets: 3, GetResources: 4 });
    expect(counts.ListTagsForResource).toBeUndefined();
    expect(counts.ListAssociatedStacks).toBeUndefined();
  } finally {
    await paged.close();
  }
});
