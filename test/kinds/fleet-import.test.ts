/**
 * `streamform import` of fleets: it declares each fleet with its non-default values, its State as
 * found and its ImageName; the plan of the imported config adopts them and changes nothing else;
 * after that apply it is clean, and a second import declares the same.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { renderImportYaml } from '../../src/import/yaml.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyAll, planOf, tempDir, writeYaml } from '../drift/support.js';
import { callList } from '../plan/helpers.js';

const VPC = { SubnetIds: ['subnet-b', 'subnet-a'], SecurityGroupIds: ['sg-1'] };
const ACCOUNT: EmulatorState = {
  appstream: {
    images: [{ Name: 'base', Platform: 'WINDOWS_SERVER_2022' }],
    stacks: [{ Name: 'desk' }],
    fleets: [
      {
        Name: 'always',
        State: 'RUNNING',
        FleetType: 'ALWAYS_ON',
        ImageName: 'base',
        InstanceType: 'stream.standard.large',
        VpcConfig: VPC,
        MaxUserDurationInSeconds: 3600,
        DisplayName: 'Always on',
        ComputeCapacityStatus: { Desired: 2 },
        AssociatedStacks: ['desk'],
        Tags: { team: 'design' },
      },
      { Name: 'multi', ImageName: 'base', MaxSessionsPerInstance: 4, ComputeCapacityStatus: { Desired: 2, DesiredUserSessions: 8 }, StreamView: 'DESKTOP' },
      {
        Name: 'kiosk',
        State: 'RUNNING',
        FleetType: 'ELASTIC',
        InstanceType: 'stream.standard.small',
        Platform: 'AMAZON_LINUX2',
        MaxConcurrentSessions: 5,
        VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] },
        UsbDeviceFilterStrings: ['Pad, 056a, *, *, *, *, 0, 0'],
      },
      { Name: 'theirs', ImageName: 'base', Tags: { [OWNER_TAG]: 'other' } },
      { Name: 'imageless', State: 'STOPPED' },
    ],
  },
};

let emulator: TestEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startTestEmulator({ transitionMs: 10, state: ACCOUNT });
  dir = tempDir('fleet-import');
});
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importAccount(file: string) {
  const result = buildImport(await describeAccount(emulator.clients, { studios: [] }), { project: 'shop', region: 'us-east-1' });
  writeYaml(dir, file, renderImportYaml(result, { schema: 'streamform.schema.json', studios: [] }));
  return { result, loaded: await loadConfig([join(dir, file)]) };
}

it('imports fleets as found, plans their adoption only, applies it, and imports the same again', async () => {
  const first = await importAccount('first.yaml');
  expect(first.result.config.fleets).toEqual([
    {
      Name: 'always',
      FleetType: 'ALWAYS_ON',
      ImageName: 'base',
      InstanceType: 'stream.standard.large',
      ComputeCapacity: { DesiredInstances: 2 },
      VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] },
      MaxUserDurationInSeconds: 3600,
      DisplayName: 'Always on',
      State: 'RUNNING',
      Tags: { team: 'design' },
    },
    {
      Name: 'kiosk',
      FleetType: 'ELASTIC',
      InstanceType: 'stream.standard.small',
      VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] },
      Platform: 'AMAZON_LINUX2',
      MaxConcurrentSessions: 5,
      UsbDeviceFilterStrings: ['Pad, 056a, *, *, *, *, 0, 0'],
      State: 'RUNNING',
    },
    {
      Name: 'multi',
      ImageName: 'base',
      InstanceType: 'stream.standard.medium',
      ComputeCapacity: { DesiredSessions: 8 },
      StreamView: 'DESKTOP',
      MaxSessionsPerInstance: 4,
      State: 'STOPPED',
    },
  ]);
  expect(first.result.config.stacks).toEqual([{ Name: 'desk', Fleets: ['always'] }]);
  expect(first.result.notes.filter((n) => !n.declared).map((n) => `${n.address}: ${n.message}`)).toEqual([
    'fleet/imageless: it has no image (ImageName or ImageArn), which a fleet declaration needs',
    'fleet/theirs: owned by the streamform project "other"',
    'image/base: neither shared nor tagged (declare it to manage its sharing or tags, or to check its base image age)',
  ]);

  // Adoption only: each declared resource is tagged as this project's, nothing else changes.
  const adopted = await planOf(first.loaded, emulator.clients, emulator.url);
  expect(adopted.diagnostics).toEqual([]);
  expect(adopted.changes.map((c) => `${c.address} ${c.action}${c.adopt ? ' (adopt)' : ''}, ${c.diffs.length} diffs`)).toEqual([
    'fleet/always update (adopt), 0 diffs',
    'fleet/kiosk update (adopt), 0 diffs',
    'fleet/multi update (adopt), 0 diffs',
    'stack/desk update (adopt), 0 diffs',
  ]);
  expect(callList(adopted)).toEqual(['TagResource fleet/always', 'TagResource fleet/kiosk', 'TagResource fleet/multi', 'TagResource stack/desk']);
  expect((await applyAll(adopted, emulator.url)).failed).toBe(0);
  expect(callList(await planOf(first.loaded, emulator.clients, emulator.url))).toEqual([]);

  // Owned now, the fleets declare what their adoption recorded: the same file, with nothing left to note on them.
  const second = await importAccount('second.yaml');
  expect(second.result.config).toEqual(first.result.config);
  expect(second.result.notes.map((n) => n.address)).toEqual(['fleet/imageless', 'fleet/theirs', 'image/base']);
});
