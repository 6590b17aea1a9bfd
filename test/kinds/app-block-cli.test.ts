/**
 * `streamform plan` and `streamform apply` on app blocks, the built CLI against the emulator: a
 * replace is shown per attribute, a packaging mistake is one line naming file and member.
 */
import { expect, it } from 'vitest';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { planNow, streamform, useCliWorkspace } from '../apply/cli.js';

const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 };
const ACCOUNT: EmulatorState = {
  appstream: { appBlocks: [{ Name: 'tools', Description: 'old', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'tools.vhdx' }, SetupScriptDetails: SCRIPT, Tags: { [OWNER_TAG]: 'shop' } }] },
};

const block = (extra: string) => `version: 1
project: shop
appBlocks:
  - Name: tools
    SourceS3Location: { S3Bucket: blocks, S3Key: tools-2.vhdx }
    SetupScriptDetails: { ScriptS3Location: { S3Bucket: blocks, S3Key: setup.ps1 }, ExecutablePath: powershell.exe, TimeoutInSeconds: 60 }
${extra}`;

let work: string;
let emulator: TestEmulator;
useCliWorkspace(
  { 'blocks.yaml': block('    Description: new\n'), 'bad.yaml': block('    PostSetupScriptDetails: { ScriptS3Location: { S3Bucket: blocks }, ExecutablePath: x, TimeoutInSeconds: 1 }\n') },
  ACCOUNT,
  (w, e) => ((work = w), (emulator = e)),
);

it('plan marks each attribute that forces replacement, and apply deletes then creates; the next plan is clean', async () => {
  const planned = await streamform(['plan', '-f', 'blocks.yaml', '--endpoint', emulator.url], work);
  expect(planned.code, planned.stderr).toBe(0);
  expect(planned.stdout).toContain('# Description, SourceS3Location cannot change on an app block (there is no UpdateAppBlock): it is deleted and created again\n');
  expect(planned.stdout).toMatch(/~ SourceS3Location\.S3Key: "tools\.vhdx" -> "tools-2\.vhdx" +# forces replacement\n/);
  expect(planned.stdout).toMatch(/~ Description: "old" -> "new" +# forces replacement\n/);
  expect(planned.stdout).toContain('  1. DeleteAppBlock appBlock/tools\n  2. CreateAppBlock appBlock/tools\n');
  const applied = await streamform(['apply', '-f', 'blocks.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(applied.code, applied.stderr).toBe(0);
  expect((await planNow(work, ['blocks.yaml'], emulator.url)).calls).toEqual([]);
});

it('a post-setup script on a CUSTOM block is one line naming the file and member (and the count), and nothing is called', async () => {
  const result = await streamform(['plan', '-f', 'bad.yaml', '--endpoint', emulator.url], work);
  expect(result.code).not.toBe(0);
  expect(result.stderr.trim()).toBe('bad.yaml:7:29: appBlocks[0].PostSetupScriptDetails: PostSetupScriptDetails is only for PackagingType APPSTREAM2\n1 error in the config');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect((await emulator.calls()).filter((c) => c.service === 'appstream')).toEqual([]);
});
