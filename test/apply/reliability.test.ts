/**
 * Apply under the conditions it must survive: throttling and server errors, a killed process, and
 * any mix of resources that are not its own. Against the emulator, with the real SDK clients.
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/emulator/random.js';
import type { EmulatorState, StackState, StreamingImageState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { hasChanges } from '../../src/core/plan.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { planNow, printed, startCli, streamform, workDir, writeConfig } from './cli.js';
import { ofType, runPlan } from './plans.js';

const STUDIO = 'st-1';
let work: string;
let emulator: TestEmulator | undefined;

beforeAll(() => {
  work = workDir();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const liveImages = (state: EmulatorState) => (state.nimble?.studios?.[0].streamingImages ?? []).filter((image) => image.state !== 'DELETED');

/** The account holds exactly what the config declares, each streaming image once and READY. */
async function expectConverged(emu: TestEmulator, stacks: string[], images: [string, string][]): Promise<void> {
  const state = await emu.getState();
  expect((state.appstream?.stacks ?? []).map((stack) => stack.Name).sort()).toEqual([...stacks].sort());
  expect(liveImages(state).map((image) => [image.name, image.ec2ImageId, image.state]).sort()).toEqual(images.map(([name, ami]) => [name, ami, 'READY']).sort());
}

describe('fault injection', () => {
  it('applies 20 stacks and 5 streaming images through 30% throttling and 5% server errors, and the next plan has no changes', async () => {
    emulator = await startTestEmulator({ throttleRate: 0.3, errorRate: 0.05, seed: 20_250, transitionMs: 20, state: { nimble: { studios: [{ studioId: STUDIO }] } } });
    const stacks = Array.from({ length: 20 }, (_, i) => `stack-${String(i + 1).padStart(2, '0')}`);
    const images: [string, string][] = Array.from({ length: 5 }, (_, i) => [`image-${i + 1}`, `ami-${i + 1}`]);
    writeConfig(
      work,
      'faults.yaml',
      `version: 1\nproject: faults\nstacks:\n${stacks.map((name) => `  - Name: ${name}\n    Description: ${name} under faults\n`).join('')}` +
        `streamingImages:\n${images.map(([name, ami]) => `  - { StudioId: ${STUDIO}, Name: ${name}, Ec2ImageId: ${ami} }\n`).join('')}`,
    );

    const applied = await streamform(['apply', '-f', 'faults.yaml', '--endpoint', emulator.url, '--yes'], work);
    expect(applied.stderr).not.toMatch(/\n\s+at /);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/attempt 1 failed \(ThrottlingException: Rate exceeded\); retrying in/);
    expect(applied.stdout).toMatch(/\nApply complete: 25 succeeded, 0 failed, 0 skipped/);

    const next = await streamform(['plan', '-f', 'faults.yaml', '--endpoint', emulator.url, '--detailed-exitcode'], work);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/\nNo changes\.\n$/);
    await expectConverged(emulator, stacks, images);
  });
});

describe('a killed apply', () => {
  const STACKS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
  const IMAGES: [string, string][] = [
    ['render', 'ami-new'],
    ['comp', 'ami-2'],
    ['paint', 'ami-3'],
  ];
  const CONFIG =
    `version: 1\nproject: crash\nstacks:\n${STACKS.map((name) => `  - Name: ${name}\n    Description: ${name}\n    Fleets: [fleet-${name}]\n`).join('')}` +
    `streamingImages:\n${IMAGES.map(([name, ami]) => `  - { StudioId: ${STUDIO}, Name: ${name}, Ec2ImageId: ${ami} }\n`).join('')}`;
  const START: EmulatorState = {
    appstream: {
      fleets: STACKS.map((name) => ({ Name: `fleet-${name}` })),
      stacks: [{ Name: 'alpha', Description: 'before', Tags: { [OWNER_TAG]: 'crash' } }],
    },
    nimble: {
      studios: [{ studioId: STUDIO, streamingImages: [{ name: 'render', ec2ImageId: 'ami-old', streamingImageId: 'si-render-old', state: 'READY', tags: { [OWNER_TAG]: 'crash' } }] }],
    },
  };

  it('converges when run again after a SIGKILL at any of several seeded moments, without duplicates', async () => {
    // Latency stretches the run so that each kill lands in the middle of it.
    emulator = await startTestEmulator({ latencyMs: 15, transitionMs: 60 });
    writeConfig(work, 'crash.yaml', CONFIG);
    const random = seededRandom(5);
    for (let point = 0; point < 3; point++) {
      await emulator.setState(START);
      const cli = startCli(['apply', '-f', 'crash.yaml', '--endpoint', emulator.url, '--yes', '--concurrency', '2'], work);
      await printed(cli, /Applying \d+ calls/);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 250)));
      cli.child.kill('SIGKILL');
      const killed = await cli.exit;
      expect(killed.signal, `the kill at point ${point} came after the apply ended:\n${killed.stdout}`).toBe('SIGKILL');

      const rerun = await streamform(['apply', '-f', 'crash.yaml', '--endpoint', emulator.url, '--yes'], work);
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      await expectConverged(emulator, STACKS, IMAGES);
      expect(hasChanges(await planNow(work, ['crash.yaml'], emulator.url))).toBe(false);
    }
  });
});

describe('safety', () => {
  type Ownership = 'absent' | 'unowned' | 'foreign' | 'own';
  const OWNERSHIP: Ownership[] = ['absent', 'unowned', 'foreign', 'own'];
  const STACK_NAMES = ['s1', 's2', 's3', 's4'];
  const IMAGE_NAMES = ['i1', 'i2', 'i3'];
  const AMIS = ['ami-a', 'ami-b'];
  const tagsFor = (owner: Ownership): Record<string, string> =>
    owner === 'own' ? { [OWNER_TAG]: 'safe' } : owner === 'foreign' ? { [OWNER_TAG]: 'other', team: 'x' } : owner === 'unowned' ? { team: 'x' } : {};

  const world = fc.record({
    stacks: fc.tuple(...STACK_NAMES.map(() => fc.record({ owner: fc.constantFrom(...OWNERSHIP), declared: fc.boolean(), description: fc.constantFrom('one', 'two') }))),
    images: fc.tuple(...IMAGE_NAMES.map(() => fc.record({ owner: fc.constantFrom(...OWNERSHIP), declared: fc.boolean(), liveAmi: fc.constantFrom(...AMIS), ami: fc.constantFrom(...AMIS) }))),
    prune: fc.boolean(),
  });

  it('never changes or deletes a resource that is unowned and undeclared or owned by another project, and deletes nothing without prune', async () => {
    emulator = await startTestEmulator({ transitionMs: 5 });
    const emu = emulator;
    await fc.assert(
      fc.asyncProperty(world, async ({ stacks, images, prune }) => {
        const live: EmulatorState = {
          appstream: {
            stacks: stacks.flatMap((s, i): StackState[] => (s.owner === 'absent' ? [] : [{ Name: STACK_NAMES[i], Description: 'live', Tags: tagsFor(s.owner) }])),
          },
          nimble: {
            studios: [
              {
                studioId: STUDIO,
                streamingImages: images.flatMap((s, i): StreamingImageState[] =>
                  s.owner === 'absent' ? [] : [{ name: IMAGE_NAMES[i], ec2ImageId: s.liveAmi, streamingImageId: `si-${i}`, state: 'READY', tags: tagsFor(s.owner) }],
                ),
              },
            ],
          },
        };
        const before = await emu.setState(live).then(() => emu.getState());
        await emu.clearCalls();
        writeConfig(
          work,
          'safety.yaml',
          JSON.stringify({
            version: 1,
            project: 'safe',
            prune,
            stacks: stacks.flatMap((s, i) => (s.declared ? [{ Name: STACK_NAMES[i], Description: s.description }] : [])),
            streamingImages: images.flatMap((s, i) => (s.declared ? [{ StudioId: STUDIO, Name: IMAGE_NAMES[i], Ec2ImageId: s.ami }] : [])),
          }),
        );
        // Every call of the plan is applied, even next to error diagnostics (which the command would refuse).
        const plan = await planNow(work, ['safety.yaml'], emu.url, prune);
        const events = await runPlan(plan, emu.url);
        expect(ofType(events, 'summary')).toHaveLength(1);
        const after = await emu.getState();

        const stackAfter = new Map((after.appstream?.stacks ?? []).map((stack) => [stack.Name, stack]));
        for (const stack of before.appstream?.stacks ?? []) {
          const spec = stacks[STACK_NAMES.indexOf(stack.Name)];
          if (spec.owner === 'foreign' || (spec.owner === 'unowned' && !spec.declared)) expect(stackAfter.get(stack.Name)).toEqual(stack);
          if (!prune) expect(stackAfter.has(stack.Name)).toBe(true);
        }
        const imageAfter = new Map(liveImages(after).map((image) => [image.streamingImageId, image]));
        for (const image of before.nimble?.studios?.[0].streamingImages ?? []) {
          const spec = images[IMAGE_NAMES.indexOf(image.name)];
          if (spec.owner === 'foreign' || (spec.owner === 'unowned' && !spec.declared)) expect(imageAfter.get(image.streamingImageId)).toEqual(image);
          const replaced = spec.owner === 'own' && spec.declared && spec.ami !== spec.liveAmi;
          if (!prune && !replaced) expect(imageAfter.has(image.streamingImageId), `${image.name} was deleted`).toBe(true);
        }
        if (!prune) expect((await emu.calls()).map((call) => call.operation)).not.toContain('DeleteStack');
      }),
      { numRuns: 25, seed: 4242 },
    );
  });
});
