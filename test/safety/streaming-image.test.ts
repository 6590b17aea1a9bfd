/**
 * Nimble streaming images when an earlier apply was interrupted or failed: the last READY copy is
 * never deleted before its successor is READY, and a failed create is retried for real.
 */
import { DeleteStreamingImageCommand, type StreamingImage } from '@aws-sdk/client-nimble';
import { describe, expect, it, test } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { StreamingImageConfig } from '../../src/config/types.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { planNow, startCli, streamform, writeConfig } from '../apply/cli.js';
import { ofType, planOf as handPlan, runPlan } from '../apply/plans.js';
import { config } from '../plan/helpers.js';
import { liveStreamingImage, emptyLive, planOf, toolTagsFor } from '../plan/live.js';
import { until, useWorkspace } from './support.js';

const STUDIO = 'st-1';

describe('planning after an interrupted replace', () => {
  const render: StreamingImageConfig = { StudioId: STUDIO, Name: 'render', Ec2ImageId: 'ami-1' };
  const next = { ...render, Ec2ImageId: 'ami-2' };
  const copy = (applied: StreamingImageConfig, id: string, state: StreamingImage['state']) =>
    liveStreamingImage(STUDIO, id, { name: applied.Name, ec2ImageId: applied.Ec2ImageId, state, tags: toolTagsFor(config({ streamingImages: [applied] }), `streamingImage/${STUDIO}/render`) });
  const studio = (...images: ReturnType<typeof copy>[]) => {
    const live = emptyLive();
    live.streamingImages[STUDIO] = images;
    return live;
  };

  test('waits for the kept copy to be READY before deleting the READY old one', () => {
    const plan = planOf(config({ streamingImages: [next] }), studio(copy(render, 'si-1', 'READY'), copy(next, 'si-2', 'CREATE_IN_PROGRESS')));
    expect(plan.calls.map((c) => [c.operation, c.input.streamingImageId, c.wait])).toEqual([
      ['GetStreamingImage', 'si-2', 'StreamingImageReady'],
      ['DeleteStreamingImage', 'si-1', 'StreamingImageDeleted'],
    ]);
    expect(plan.changes[0]).toMatchObject({ action: 'replace', reasonCode: 'cleanup_interrupted_replace' });
  });

  test('deletes at once when the kept copy is READY already, and waits for nothing when nothing else is done', () => {
    const done = planOf(config({ streamingImages: [next] }), studio(copy(render, 'si-1', 'READY'), copy(next, 'si-2', 'READY')));
    expect(done.calls.map((c) => c.operation)).toEqual(['DeleteStreamingImage']);
    const alone = planOf(config({ streamingImages: [next] }), studio(copy(next, 'si-2', 'CREATE_IN_PROGRESS')));
    expect(alone.calls).toEqual([]);
  });

  test('a kept copy that failed is an error and nothing is deleted', () => {
    const plan = planOf(config({ streamingImages: [next] }), studio(copy(render, 'si-1', 'READY'), copy(next, 'si-2', 'CREATE_FAILED')));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', message: expect.stringContaining('si-2 is CREATE_FAILED') }]);
  });

  test('the client token changes once an earlier attempt is gone, and only then', () => {
    const token = (live: ReturnType<typeof studio>) => planOf(config({ streamingImages: [render] }), live).calls[0].input.clientToken;
    const first = token(studio());
    expect(token(studio())).toBe(first);
    const deleted = copy(render, 'si-1', 'DELETED');
    expect(token(studio(deleted))).not.toBe(first);
    expect(token(studio(deleted))).toBe(token(studio(deleted)));
    // The failed copy on its way out counts as the same earlier attempt as once it is gone.
    expect(token(studio(copy(render, 'si-1', 'DELETE_IN_PROGRESS')))).toBe(token(studio(deleted)));
  });
});

describe('against the emulator', () => {
  const workspace = useWorkspace();

  const images = (state: EmulatorState) => (state.nimble?.studios?.[0].streamingImages ?? []).map((image) => [image.streamingImageId, image.ec2ImageId, image.state]);

  it('keeps the READY image when a replace killed during its READY wait is applied again and the new image fails', async () => {
    // The transition outlasts the kill and the re-plan, so the second run finds the new image in progress
    // (with room for a busy machine, where a plan's start-up alone may take most of a second).
    const emulator = await workspace.start({
      transitionMs: 2000,
      seed: 3,
      state: {
        nimble: {
          studios: [{ studioId: STUDIO, streamingImages: [{ name: 'render', ec2ImageId: 'ami-old', streamingImageId: 'si-old', state: 'READY', tags: { [OWNER_TAG]: 'vfx' } }] }],
          failingAmis: ['ami-new'],
        },
      },
    });
    writeConfig(workspace.dir(), 'replace.yaml', `version: 1\nproject: vfx\nstreamingImages:\n  - { StudioId: ${STUDIO}, Name: render, Ec2ImageId: ami-new }\n`);
    const cli = startCli(['apply', '-f', 'replace.yaml', '--endpoint', emulator.url, '--yes'], workspace.dir());
    // Waits are noted with the rest of apply's progress, on stdout.
    await until(() => /waiting for StreamingImageReady/.test(cli.output().stdout));
    cli.child.kill('SIGKILL');
    expect((await cli.exit).signal).toBe('SIGKILL');

    const plan = await planNow(workspace.dir(), ['replace.yaml'], emulator.url);
    expect(plan.calls.map((c) => c.operation)).toEqual(['GetStreamingImage', 'DeleteStreamingImage']);
    const events = await runPlan(plan, emulator.url);
    expect(ofType(events, 'call-failed')).toMatchObject([{ callId: 1, error: { name: 'CREATE_FAILED' } }]);
    expect(ofType(events, 'call-skipped').map((s) => s.callId)).toEqual([2]);
    expect(images(await emulator.getState())).toEqual([
      ['si-old', 'ami-old', 'READY'],
      [expect.any(String), 'ami-new', 'CREATE_FAILED'],
    ]);

    // Planned again, the failed copy is an error: nothing is deleted and apply says so.
    const again = await streamform(['apply', '-f', 'replace.yaml', '--endpoint', emulator.url, '--yes'], workspace.dir());
    expect(again.code).toBe(1);
    expect(again.stderr + again.stdout).toMatch(/CREATE_FAILED/);
    expect(images(await emulator.getState())).toContainEqual(['si-old', 'ami-old', 'READY']);
  });

  it('creates anew when a failed create is retried after the failed copy was deleted', async () => {
    const emulator = await workspace.start({ seed: 4, state: { nimble: { studios: [{ studioId: STUDIO }], failingAmis: ['ami-flaky'] } } });
    writeConfig(workspace.dir(), 'retry.yaml', `version: 1\nproject: vfx\nstreamingImages:\n  - { StudioId: ${STUDIO}, Name: comp, Ec2ImageId: ami-flaky }\n`);
    const first = await runPlan(await planNow(workspace.dir(), ['retry.yaml'], emulator.url), emulator.url);
    expect(ofType(first, 'call-failed')).toMatchObject([{ error: { name: 'CREATE_FAILED' } }]);
    const [failed] = images(await emulator.getState());
    await emulator.clients.nimble.send(new DeleteStreamingImageCommand({ studioId: STUDIO, streamingImageId: failed[0] as string }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const retry = await planNow(workspace.dir(), ['retry.yaml'], emulator.url);
    expect(retry.calls.map((c) => c.operation)).toEqual(['CreateStreamingImage']);
    const started = Date.now();
    const events = await runPlan(retry, emulator.url);
    // A second image was made (and failed like the first), rather than the first one's answer replayed.
    expect(ofType(events, 'call-failed')).toMatchObject([{ error: { name: 'CREATE_FAILED' } }]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(images(await emulator.getState())).toEqual([
      [failed[0], 'ami-flaky', 'DELETED'],
      [expect.any(String), 'ami-flaky', 'CREATE_FAILED'],
    ]);
  });

  it('fails a READY wait at once when the image it waits for is DELETED', async () => {
    const emulator = await workspace.start({ state: { nimble: { studios: [{ studioId: STUDIO }] } } });
    const input = { studioId: STUDIO, name: 'base', ec2ImageId: 'ami-1', clientToken: 'token-1' };
    const create = handPlan([{ address: `streamingImage/${STUDIO}/base`, service: 'nimble', operation: 'CreateStreamingImage', input, wait: 'StreamingImageReady' }]);
    expect(ofType(await runPlan(create, emulator.url), 'call-failed')).toEqual([]);
    const [[id]] = images(await emulator.getState());
    await emulator.clients.nimble.send(new DeleteStreamingImageCommand({ studioId: STUDIO, streamingImageId: id as string }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    // The same token replays the first answer: an image that is DELETED now.
    const started = Date.now();
    const replayed = await runPlan(create, emulator.url);
    expect(ofType(replayed, 'call-failed')).toMatchObject([{ error: { name: 'DELETED', message: expect.stringContaining(`streaming image ${String(id)} is DELETED`) } }]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
