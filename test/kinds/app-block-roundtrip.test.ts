/**
 * The apply-then-empty-plan property with app blocks: random configs of blocks (declared, cleared
 * or left-out members, both packaging types, tags) are applied one after another to one emulator,
 * so creates, tag updates, replaces and prunes all happen, and each is followed by a plan that
 * must have nothing to do.
 */
import fc from 'fast-check';
import { test } from 'vitest';
import type { AppBlockConfig, Config } from '../../src/config/types.js';
import { config, convergesInTurn } from '../plan/helpers.js';

const threeWay = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const word = fc.constantFrom('alpha', 'beta');
const script = (key: string) => fc.constantFrom(30, 60).map((TimeoutInSeconds) => ({ ScriptS3Location: { S3Bucket: 'blocks', S3Key: key }, ExecutablePath: 'powershell.exe', TimeoutInSeconds }));

const block = (Name: string): fc.Arbitrary<AppBlockConfig> =>
  fc
    .record(
      {
        Name: fc.constant(Name),
        packaging: fc.oneof(
          fc.record({ SourceS3Location: fc.constantFrom({ S3Bucket: 'blocks', S3Key: `${Name}.vhdx` }, { S3Bucket: 'blocks', S3Key: `${Name}-2.vhdx` }), SetupScriptDetails: script('setup.ps1') }, { requiredKeys: ['SourceS3Location', 'SetupScriptDetails'] }).map(
            (custom) => ({ ...custom, PackagingType: undefined as AppBlockConfig['PackagingType'] }),
          ),
          fc.record({ PackagingType: fc.constant('APPSTREAM2' as const), SourceS3Location: fc.constant({ S3Bucket: 'blocks' }), PostSetupScriptDetails: threeWay(script('post.ps1')) }, { requiredKeys: ['PackagingType', 'SourceS3Location'] }),
        ),
        Description: threeWay(word),
        DisplayName: threeWay(word),
        Tags: threeWay(fc.dictionary(fc.constantFrom('team', 'cost'), word, { maxKeys: 2 })),
      },
      { requiredKeys: ['Name', 'packaging'] },
    )
    .map(({ packaging, ...rest }) => ({ ...rest, ...packaging }));

const configs: fc.Arbitrary<Config> = fc
  .subarray(['tools', 'media'])
  .chain((names) => fc.tuple(...names.map(block)))
  .map((appBlocks) => config({ appBlocks }));

test('after applying any plan of app blocks, the next plan has nothing to do', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(configs, { minLength: 2, maxLength: 3 }), fc.boolean(), (sequence, prune) => convergesInTurn(undefined, sequence, prune)),
    { numRuns: 12, seed: 2026 },
  );
}, 60_000);
