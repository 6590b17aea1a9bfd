/**
 * `streamform plan` and `streamform apply` on app block builders, the built CLI against the
 * emulator: a change a RUNNING builder cannot take in place is shown as an interruption and
 * applied (stop → update → start) only with --allow-interruption.
 */
import { expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace } from '../apply/cli.js';

const VPC = { SubnetIds: ['subnet-a', 'subnet-b'] };
const ACCOUNT: EmulatorState = {
  appstream: {
    appBlocks: [{ Name: 'office', PackagingType: 'APPSTREAM2', SourceS3Location: { S3Bucket: 'apps' } }],
    appBlockBuilders: [{ Name: 'packager', Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.small', VpcConfig: VPC, State: 'RUNNING', Tags: { [OWNER_TAG]: 'shop' } }],
    appBlockBuilderAppBlockAssociations: [{ AppBlockBuilderName: 'packager', AppBlockArn: 'arn:aws:appstream:us-east-1:123456789012:app-block/office' }],
  },
};

const CONFIG = `version: 1
project: shop
appBlockBuilders:
  - Name: packager
    Platform: WINDOWS_SERVER_2019
    InstanceType: stream.standard.large
    VpcConfig: { SubnetIds: [subnet-a, subnet-b] }
    AppBlocks: [office]
`;

let work: string;
let emulator: TestEmulator;
useCliWorkspace({ 'builders.yaml': CONFIG }, ACCOUNT, (w, e) => ((work = w), (emulator = e)));

const mutations = async () => (await emulator.calls()).map((c) => c.operation).filter((op) => /^(Create|Update|Delete|Start|Stop|Associate|Disassociate|Tag|Untag)/.test(op));

it('plan says whom the stop interrupts, beside the attribute that needs it, and orders stop, update, start', async () => {
  const result = await streamform(['plan', '-f', 'builders.yaml', '--endpoint', emulator.url], work);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('# interrupts users: stops app block builder packager: whoever works in it is disconnected, and what is not saved in an app block is lost');
  expect(result.stdout).toMatch(/~ InstanceType: "stream\.standard\.small" -> "stream\.standard\.large" +# interrupts users\n/);
  expect(result.stdout).toContain(
    '  1. StopAppBlockBuilder appBlockBuilder/packager, then wait for AppBlockBuilderStopped\n  2. UpdateAppBlockBuilder appBlockBuilder/packager\n  3. StartAppBlockBuilder appBlockBuilder/packager, then wait for AppBlockBuilderRunning\n  4. TagResource appBlockBuilder/packager\n',
  );
});

it('apply refuses without --allow-interruption and changes nothing; with it, stops, updates, starts, and the next plan is clean', async () => {
  const refused = await streamform(['apply', '-f', 'builders.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(
    'streamform: apply: the plan interrupts users (appBlockBuilder/packager: stops app block builder packager: whoever works in it is disconnected, and what is not saved in an app block is lost); nothing was applied; run again with --allow-interruption to do it\n',
  );
  expect(await mutations()).toEqual([]);

  const applied = await streamform(['apply', '-f', 'builders.yaml', '--endpoint', emulator.url, '--yes', '--allow-interruption'], work);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect(await mutations()).toEqual(['StopAppBlockBuilder', 'UpdateAppBlockBuilder', 'StartAppBlockBuilder', 'TagResource']);
  const next = await streamform(['plan', '-f', 'builders.yaml', '--endpoint', emulator.url, '--detailed-exitcode'], work);
  expect(next.code, next.stdout).toBe(0);
  expect(next.stdout).toMatch(/\nNo changes\.\n$/);
});
