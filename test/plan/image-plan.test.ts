/** AppStream images and Nimble streaming images, pure: config + in-memory live state → changes and calls. */
import { describe, expect, test } from 'vitest';
import type { ImageConfig, StreamingImageConfig } from '../../src/config/types.js';
import { OWNER_TAG, readRecord } from '../../src/core/ownership.js';
import { config, PROJECT } from './helpers.js';
import { emptyLive, liveImage, liveStreamingImage, planOf, toolTagsFor } from './live.js';

const images = (...list: ImageConfig[]) => config({ images: list });
const share = (AccountId: string, AllowFleet = true, AllowImageBuilder = false) => ({ AccountId, AllowFleet, AllowImageBuilder });
const liveShare = (sharedAccountId: string, allowFleet = true, allowImageBuilder = false) => ({ sharedAccountId, imagePermissions: { allowFleet, allowImageBuilder } });

/** A live state with the image as applying `applied` leaves it (owned, recorded), with live sharing. */
function ownedImage(applied: ImageConfig, sharedWith: ReturnType<typeof liveShare>[] = [], fields = {}) {
  const before = emptyLive();
  before.images[applied.Name] = liveImage(applied.Name, fields);
  const live = emptyLive();
  live.images[applied.Name] = liveImage(applied.Name, fields, toolTagsFor(images(applied), `image/${applied.Name}`, before), sharedWith);
  return live;
}

describe('AppStream images', () => {
  test('images cannot be created: a missing one is an error for it, with no call', () => {
    const plan = planOf(images({ Name: 'win-2026', SharedWith: [share('111122223333')] }), emptyLive());
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', address: 'image/win-2026', message: expect.stringContaining('cannot be created') }]);
  });

  test('a FAILED image is an error, with its reason', () => {
    const live = emptyLive();
    live.images.bad = liveImage('bad', { State: 'FAILED', StateChangeReason: { Code: 'INTERNAL_ERROR', Message: 'Image builder crashed.' } });
    const plan = planOf(images({ Name: 'bad' }), live);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0].message).toBe('image is FAILED: Image builder crashed.');
  });

  test('a public or shared image is not the account\'s to manage', () => {
    const live = emptyLive();
    live.images.base = liveImage('base', { Visibility: 'PUBLIC' });
    expect(planOf(images({ Name: 'base' }), live).diagnostics[0].message).toMatch(/image is PUBLIC/);
  });

  test('adopting an image shares it as declared (and only so) and tags it; the record lists the managed accounts', () => {
    const live = emptyLive();
    live.images.win = liveImage('win', {}, {}, [liveShare('999988887777')]);
    const plan = planOf(images({ Name: 'win', SharedWith: [share('111122223333', true, true)] }), live);
    expect(plan.calls.map((c) => c.operation)).toEqual(['UpdateImagePermissions', 'DeleteImagePermissions', 'TagResource']);
    expect(plan.calls[0].input).toEqual({ Name: 'win', SharedAccountId: '111122223333', ImagePermissions: { allowFleet: true, allowImageBuilder: true } });
    expect(plan.calls[1].input).toEqual({ Name: 'win', SharedAccountId: '999988887777' });
    expect(readRecord(plan.calls[2].input.Tags as Record<string, string>)).toMatchObject({ s: ['111122223333'] });
    expect(plan.changes[0]).toMatchObject({ action: 'update', adopt: true });
  });

  test('a declared SharedWith is the whole set: changed ones updated, every other account removed', () => {
    const applied: ImageConfig = { Name: 'win', SharedWith: [share('111111111111'), share('222222222222')] };
    const live = ownedImage(applied, [liveShare('111111111111'), liveShare('222222222222'), liveShare('333333333333')]);
    const plan = planOf(images({ Name: 'win', SharedWith: [share('111111111111', false, true)] }), live);
    expect(plan.calls.map((c) => `${c.operation} ${c.input.SharedAccountId ?? ''}`)).toEqual([
      'UpdateImagePermissions 111111111111',
      'DeleteImagePermissions 222222222222',
      'DeleteImagePermissions 333333333333',
      'TagResource ',
    ]);
  });

  test('SharedWith removed from the config is three-way: recorded accounts removed, others left alone', () => {
    const applied: ImageConfig = { Name: 'win', SharedWith: [share('111111111111')] };
    const live = ownedImage(applied, [liveShare('111111111111'), liveShare('333333333333')]);
    const plan = planOf(images({ Name: 'win' }), live);
    expect(plan.calls.map((c) => `${c.operation} ${c.input.SharedAccountId ?? ''}`)).toEqual(['DeleteImagePermissions 111111111111', 'TagResource ']);
  });

  test('SharedWith: [] stops sharing with every account', () => {
    const live = ownedImage({ Name: 'win' }, [liveShare('111111111111'), liveShare('333333333333')]);
    const plan = planOf(images({ Name: 'win', SharedWith: [] }), live);
    expect(plan.calls.filter((c) => c.operation === 'DeleteImagePermissions').map((c) => c.input.SharedAccountId)).toEqual(['111111111111', '333333333333']);
  });

  test('an image matching its config plans nothing', () => {
    const applied: ImageConfig = { Name: 'win', SharedWith: [share('111111111111')], Tags: { os: 'windows' } };
    const live = ownedImage(applied, [liveShare('111111111111')]);
    live.images.win.tags!.os = 'windows';
    expect(planOf(images(applied), live).calls).toEqual([]);
  });

  test('a base image older than MaxBaseImageAgeDays (from now) is a warning, also without changes', () => {
    const applied: ImageConfig = { Name: 'win', MaxBaseImageAgeDays: 90 };
    const live = ownedImage(applied, [], { PublicBaseImageReleasedDate: new Date('2026-01-01T00:00:00Z') });
    const old = planOf(images(applied), live, { now: new Date('2026-06-01T00:00:00Z') });
    expect(old.calls).toEqual([]);
    expect(old.diagnostics).toMatchObject([{ severity: 'warning', address: 'image/win', message: expect.stringContaining('released 2026-01-01 is 151 days old, more than MaxBaseImageAgeDays (90)') }]);
    expect(planOf(images(applied), live, { now: new Date('2026-03-01T00:00:00Z') }).diagnostics).toEqual([]);
  });
});

const streaming = (...list: StreamingImageConfig[]) => config({ streamingImages: list });
const ADDRESS = 'streamingImage/st-1/render';

function studioWith(...list: ReturnType<typeof liveStreamingImage>[]) {
  const live = emptyLive();
  live.streamingImages['st-1'] = list;
  return live;
}

/** A streaming image as creating `applied` leaves it. */
function created(applied: StreamingImageConfig, id = 'si-1', fields = {}) {
  return liveStreamingImage(applied.StudioId, id, {
    name: applied.Name,
    ec2ImageId: applied.Ec2ImageId,
    ...(applied.Description ? { description: applied.Description } : {}),
    tags: { ...(applied.Tags ?? {}), ...toolTagsFor(streaming(applied), `streamingImage/${applied.StudioId}/${applied.Name}`) },
    ...fields,
  });
}

describe('Nimble streaming images', () => {
  const render: StreamingImageConfig = { StudioId: 'st-1', Name: 'render', Ec2ImageId: 'ami-1', Description: 'Render nodes', Tags: { team: 'fx' } };

  test('create carries tags (owner and record included), a deterministic client token, and waits for READY', () => {
    const plan = planOf(streaming(render), studioWith());
    expect(plan.calls).toHaveLength(1);
    const [create] = plan.calls;
    expect(create).toMatchObject({ service: 'nimble', operation: 'CreateStreamingImage', wait: 'StreamingImageReady', phase: 0 });
    expect(create.input).toMatchObject({ studioId: 'st-1', name: 'render', ec2ImageId: 'ami-1', description: 'Render nodes', tags: { team: 'fx', [OWNER_TAG]: PROJECT } });
    const token = create.input.clientToken as string;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    // The same plan again gives the same token; another config gives another.
    expect(planOf(streaming(render), studioWith()).calls[0].input.clientToken).toBe(token);
    expect(planOf(streaming({ ...render, Ec2ImageId: 'ami-2' }), studioWith()).calls[0].input.clientToken).not.toBe(token);
    expect(plan.changes[0]).toMatchObject({ address: ADDRESS, kind: 'streamingImage', action: 'create' });
  });

  test('a description change is one UpdateStreamingImage, waiting for READY', () => {
    const plan = planOf(streaming({ ...render, Description: 'GPU render nodes' }), studioWith(created(render)));
    expect(plan.calls.map((c) => c.operation)).toEqual(['UpdateStreamingImage', 'TagResource']);
    expect(plan.calls[0]).toMatchObject({ input: { studioId: 'st-1', streamingImageId: 'si-1', description: 'GPU render nodes' }, wait: 'StreamingImageReady' });
    expect(plan.calls[1].input.resourceArn).toBe('arn:aws:nimble:us-east-1:123456789012:streaming-image/si-1');
  });

  test('removing the description clears it (three-way)', () => {
    const { Description: _, ...withoutDescription } = render;
    const plan = planOf(streaming(withoutDescription), studioWith(created(render)));
    expect(plan.calls[0]).toMatchObject({ operation: 'UpdateStreamingImage', input: { description: '' } });
  });

  test('a new Ec2ImageId replaces: create the new image, wait for READY, then delete the old and wait until DELETED', () => {
    const plan = planOf(streaming({ ...render, Ec2ImageId: 'ami-2' }), studioWith(created(render)));
    expect(plan.calls.map((c) => [c.operation, c.wait, c.phase])).toEqual([
      ['CreateStreamingImage', 'StreamingImageReady', 0],
      ['DeleteStreamingImage', 'StreamingImageDeleted', 0],
    ]);
    expect(plan.calls[1].input).toEqual({ studioId: 'st-1', streamingImageId: 'si-1' });
    expect(plan.changes[0]).toMatchObject({ action: 'replace', diffs: [{ path: 'Ec2ImageId', before: 'ami-1', after: 'ami-2' }] });
    expect(plan.summary).toEqual({ create: 0, update: 0, replace: 1, delete: 0 });
  });

  test('an unowned image is never deleted to be replaced', () => {
    const plan = planOf(streaming(render), studioWith(liveStreamingImage('st-1', 'si-1', { name: 'render', ec2ImageId: 'ami-0' })));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0].message).toMatch(/not owned by this project; replacing it would delete it/);
  });

  test('an unowned image with the declared AMI is adopted', () => {
    const plan = planOf(streaming(render), studioWith(liveStreamingImage('st-1', 'si-1', { name: 'render', ec2ImageId: 'ami-1', description: 'Render nodes', tags: { team: 'fx' } })));
    expect(plan.calls.map((c) => c.operation)).toEqual(['TagResource']);
    expect(plan.changes[0]).toMatchObject({ action: 'update', adopt: true });
  });

  test('two images with one name, not both this project\'s, are ambiguous: an error naming them', () => {
    const plan = planOf(streaming(render), studioWith(created(render), liveStreamingImage('st-1', 'si-2', { name: 'render', ec2ImageId: 'ami-1' })));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0]).toMatchObject({ severity: 'error', address: ADDRESS, message: expect.stringContaining('ambiguous: 2 streaming images named "render" in studio st-1 (si-1, si-2)') });
  });

  test('two owned copies (an interrupted replace) converge: the one with the declared AMI stays, and once it is READY the other is deleted', () => {
    const next = { ...render, Ec2ImageId: 'ami-2' };
    const plan = planOf(streaming(next), studioWith(created(render, 'si-1'), created(next, 'si-2', { state: 'CREATE_IN_PROGRESS' })));
    expect(plan.calls.map((c) => `${c.operation} ${c.input.streamingImageId ?? ''}`)).toEqual(['GetStreamingImage si-2', 'DeleteStreamingImage si-1']);
    expect(plan.changes[0]).toMatchObject({ action: 'replace', reason: 'waits for si-2 to be READY, then deletes 1 older copy left by an interrupted replace' });
  });

  test('images on their way out, and Amazon\'s own images, do not count', () => {
    const gone = created(render, 'si-0', { state: 'DELETED' });
    const leaving = created(render, 'si-1', { state: 'DELETE_IN_PROGRESS' });
    const amazons = liveStreamingImage('st-1', 'si-a', { name: 'render', ec2ImageId: 'ami-9', owner: 'amazon' });
    expect(planOf(streaming(render), studioWith(gone, leaving, amazons)).calls.map((c) => c.operation)).toEqual(['CreateStreamingImage']);
  });

  test('an image in a *_FAILED state is an error, with its status message, and is not updated', () => {
    const failed = created(render, 'si-1', { state: 'UPDATE_FAILED', statusMessage: 'The update failed.' });
    const plan = planOf(streaming({ ...render, Description: 'x' }), studioWith(failed));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', message: 'streaming image si-1 is UPDATE_FAILED: The update failed.' }]);
  });

  test('prune deletes the owned images no longer declared (phase 1, waiting until DELETED); others stay', () => {
    const old = { ...render, Name: 'old' };
    const live = studioWith(created(render, 'si-1'), created(old, 'si-2'), liveStreamingImage('st-1', 'si-3', { name: 'manual', ec2ImageId: 'ami-3' }));
    const plan = planOf(streaming(render), live, { prune: true });
    expect(plan.calls).toEqual([
      { id: 1, address: 'streamingImage/st-1/old', service: 'nimble', operation: 'DeleteStreamingImage', input: { studioId: 'st-1', streamingImageId: 'si-2' }, phase: 1, wait: 'StreamingImageDeleted' },
    ]);
    expect(planOf(streaming(render), live).calls).toEqual([]);
  });

  test('identity is (StudioId, Name): a moved image is created in its new studio and, with prune, deleted from the old one', () => {
    const live = studioWith(created(render, 'si-1'));
    live.streamingImages['st-2'] = [];
    const moved = { ...render, StudioId: 'st-2' };
    const plan = planOf(config({ streamingImages: [moved, { ...render, Name: 'other' }] }), live, { prune: true });
    expect(plan.calls.map((c) => `${c.phase} ${c.operation} ${c.address}`)).toEqual([
      '0 CreateStreamingImage streamingImage/st-1/other',
      '0 CreateStreamingImage streamingImage/st-2/render',
      '1 DeleteStreamingImage streamingImage/st-1/render',
    ]);
  });

  test('an image whose description and tags match plans nothing', () => {
    expect(planOf(streaming(render), studioWith(created(render))).calls).toEqual([]);
  });
});
