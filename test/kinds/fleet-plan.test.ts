/** Fleets, pure: config + in-memory live state → changes, calls, impacts and interruptions. */
import type { Fleet, Image } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { FleetConfig } from '../../src/config/types.js';
import { FLEET_DEFAULTS } from '../../src/kinds/fleet/attributes.js';
import type { LiveFleet } from '../../src/kinds/fleet/live.js';
import type { LiveState } from '../../src/core/live.js';
import { readRecord } from '../../src/core/ownership.js';
import { config, PROJECT } from '../plan/helpers.js';
import { arn, emptyLive, planOf, toolTagsFor } from '../plan/live.js';

const fleets = (...list: FleetConfig[]) => config({ fleets: list });

const DESIGN: FleetConfig = { Name: 'design-fleet', FleetType: 'ALWAYS_ON', InstanceType: 'stream.standard.medium', ImageName: 'base', ComputeCapacity: { DesiredInstances: 3 } };
const KIOSK: FleetConfig = {
  Name: 'kiosk',
  FleetType: 'ELASTIC',
  InstanceType: 'stream.standard.small',
  Platform: 'AMAZON_LINUX2',
  MaxConcurrentSessions: 10,
  VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] },
};

/** A fleet as DescribeFleets shows one made from `declared`: the service's defaults, RUNNING, `inUse` sessions. */
function describedAs(declared: FleetConfig, fields: Partial<Fleet> = {}, inUse = 0): Fleet {
  const { ComputeCapacity, Tags: _, State, IgnoreChanges: __, LatestImage: ___, ...members } = declared;
  const desired = ComputeCapacity?.DesiredInstances ?? (ComputeCapacity?.DesiredSessions ? Math.ceil(ComputeCapacity.DesiredSessions / (declared.MaxSessionsPerInstance ?? 1)) : 0);
  return {
    Arn: arn('fleet', declared.Name),
    FleetType: 'ON_DEMAND',
    ...FLEET_DEFAULTS,
    FleetErrors: [],
    ...(members as Partial<Fleet>),
    ...(declared.ImageName ? { ImageArn: arn('image', declared.ImageName) } : {}),
    State: State ?? 'RUNNING',
    ComputeCapacityStatus: {
      Desired: desired,
      InUse: inUse,
      ...(ComputeCapacity?.DesiredSessions !== undefined ? { DesiredUserSessions: ComputeCapacity.DesiredSessions, ActiveUserSessions: inUse } : {}),
    },
    ...fields,
  } as Fleet;
}

/** A live state with one fleet, owned by this project and last applied from `applied`. */
function ownedBy(applied: FleetConfig, fields: Partial<Fleet> = {}, inUse = 0, extra: Partial<LiveFleet> = {}, images?: Image[]): LiveState {
  const live = emptyLive();
  live.fleetReads = { listed: true, ...(images ? { images } : {}) };
  const tags = { ...(applied.Tags ?? {}), ...toolTagsFor(fleets(applied), `fleet/${applied.Name}`, live) };
  live.fleets[applied.Name] = { fleet: describedAs(applied, fields, inUse), tags, tagSource: 'resource', ...extra };
  return live;
}

const calls = (plan: ReturnType<typeof planOf>) => plan.calls.map((c) => (c.wait ? `${c.operation} (${c.wait})` : c.operation));
const impacts = (plan: ReturnType<typeof planOf>) => Object.fromEntries(plan.changes[0].diffs.map((d) => [d.path, d.impact]));

describe('creating a fleet', () => {
  test('CreateFleet carries every declared value and all tags, then StartFleet waits for RUNNING', () => {
    const plan = planOf(fleets({ ...DESIGN, DisplayName: 'Design', IamRoleArn: null, Tags: { team: 'design' } }), emptyLive());
    expect(calls(plan)).toEqual(['CreateFleet', 'StartFleet (FleetStarted)']);
    const create = plan.calls[0].input;
    expect(create).toMatchObject({ Name: 'design-fleet', FleetType: 'ALWAYS_ON', ImageName: 'base', InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 3 }, DisplayName: 'Design' });
    expect(create).not.toHaveProperty('IamRoleArn');
    expect(create.Tags).toMatchObject({ team: 'design', 'streamform:project': PROJECT });
    expect(readRecord(create.Tags as Record<string, string>)?.a).toEqual(['ComputeCapacity', 'DisplayName', 'FleetType', 'ImageName', 'InstanceType']);
    expect(plan.calls[1].input).toEqual({ Name: 'design-fleet' });
    expect(plan.changes[0]).toMatchObject({ action: 'create', drift: false });
    expect(plan.changes[0].interruption).toBeUndefined();
    // Nothing a new fleet is created with replaces or interrupts anything.
    expect(new Set(Object.values(impacts(plan)))).toEqual(new Set(['update']));
  });

  test('State: STOPPED creates it and leaves it stopped', () => {
    const plan = planOf(fleets({ ...DESIGN, State: 'STOPPED' }), emptyLive());
    expect(calls(plan)).toEqual(['CreateFleet']);
    expect(plan.calls[0].input).not.toHaveProperty('State');
  });
});

describe('a RUNNING fleet', () => {
  test('Always-On: DisplayName, ComputeCapacity, the image and the timeouts change in place, without a stop', () => {
    const changed: FleetConfig = { ...DESIGN, DisplayName: 'New', ComputeCapacity: { DesiredInstances: 5 }, ImageName: 'base-2', DisconnectTimeoutInSeconds: 120, IdleDisconnectTimeoutInSeconds: 600 };
    const plan = planOf(fleets(changed), ownedBy(DESIGN, {}, 2));
    expect(calls(plan)).toEqual(['UpdateFleet', 'TagResource']);
    expect(plan.calls[0].input).toEqual({
      Name: 'design-fleet',
      DisplayName: 'New',
      ComputeCapacity: { DesiredInstances: 5 },
      ImageName: 'base-2',
      DisconnectTimeoutInSeconds: 120,
      IdleDisconnectTimeoutInSeconds: 600,
    });
    expect(new Set(Object.values(impacts(plan)))).toEqual(new Set(['update']));
    expect(plan.changes[0].interruption).toBeUndefined();
  });

  test('Elastic: MaxConcurrentSessions, SessionScriptS3Location and UsbDeviceFilterStrings change in place', () => {
    const changed: FleetConfig = { ...KIOSK, MaxConcurrentSessions: 20, SessionScriptS3Location: { S3Bucket: 'scripts', S3Key: 'k.zip' }, UsbDeviceFilterStrings: ['Pad, 056a, *, *, *, *, 0, 0'] };
    const plan = planOf(fleets(changed), ownedBy(KIOSK));
    expect(calls(plan)).toEqual(['UpdateFleet', 'TagResource']);
    expect(impacts(plan)).toEqual({ MaxConcurrentSessions: 'update', SessionScriptS3Location: 'update', UsbDeviceFilterStrings: 'update' });
  });

  test('the impact of one attribute depends on the fleet type: ComputeCapacity is in place for Always-On, MaxConcurrentSessions for Elastic only', () => {
    const alwaysOn = planOf(fleets({ ...DESIGN, InstanceType: 'stream.standard.large' }), ownedBy(DESIGN));
    expect(impacts(alwaysOn)).toEqual({ InstanceType: 'interrupt' });
    // UsbDeviceFilterStrings needs a stop on an Always-On fleet, not on an Elastic one.
    const usb = ['Pad, 056a, *, *, *, *, 0, 0'];
    expect(impacts(planOf(fleets({ ...DESIGN, UsbDeviceFilterStrings: usb }), ownedBy(DESIGN)))).toEqual({ UsbDeviceFilterStrings: 'interrupt' });
    expect(impacts(planOf(fleets({ ...KIOSK, UsbDeviceFilterStrings: usb }), ownedBy(KIOSK)))).toEqual({ UsbDeviceFilterStrings: 'update' });
  });

  test('what needs STOPPED is done between StopFleet and StartFleet, each waited for, and the change says whose sessions end', () => {
    const changed: FleetConfig = { ...DESIGN, InstanceType: 'stream.standard.large', IamRoleArn: 'arn:aws:iam::123456789012:role/r', DisplayName: 'Also' };
    const plan = planOf(fleets(changed), ownedBy(DESIGN, {}, 3));
    expect(calls(plan)).toEqual(['StopFleet (FleetStopped)', 'UpdateFleet', 'StartFleet (FleetStarted)', 'TagResource']);
    expect(plan.calls[1].input).toEqual({ Name: 'design-fleet', InstanceType: 'stream.standard.large', DisplayName: 'Also', IamRoleArn: 'arn:aws:iam::123456789012:role/r' });
    expect(plan.changes[0].interruption).toBe('stops fleet design-fleet: ends its 3 active sessions');
    expect(impacts(plan)).toEqual({ InstanceType: 'interrupt', DisplayName: 'update', IamRoleArn: 'interrupt' });
  });

  test('a multi-session fleet counts its active user sessions', () => {
    const multi: FleetConfig = { ...DESIGN, FleetType: 'ON_DEMAND', MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredSessions: 8 } };
    const plan = planOf(fleets({ ...multi, MaxSessionsPerInstance: 2 }), ownedBy(multi, {}, 5));
    expect(calls(plan)).toEqual(['StopFleet (FleetStopped)', 'UpdateFleet', 'StartFleet (FleetStarted)', 'TagResource']);
    expect(plan.changes[0].interruption).toBe('stops fleet design-fleet: ends its 5 active sessions');
  });

  test('State: STOPPED stops it after what it takes in place, and that is an interruption', () => {
    const plan = planOf(fleets({ ...DESIGN, DisplayName: 'Closed', State: 'STOPPED' }), ownedBy(DESIGN, {}, 1));
    expect(calls(plan)).toEqual(['UpdateFleet', 'StopFleet (FleetStopped)', 'TagResource']);
    expect(plan.changes[0].interruption).toBe('stops fleet design-fleet: ends its 1 active session');
    expect(impacts(plan)).toMatchObject({ State: 'interrupt', DisplayName: 'update' });
  });
});

describe('a STOPPED fleet', () => {
  test('takes every change without a stop, and without State stays stopped (an operator\'s stop is not undone)', () => {
    const plan = planOf(fleets({ ...DESIGN, InstanceType: 'stream.standard.large' }), ownedBy(DESIGN, { State: 'STOPPED' }));
    expect(calls(plan)).toEqual(['UpdateFleet', 'TagResource']);
    expect(impacts(plan)).toEqual({ InstanceType: 'update' });
    expect(plan.changes[0].interruption).toBeUndefined();
  });

  test('a fleet stopped by hand is drift only when State is declared: then it is started again', () => {
    expect(planOf(fleets(DESIGN), ownedBy(DESIGN, { State: 'STOPPED' })).calls).toEqual([]);
    const running: FleetConfig = { ...DESIGN, State: 'RUNNING' };
    const plan = planOf(fleets(running), ownedBy(running, { State: 'STOPPED' }));
    expect(calls(plan)).toEqual(['StartFleet (FleetStarted)']);
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: true, diffs: [{ path: 'State', before: 'STOPPED', after: 'RUNNING', impact: 'update' }] });
  });
});

describe('a fleet on its way', () => {
  test('a STARTING fleet is waited for before it is changed (a wait-only DescribeFleets step)', () => {
    const plan = planOf(fleets({ ...DESIGN, InstanceType: 'stream.standard.large' }), ownedBy(DESIGN, { State: 'STARTING' }));
    expect(calls(plan)).toEqual(['DescribeFleets (FleetStarted)', 'StopFleet (FleetStopped)', 'UpdateFleet', 'StartFleet (FleetStarted)', 'TagResource']);
    expect(plan.calls[0].input).toEqual({ Names: ['design-fleet'] });
  });

  test('a STOPPING fleet is waited for until STOPPED, then changed', () => {
    const plan = planOf(fleets({ ...DESIGN, InstanceType: 'stream.standard.large' }), ownedBy(DESIGN, { State: 'STOPPING' }));
    expect(calls(plan)).toEqual(['DescribeFleets (FleetStopped)', 'UpdateFleet', 'TagResource']);
    expect(plan.changes[0].interruption).toBeUndefined();
  });

  test('with nothing to change, nothing is waited for', () => {
    expect(planOf(fleets(DESIGN), ownedBy(DESIGN, { State: 'STARTING' })).calls).toEqual([]);
  });
});

describe('clearing', () => {
  const rich: FleetConfig = { ...DESIGN, VpcConfig: { SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-1'] }, IamRoleArn: 'arn:aws:iam::123456789012:role/r', RootVolumeConfig: { VolumeSizeInGb: 300 } };

  test('null clears through AttributesToDelete, never sending the attribute too', () => {
    const plan = planOf(fleets({ ...rich, VpcConfig: null, IamRoleArn: null, RootVolumeConfig: null }), ownedBy(rich, { State: 'STOPPED' }));
    expect(plan.calls[0]).toMatchObject({ operation: 'UpdateFleet', input: { Name: 'design-fleet', AttributesToDelete: ['VPC_CONFIGURATION', 'IAM_ROLE_ARN', 'VOLUME_CONFIGURATION'] } });
    expect(Object.keys(plan.calls[0].input).sort()).toEqual(['AttributesToDelete', 'Name']);
    expect(plan.changes[0].diffs.map((d) => [d.path, d.after])).toEqual([
      ['VpcConfig', null],
      ['IamRoleArn', null],
      ['RootVolumeConfig', null],
    ]);
  });

  test('removing what the last apply managed clears it: deleted, or set back to its default', () => {
    const { IamRoleArn: _, ...withoutRole } = rich;
    const plan = planOf(fleets({ ...withoutRole, MaxUserDurationInSeconds: undefined }), ownedBy({ ...rich, MaxUserDurationInSeconds: 3600 }, { State: 'STOPPED', MaxUserDurationInSeconds: 3600 }));
    expect(plan.calls[0].input).toEqual({ Name: 'design-fleet', MaxUserDurationInSeconds: 57_600, AttributesToDelete: ['IAM_ROLE_ARN'] });
  });

  test('security groups no longer declared are deleted by name, the subnets sent', () => {
    const plan = planOf(fleets({ ...rich, VpcConfig: { SubnetIds: ['subnet-a'] } }), ownedBy(rich, { State: 'STOPPED' }));
    expect(plan.calls[0].input).toEqual({ Name: 'design-fleet', VpcConfig: { SubnetIds: ['subnet-a'] }, AttributesToDelete: ['VPC_CONFIGURATION_SECURITY_GROUP_IDS'] });
  });
});

describe('LatestImage', () => {
  const image = (Name: string, day: number, State: Image['State'] = 'AVAILABLE'): Image => ({ Name, State, CreatedTime: new Date(`2026-05-${String(day).padStart(2, '0')}T00:00:00Z`) });
  const IMAGES = [image('design-base-a', 3), image('design-base-c', 20), image('design-base-b', 12), image('design-base-d', 25, 'PENDING'), image('other', 30)];
  const latest: FleetConfig = { Name: 'design-fleet', InstanceType: 'stream.standard.medium', LatestImage: { NamePrefix: 'design-base-' }, ComputeCapacity: { DesiredInstances: 1 } };
  const withImages = (images: Image[]) => {
    const live = emptyLive();
    live.fleetReads = { listed: true, images };
    return live;
  };

  test('chooses the newest AVAILABLE image whose name has the prefix, and says why', () => {
    const plan = planOf(fleets(latest), withImages(IMAGES));
    expect(plan.calls[0].input).toMatchObject({ ImageName: 'design-base-c' });
    expect(plan.calls[0].input).not.toHaveProperty('LatestImage');
    expect(plan.changes[0].reason).toBe('ImageName design-base-c from LatestImage "design-base-": the newest of 3 matching AVAILABLE images');
  });

  test('a newer pipeline image is a reviewable in-place change from the config, not drift', () => {
    const live = ownedBy(latest, { ImageName: 'design-base-c', ImageArn: arn('image', 'design-base-c') }, 0, {}, IMAGES);
    expect(planOf(fleets(latest), live).calls).toEqual([]);
    live.fleetReads!.images = [...IMAGES, image('design-base-e', 28)];
    const plan = planOf(fleets(latest), live);
    expect(calls(plan)).toEqual(['UpdateFleet', 'TagResource']);
    expect(plan.calls[0].input).toEqual({ Name: 'design-fleet', ImageName: 'design-base-e' });
    expect(plan.changes[0]).toMatchObject({ drift: false, reason: expect.stringContaining('the newest of 4 matching'), diffs: [{ path: 'ImageName', before: 'design-base-c', after: 'design-base-e', impact: 'update' }] });
  });

  test('no matching image is an error at the fleet, with no call', () => {
    const plan = planOf(fleets(latest), withImages([image('other', 1)]));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toEqual([
      { severity: 'error', address: 'fleet/design-fleet', message: 'LatestImage: no AVAILABLE image of the account has a name starting with "design-base-"', source: { file: 'streamform.yaml', line: 1, column: 1 } },
    ]);
  });
});

describe('IgnoreChanges', () => {
  const scaled: FleetConfig = { ...DESIGN, IgnoreChanges: ['ComputeCapacity'] };

  test('an ignored attribute is sent on create', () => {
    expect(planOf(fleets(scaled), emptyLive()).calls[0].input).toMatchObject({ ComputeCapacity: { DesiredInstances: 3 } });
  });

  test('and never compared afterwards: a capacity changed behind streamform\'s back plans nothing, an ignored value edited in the config neither', () => {
    const live = ownedBy(scaled, { ComputeCapacityStatus: { Desired: 9, InUse: 4 } });
    expect(planOf(fleets(scaled), live).changes[0]).toMatchObject({ action: 'no-op', diffs: [] });
    expect(planOf(fleets({ ...scaled, ComputeCapacity: { DesiredInstances: 6 } }), live).calls).toEqual([]);
    // Without IgnoreChanges the same capacity is drift, and the next apply would undo the scaling.
    const plain = planOf(fleets(DESIGN), ownedBy(DESIGN, { ComputeCapacityStatus: { Desired: 9, InUse: 4 } }));
    expect(plain.changes[0]).toMatchObject({ drift: true, diffs: [{ path: 'ComputeCapacity', before: { DesiredInstances: 9 }, after: { DesiredInstances: 3 } }] });
  });
});

describe('health', () => {
  test('FleetErrors are errors at the fleet\'s line even when nothing changes', () => {
    const plan = planOf(fleets(DESIGN), ownedBy(DESIGN, { State: 'STARTING', FleetErrors: [{ ErrorCode: 'SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES', ErrorMessage: 'subnet-a is full' }] }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toEqual([
      {
        severity: 'error',
        address: 'fleet/design-fleet',
        message: 'fleet error SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES: subnet-a is full (state STARTING)',
        source: { file: 'streamform.yaml', line: 1, column: 1 },
      },
    ]);
  });
});

describe('replacing and pruning', () => {
  test('a new FleetType replaces the fleet: stacks disassociated, stop, delete, create, start, stacks associated again; an interruption', () => {
    const plan = planOf(fleets({ ...DESIGN, FleetType: 'ON_DEMAND' }), ownedBy(DESIGN, {}, 2, { stacks: ['design', 'review'] }));
    expect(plan.calls.map((c) => `${c.operation}${c.wait ? ` (${c.wait})` : ''} ${JSON.stringify(c.input.StackName ?? '')}`)).toEqual([
      'DisassociateFleet "design"',
      'DisassociateFleet "review"',
      'StopFleet (FleetStopped) ""',
      'DeleteFleet ""',
      'CreateFleet ""',
      'StartFleet (FleetStarted) ""',
      'AssociateFleet "design"',
      'AssociateFleet "review"',
    ]);
    expect(plan.calls[4].input).toMatchObject({ FleetType: 'ON_DEMAND', ImageName: 'base' });
    expect(plan.changes[0]).toMatchObject({
      action: 'replace',
      reasonCode: 'replace_because_immutable',
      interruption: 'replaces fleet design-fleet: ends its 2 active sessions; its stacks design, review cannot stream until it is back',
    });
    expect(plan.changes[0].diffs[0]).toEqual({ path: 'FleetType', before: 'ALWAYS_ON', after: 'ON_DEMAND', impact: 'replace' });
  });

  test('a fleet this project does not own is never replaced', () => {
    const live = ownedBy(DESIGN);
    live.fleets['design-fleet'].tags = {};
    const plan = planOf(fleets({ ...DESIGN, FleetType: 'ON_DEMAND' }), live);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0].message).toMatch(/not owned by this project; replacing it .* would delete it/);
  });

  test('prune: the stacks that stay are disassociated, the fleet stopped (waited for) and deleted, which interrupts its users', () => {
    const live = ownedBy(DESIGN, {}, 1, { stacks: ['kept', 'gone'] });
    live.stacks.kept = { stack: { Name: 'kept', Arn: arn('stack', 'kept') }, tags: {} };
    live.stacks.gone = { stack: { Name: 'gone', Arn: arn('stack', 'gone') }, tags: { 'streamform:project': PROJECT }, fleets: ['design-fleet'] };
    const plan = planOf(config({ stacks: [{ Name: 'kept' }] }), live, { prune: true });
    // The pruned stack lets go of the fleet itself, in the phase before the fleet's deletion.
    const pruning = plan.calls.filter((c) => c.address !== 'stack/kept');
    expect(pruning.map((c) => `${c.phase} ${c.operation} ${c.address}`)).toEqual([
      '1 DisassociateFleet stack/gone',
      '1 DeleteStack stack/gone',
      '2 DisassociateFleet fleet/design-fleet',
      '2 StopFleet fleet/design-fleet',
      '2 DeleteFleet fleet/design-fleet',
    ]);
    expect(pruning[2].input).toEqual({ FleetName: 'design-fleet', StackName: 'kept' });
    expect(plan.changes.find((c) => c.address === 'fleet/design-fleet')).toMatchObject({ action: 'delete', interruption: 'stops and deletes fleet design-fleet: ends its 1 active session' });
  });

  test('prune refuses to delete a fleet a declared stack still names', () => {
    const live = ownedBy(DESIGN);
    const plan = planOf(config({ stacks: [{ Name: 'design', Fleets: ['design-fleet'] }] }), live, { prune: true });
    expect(plan.calls.filter((c) => c.address === 'fleet/design-fleet')).toEqual([]);
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', address: 'fleet/design-fleet', message: expect.stringContaining('stack design still names it in Fleets') }]);
  });
});

describe('stacks and fleets', () => {
  test('a stack naming a fleet that is neither declared nor listed is an error at the stack, with no call', () => {
    const live = emptyLive();
    live.fleetReads = { listed: true };
    live.fleets.existing = { fleet: describedAs({ ...DESIGN, Name: 'existing' }) };
    const plan = planOf(config({ stacks: [{ Name: 'design', Fleets: ['existing', 'declared', 'missing'] }], fleets: [{ ...DESIGN, Name: 'declared' }] }), live);
    expect(plan.calls.filter((c) => c.address === 'stack/design')).toEqual([]);
    expect(plan.diagnostics).toEqual([{ severity: 'error', address: 'stack/design', message: 'fleet missing does not exist and is not declared', source: { file: 'streamform.yaml', line: 1, column: 1 } }]);
  });

  test('a stack naming a declared fleet comes after it: the fleet is created and started first', () => {
    const live = emptyLive();
    live.fleetReads = { listed: true };
    const plan = planOf(config({ stacks: [{ Name: 'design', Fleets: ['design-fleet'] }], fleets: [DESIGN] }), live);
    expect(plan.calls.map((c) => `${c.phase} ${c.operation} ${c.address}`)).toEqual([
      '0 CreateFleet fleet/design-fleet',
      '0 StartFleet fleet/design-fleet',
      '1 CreateStack stack/design',
      '1 AssociateFleet stack/design',
    ]);
    expect(plan.changes.find((c) => c.address === 'stack/design')?.dependsOn).toEqual(['fleet/design-fleet']);
  });
});
