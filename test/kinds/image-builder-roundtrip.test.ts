/**
 * The apply-then-empty-plan property with image builders among the other kinds: random configs of
 * stacks, fleets, images and image builders are applied one after another to one emulator (so
 * creates, tag updates, starts and stops, replaces and prunes all happen), and each is followed
 * by a plan that must have nothing to do.
 */
import fc from 'fast-check';
import { test } from 'vitest';
import type { Config, FleetConfig, ImageBuilderConfig, ImageConfig, StackConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { config, convergesInTurn } from '../plan/helpers.js';

/** Declared, cleared (null) or left out. */
const threeWay = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const word = fc.constantFrom('alpha', 'beta');
const tags = fc.dictionary(fc.constantFrom('team', 'cost'), word, { maxKeys: 2 });
const state = maybe(fc.constantFrom('RUNNING' as const, 'STOPPED' as const));

const builder = (Name: string): fc.Arbitrary<ImageBuilderConfig> =>
  fc
    .record(
      {
        Name: fc.constant(Name),
        image: fc.constantFrom<Partial<ImageBuilderConfig>>({ ImageName: 'base' }, { ImageName: 'base-2' }, { LatestImage: { NamePrefix: 'base' } }, { ImageArn: 'arn:aws:appstream:us-east-1:210987654321:image/partner' }),
        InstanceType: fc.constantFrom('stream.standard.medium', 'stream.standard.large'),
        Description: threeWay(word),
        DisplayName: threeWay(word),
        VpcConfig: threeWay(fc.record({ SubnetIds: fc.constantFrom<string[]>(['subnet-1'], ['subnet-2']), SecurityGroupIds: fc.constantFrom<string[]>(['sg-1'], ['sg-1', 'sg-2']) })),
        IamRoleArn: threeWay(fc.constant('arn:aws:iam::123456789012:role/builder')),
        EnableDefaultInternetAccess: maybe(fc.boolean()),
        AccessEndpoints: threeWay(fc.constant<NonNullable<ImageBuilderConfig['AccessEndpoints']>>([{ EndpointType: 'STREAMING', VpceId: 'vpce-1' }])),
        RootVolumeConfig: maybe(fc.constantFrom({ VolumeSizeInGb: 200 }, { VolumeSizeInGb: 300 })),
        SoftwaresToInstall: threeWay(fc.constantFrom<string[]>(['Microsoft_Office_2021_LTSC_Professional_Plus_64Bit'], ['Microsoft_Visio_2021_LTSC_Professional_64Bit'])),
        State: state,
        Tags: threeWay(tags),
      },
      { requiredKeys: ['Name', 'image', 'InstanceType'] },
    )
    .map(({ image, ...rest }) => ({ ...rest, ...image }));

const fleet = (Name: string): fc.Arbitrary<FleetConfig> =>
  fc.record(
    { Name: fc.constant(Name), ImageName: fc.constant('base'), InstanceType: fc.constant('stream.standard.medium'), ComputeCapacity: fc.constant({ DesiredInstances: 1 }), State: state, Tags: threeWay(tags) },
    { requiredKeys: ['Name', 'ImageName', 'InstanceType', 'ComputeCapacity'] },
  );

const stack = (Name: string): fc.Arbitrary<StackConfig> =>
  fc.record({ Name: fc.constant(Name), Description: threeWay(word), Fleets: threeWay(fc.constant(['pool'])), Tags: threeWay(tags) }, { requiredKeys: ['Name'] });

const image = (Name: string): fc.Arbitrary<ImageConfig> =>
  fc.record({ Name: fc.constant(Name), SharedWith: threeWay(fc.constant([{ AccountId: '111111111111', AllowFleet: true, AllowImageBuilder: true }])), Tags: threeWay(tags) }, { requiredKeys: ['Name'] });

const some = <T>(names: string[], of: (name: string) => fc.Arbitrary<T>) => fc.subarray(names).chain((chosen) => fc.tuple(...chosen.map(of)));

const configs: fc.Arbitrary<Config> = fc
  .record({
    imageBuilders: some(['build-a', 'build-b'], builder),
    fleets: some(['pool'], fleet),
    stacks: some(['desk'], stack),
    images: some(['base'], image),
  })
  // A stack names the fleet only where the config declares it.
  .map((parts) => config({ ...parts, stacks: parts.stacks.map((s) => (parts.fleets.length ? s : { ...s, Fleets: undefined })) }));

const SEED: EmulatorState = {
  appstream: {
    images: [
      { Name: 'base', CreatedTime: '2026-01-01T00:00:00Z' },
      { Name: 'base-2', CreatedTime: '2026-02-01T00:00:00Z' },
      { Name: 'partner', Visibility: 'SHARED', Arn: 'arn:aws:appstream:us-east-1:210987654321:image/partner' },
    ],
  },
};

test('after applying any plan of builders and the other kinds, the next plan has nothing to do', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(configs, { minLength: 2, maxLength: 3 }), fc.boolean(), (sequence, prune) => convergesInTurn(SEED, sequence, prune)),
    { numRuns: 12, seed: 2026 },
  );
}, 120_000);
