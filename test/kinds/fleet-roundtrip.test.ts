/**
 * The property the product rests on, for fleets: after any plan of Always-On, On-Demand,
 * multi-session and Elastic fleets (and a stack using them) is applied, the next plan has nothing to
 * do. Configs are applied one after another to one emulator, so creates, in-place and stop-requiring
 * updates, clears, FleetType replaces, state changes and prunes all happen, each against the
 * emulator's UpdateFleet rules by state.
 */
import fc from 'fast-check';
import { test } from 'vitest';
import type { Config, FleetConfig, StackConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { config, convergesInTurn } from '../plan/helpers.js';

/** Declared, cleared (null) or left out. */
const threeWay = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const word = fc.constantFrom('alpha', 'beta');
const state = maybe(fc.constantFrom('RUNNING' as const, 'STOPPED' as const));
const image = fc.oneof(fc.record({ ImageName: fc.constantFrom('base-1', 'base-2') }), fc.constant({ LatestImage: { NamePrefix: 'base-' } }));
const timeouts = {
  DisconnectTimeoutInSeconds: maybe(fc.constantFrom(60, 900, 1800)),
  IdleDisconnectTimeoutInSeconds: maybe(fc.constantFrom(0, 600)),
  MaxUserDurationInSeconds: maybe(fc.constantFrom(3600, 57_600)),
};
const common = {
  DisplayName: threeWay(word),
  Description: threeWay(word),
  IamRoleArn: threeWay(fc.constant('arn:aws:iam::123456789012:role/fleet')),
  Tags: maybe(fc.dictionary(fc.constantFrom('team', 'cost'), word, { maxKeys: 2 })),
  State: state,
  ...timeouts,
};

const withImage = (declared: fc.Arbitrary<FleetConfig>) => fc.tuple(declared, image).map(([fleet, chosen]) => ({ ...fleet, ...chosen }));

/** Always-On or On-Demand (a change between them replaces the fleet). */
const instances: fc.Arbitrary<FleetConfig> = withImage(
  fc.record(
    {
      Name: fc.constant('desktops'),
      FleetType: fc.constantFrom('ALWAYS_ON' as const, 'ON_DEMAND' as const),
      InstanceType: fc.constantFrom('stream.standard.medium', 'stream.standard.large'),
      ComputeCapacity: fc.record({ DesiredInstances: fc.integer({ min: 1, max: 3 }) }),
      VpcConfig: threeWay(fc.record({ SubnetIds: fc.constant(['subnet-a']), SecurityGroupIds: maybe(fc.constant(['sg-1'])) }, { requiredKeys: ['SubnetIds'] })),
      DomainJoinInfo: threeWay(fc.constant({ DirectoryName: 'corp.example.com' })),
      RootVolumeConfig: threeWay(fc.record({ VolumeSizeInGb: fc.constantFrom(200, 300) })),
      StreamView: maybe(fc.constantFrom('APP' as const, 'DESKTOP' as const)),
      IgnoreChanges: maybe(fc.constant(['ComputeCapacity' as const])),
      ...common,
    },
    { requiredKeys: ['Name', 'FleetType', 'InstanceType', 'ComputeCapacity'] },
  ),
);

const multiSession: fc.Arbitrary<FleetConfig> = withImage(
  fc.record(
    {
      Name: fc.constant('shared'),
      InstanceType: fc.constant('stream.standard.xlarge'),
      MaxSessionsPerInstance: fc.constantFrom(2, 4),
      ComputeCapacity: fc.record({ DesiredSessions: fc.integer({ min: 2, max: 8 }) }),
      UsbDeviceFilterStrings: threeWay(fc.constant(['Pad, 056a, *, *, *, *, 0, 0'])),
      ...common,
    },
    { requiredKeys: ['Name', 'InstanceType', 'MaxSessionsPerInstance', 'ComputeCapacity'] },
  ),
);

const elastic: fc.Arbitrary<FleetConfig> = fc.record(
  {
    Name: fc.constant('kiosk'),
    FleetType: fc.constant('ELASTIC' as const),
    InstanceType: fc.constantFrom('stream.standard.small', 'stream.standard.medium'),
    Platform: fc.constantFrom('AMAZON_LINUX2' as const, 'UBUNTU_PRO_2404' as const),
    MaxConcurrentSessions: fc.integer({ min: 1, max: 5 }),
    VpcConfig: fc.record({ SubnetIds: fc.constant(['subnet-a', 'subnet-b']), SecurityGroupIds: maybe(fc.constant(['sg-1'])) }, { requiredKeys: ['SubnetIds'] }),
    SessionScriptS3Location: threeWay(fc.constant({ S3Bucket: 'scripts', S3Key: 'kiosk.zip' })),
    UsbDeviceFilterStrings: threeWay(fc.constant(['Pad, 056a, *, *, *, *, 0, 0'])),
    ...common,
  },
  { requiredKeys: ['Name', 'FleetType', 'InstanceType', 'Platform', 'MaxConcurrentSessions', 'VpcConfig'] },
);

const configs: fc.Arbitrary<Config> = fc
  .tuple(maybe(instances), maybe(multiSession), maybe(elastic), fc.boolean())
  .chain(([a, b, c, withStack]) => {
    const fleets = [a, b, c].filter((fleet): fleet is FleetConfig => fleet !== undefined);
    const names = fleets.map((fleet) => fleet.Name);
    // A stack names only fleets the config declares (or none).
    const stacks: fc.Arbitrary<StackConfig[]> = withStack ? fc.subarray(names).map((Fleets) => [{ Name: 'desk', Fleets }]) : fc.constant([]);
    return stacks.map((list) => config({ fleets, stacks: list }));
  });

const SEED: EmulatorState = {
  appstream: {
    images: [
      { Name: 'base-1', CreatedTime: '2026-01-01T00:00:00Z' },
      { Name: 'base-2', CreatedTime: '2026-02-01T00:00:00Z' },
    ],
  },
};

test('after applying any plan of fleets and a stack using them, the next plan has nothing to do', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(configs, { minLength: 2, maxLength: 4 }), fc.boolean(), (sequence, prune) => convergesInTurn(SEED, sequence, prune)),
    { numRuns: 12, seed: 2718 },
  );
  // Twelve runs of fleets starting and stopping: seconds alone, more on a busy machine.
}, 120_000);
