/** A declared SharedWith is the whole set of accounts: a share granted by hand is drift, and removed. */
import { UpdateImagePermissionsCommand } from '@aws-sdk/client-appstream';
import { describe, expect, it, test } from 'vitest';
import type { ImageConfig } from '../../src/config/types.js';
import { streamform, writeConfig } from '../apply/cli.js';
import { config } from '../plan/helpers.js';
import { emptyLive, liveImage, planOf, toolTagsFor } from '../plan/live.js';
import { useWorkspace } from './support.js';

const share = (AccountId: string) => ({ AccountId, AllowFleet: true, AllowImageBuilder: false });
const liveShare = (sharedAccountId: string) => ({ sharedAccountId, imagePermissions: { allowFleet: true, allowImageBuilder: false } });

/** The image as applying `applied` leaves it, shared with `accounts`. */
function applied(image: ImageConfig, accounts: string[]) {
  const live = emptyLive();
  live.images[image.Name] = liveImage(image.Name, {}, { ...image.Tags, ...toolTagsFor(config({ images: [image] }), `image/${image.Name}`, appliedFrom(image)) }, accounts.map(liveShare));
  return live;
}

function appliedFrom(image: ImageConfig) {
  const live = emptyLive();
  live.images[image.Name] = liveImage(image.Name);
  return live;
}

describe('planning shares', () => {
  test('a share nobody declared is removed, and marked drift when the config is the one last applied', () => {
    const image: ImageConfig = { Name: 'win', SharedWith: [share('111111111111')] };
    const plan = planOf(config({ images: [image] }), applied(image, ['111111111111', '333333333333']));
    expect(plan.calls.map((c) => [c.operation, c.input.SharedAccountId])).toEqual([['DeleteImagePermissions', '333333333333']]);
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: true, diffs: [{ path: 'SharedWith', before: { '333333333333': share('333333333333') }, after: {} }] });
  });

  test('with another config applied last, the same removal comes from the config', () => {
    const before: ImageConfig = { Name: 'win', SharedWith: [share('111111111111')] };
    const now: ImageConfig = { Name: 'win', SharedWith: [share('111111111111'), share('222222222222')] };
    const plan = planOf(config({ images: [now] }), applied(before, ['111111111111', '333333333333']));
    expect(plan.calls.map((c) => [c.operation, c.input.SharedAccountId ?? null])).toEqual([
      ['UpdateImagePermissions', '222222222222'],
      ['DeleteImagePermissions', '333333333333'],
      ['TagResource', null],
    ]);
    expect(plan.changes[0].drift).toBe(false);
  });

  test('an undeclared SharedWith that streamform never managed stays unmanaged', () => {
    const image: ImageConfig = { Name: 'win', Tags: { os: 'windows' } };
    expect(planOf(config({ images: [image] }), applied(image, ['333333333333'])).calls).toEqual([]);
  });
});

describe('a share granted by hand', () => {
  const workspace = useWorkspace();
  const CONFIG = `version: 1\nproject: vfx\nimages:\n  - Name: base\n    SharedWith:\n      - { AccountId: "111111111111", AllowFleet: true, AllowImageBuilder: false }\n`;

  it('is drift (exit 2) and the plan removes it; once removed there is no drift', async () => {
    const emulator = await workspace.start({ state: { appstream: { images: [{ Name: 'base', State: 'AVAILABLE' }] } } });
    writeConfig(workspace.dir(), 'images.yaml', CONFIG);
    const run = (...args: string[]) => streamform([...args, '-f', 'images.yaml', '--endpoint', emulator.url], workspace.dir());
    expect((await run('apply', '--yes')).code).toBe(0);
    expect((await run('drift')).code).toBe(0);

    await emulator.clients.appstream.send(new UpdateImagePermissionsCommand({ Name: 'base', SharedAccountId: '333333333333', ImagePermissions: { allowFleet: true, allowImageBuilder: true } }));
    const drift = await run('drift');
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(/image\/base \(drift\)/);
    const plan = await run('plan', '--format', 'json');
    expect(JSON.parse(plan.stdout).calls).toMatchObject([{ operation: 'DeleteImagePermissions', input: { Name: 'base', SharedAccountId: '333333333333' } }]);

    expect((await run('apply', '--yes')).code).toBe(0);
    const state = await emulator.getState();
    expect(state.appstream?.images?.[0].SharedImagePermissions?.map((p) => p.sharedAccountId)).toEqual(['111111111111']);
    expect((await run('drift')).code).toBe(0);
  });
});
