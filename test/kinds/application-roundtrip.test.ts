/**
 * The apply-then-empty-plan property for applications: random configs (members declared, cleared
 * or left out, the app block by name or ARN, platforms that replace, fleets added and removed) are
 * applied one after another to one emulator, each followed by a plan that must have nothing to do.
 */
import fc from 'fast-check';
import { test } from 'vitest';
import type { ApplicationConfig, Config } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { config, convergesInTurn } from '../plan/helpers.js';

/** Declared, cleared (null) or left out. */
const threeWay = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const word = fc.constantFrom('alpha', 'beta');
const tags = fc.dictionary(fc.constantFrom('team', 'cost'), word, { maxKeys: 2 });
const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 };
const block = (Name: string) => ({ Name, SourceS3Location: { S3Bucket: 'blocks', S3Key: `${Name}.vhdx` }, SetupScriptDetails: SCRIPT });
const ELASTIC = { FleetType: 'ELASTIC', InstanceType: 'stream.standard.medium', MaxConcurrentSessions: 5, VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] }, Platform: 'WINDOWS_SERVER_2019' };

const application = (Name: string): fc.Arbitrary<ApplicationConfig> =>
  fc
    .record(
      {
        Name: fc.constant(Name),
        block: fc.constantFrom<Partial<ApplicationConfig>>({ AppBlock: 'office' }, { AppBlock: 'tools' }, { AppBlockArn: 'arn:aws:appstream:us-east-1:123456789012:app-block/tools' }),
        IconS3Location: fc.constantFrom({ S3Bucket: 'icons' }, { S3Bucket: 'icons', S3Key: `${Name}.png` }),
        LaunchPath: fc.constantFrom('C:\\a.exe', 'C:\\b.exe'),
        DisplayName: threeWay(word),
        Description: threeWay(word),
        WorkingDirectory: threeWay(fc.constantFrom('C:\\docs', 'C:\\temp')),
        LaunchParameters: threeWay(fc.constantFrom('/q', '/safe')),
        Platforms: fc.constantFrom<ApplicationConfig['Platforms']>(['WINDOWS_SERVER_2019'], ['WINDOWS_SERVER_2019', 'AMAZON_LINUX2']),
        InstanceFamilies: fc.constantFrom<ApplicationConfig['InstanceFamilies']>(['GENERAL_PURPOSE'], ['GENERAL_PURPOSE', 'GRAPHICS_G4']),
        Fleets: threeWay(fc.subarray(['win', 'win2'])),
        Tags: threeWay(tags),
      },
      { requiredKeys: ['Name', 'block', 'IconS3Location', 'LaunchPath', 'Platforms', 'InstanceFamilies'] },
    )
    .map(({ block: chosen, ...rest }) => ({ ...rest, ...chosen }));

const configs: fc.Arbitrary<Config> = fc
  .subarray(['paint', 'word'])
  .chain((names) => fc.tuple(...names.map(application)))
  .map((applications) => config({ applications }));

const SEED: EmulatorState = {
  appstream: {
    appBlocks: [block('office'), block('tools')],
    fleets: [
      { Name: 'win', ...ELASTIC },
      { Name: 'win2', ...ELASTIC },
    ],
  },
};

test('after applying any plan of applications, the next plan has nothing to do', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(configs, { minLength: 2, maxLength: 3 }), fc.boolean(), (sequence, prune) => convergesInTurn(SEED, sequence, prune, { noDiagnostics: true })),
    { numRuns: 12, seed: 2026 },
  );
}, 120_000);
