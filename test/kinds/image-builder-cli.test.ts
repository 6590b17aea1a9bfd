/**
 * `streamform plan` and `streamform apply` on image builders, the built CLI against the emulator:
 * replacing a RUNNING builder is shown per attribute and as an interruption, and applied only with
 * --allow-interruption.
 */
import { expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace } from '../apply/cli.js';

const ACCOUNT: EmulatorState = {
  appstream: {
    images: [{ Name: 'base' }],
    imageBuilders: [
      { Name: 'build', State: 'RUNNING', InstanceType: 'stream.standard.medium', ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base', Tags: { [OWNER_TAG]: 'shop' } },
    ],
  },
};

const CONFIG = `version: 1
project: shop
imageBuilders:
  - Name: build
    ImageName: base
    InstanceType: stream.standard.large
`;

let work: string;
let emulator: TestEmulator;
useCliWorkspace({ 'builders.yaml': CONFIG }, ACCOUNT, (w, e) => ((work = w), (emulator = e)));

const mutations = async () => (await emulator.calls()).map((c) => c.operation).filter((op) => /^(Create|Delete|Start|Stop|Tag|Untag)/.test(op));

it('plan marks the attribute that forces replacement and says whom replacing the running builder interrupts', async () => {
  const result = await streamform(['plan', '-f', 'builders.yaml', '--endpoint', emulator.url], work);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('# interrupts users: replaces image builder build while it is RUNNING');
  expect(result.stdout).toMatch(/~ InstanceType: "stream\.standard\.medium" -> "stream\.standard\.large" +# forces replacement\n/);
  expect(result.stdout).toContain(
    '  1. StopImageBuilder imageBuilder/build, then wait for ImageBuilderStopped\n  2. DeleteImageBuilder imageBuilder/build, then wait for ImageBuilderDeleted\n  3. CreateImageBuilder imageBuilder/build, then wait for ImageBuilderRunning\n',
  );
});

it('apply refuses without --allow-interruption and changes nothing; with it, stops, deletes, creates, and the next plan is clean', async () => {
  const refused = await streamform(['apply', '-f', 'builders.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('the plan interrupts users (imageBuilder/build: replaces image builder build while it is RUNNING');
  expect(await mutations()).toEqual([]);

  const applied = await streamform(['apply', '-f', 'builders.yaml', '--endpoint', emulator.url, '--yes', '--allow-interruption'], work);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect(await mutations()).toEqual(['StopImageBuilder', 'DeleteImageBuilder', 'CreateImageBuilder']);
  const next = await streamform(['plan', '-f', 'builders.yaml', '--endpoint', emulator.url, '--detailed-exitcode'], work);
  expect(next.code, next.stdout).toBe(0);
  expect(next.stdout).toMatch(/\nNo changes\.\n$/);
});
