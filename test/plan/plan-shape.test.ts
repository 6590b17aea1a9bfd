/** The plan as a whole: order and phases, summary, digests, plain data. */
import { describe, expect, test } from 'vitest';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { config, PROJECT } from './helpers.js';
import { emptyLive, liveImage, liveStack, liveStreamingImage, planOf, toolTagsFor } from './live.js';

function mixedAccount() {
  const cfg = config({
    stacks: [{ Name: 'b-new' }, { Name: 'a-changed', Description: 'new' }],
    images: [{ Name: 'win', Tags: { os: 'windows' } }],
    streamingImages: [{ StudioId: 'st-1', Name: 'render', Ec2ImageId: 'ami-2' }],
  });
  const live = emptyLive();
  live.stacks['a-changed'] = liveStack('a-changed', { Description: 'old' }, toolTagsFor(config({ stacks: [{ Name: 'a-changed', Description: 'old' }] }), 'stack/a-changed'));
  live.stacks['z-gone'] = liveStack('z-gone', {}, toolTagsFor(config({ stacks: [{ Name: 'z-gone' }] }), 'stack/z-gone'), ['fleet-1']);
  live.stacks['y-gone'] = liveStack('y-gone', {}, { [OWNER_TAG]: PROJECT }, []);
  live.images.win = liveImage('win');
  live.streamingImages['st-1'] = [
    liveStreamingImage('st-1', 'si-1', { name: 'render', ec2ImageId: 'ami-1', tags: toolTagsFor(config({ streamingImages: [{ StudioId: 'st-1', Name: 'render', Ec2ImageId: 'ami-1' }] }), 'streamingImage/st-1/render') }),
  ];
  return { cfg, live };
}

describe('the plan', () => {
  test('creates, updates and replaces come first (phase 0), deletes last (phase 1, in reverse order); ids count up', () => {
    const { cfg, live } = mixedAccount();
    const plan = planOf(cfg, live, { prune: true });
    expect(plan.calls.map((c) => `${c.id} ${c.phase} ${c.operation} ${c.address}`)).toEqual([
      '1 0 TagResource image/win',
      '2 0 UpdateStack stack/a-changed',
      '3 0 TagResource stack/a-changed',
      '4 0 CreateStack stack/b-new',
      '5 0 CreateStreamingImage streamingImage/st-1/render',
      '6 0 DeleteStreamingImage streamingImage/st-1/render',
      '7 1 DisassociateFleet stack/z-gone',
      '8 1 DeleteStack stack/z-gone',
      '9 1 DeleteStack stack/y-gone',
    ]);
    expect(plan.summary).toEqual({ create: 1, update: 2, replace: 1, delete: 2 });
    expect(plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual([
      'image/win update',
      'stack/a-changed update',
      'stack/b-new create',
      'stack/y-gone delete',
      'stack/z-gone delete',
      'streamingImage/st-1/render replace',
    ]);
  });

  test('carries the project, config digest and files, target and time, and is plain JSON', () => {
    const { cfg, live } = mixedAccount();
    // Describe tells the account (from a listed ARN, else STS); the plan carries it.
    live.account = '123456789012';
    const plan = planOf(cfg, live);
    expect(plan).toMatchObject({
      formatVersion: '2',
      project: PROJECT,
      configDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      configFiles: ['streamform.yaml'],
      target: { region: 'us-east-1', account: '123456789012' },
      createdAt: '2026-06-01T00:00:00.000Z',
    });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  test('is the same plan for the same inputs, and does not change them', () => {
    const { cfg, live } = mixedAccount();
    const before = JSON.stringify({ cfg, live });
    expect(planOf(cfg, live, { prune: true })).toEqual(planOf(cfg, live, { prune: true }));
    expect(JSON.stringify({ cfg, live })).toBe(before);
  });

  test('each change carries the digest of the live state it came from', () => {
    const { cfg, live } = mixedAccount();
    const digestOf = (plan: ReturnType<typeof planOf>, address: string) => plan.changes.find((c) => c.address === address)!.liveDigest;
    const plan = planOf(cfg, live, { prune: true });
    for (const change of plan.changes.filter((c) => c.action !== 'create')) expect(change.liveDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(digestOf(plan, 'stack/b-new')).toBeNull();
    // Any change to the resource changes its digest; other resources keep theirs.
    live.stacks['a-changed'].stack.Description = 'edited meanwhile';
    const after = planOf(cfg, live, { prune: true });
    expect(digestOf(after, 'stack/a-changed')).not.toBe(digestOf(plan, 'stack/a-changed'));
    expect(digestOf(after, 'image/win')).toBe(digestOf(plan, 'image/win'));
  });

  test('a problem reading a resource the config does not declare is still reported', () => {
    const live = emptyLive();
    live.stacks.other = liveStack('other');
    live.errors.push({ address: 'stack/other', message: 'ListTagsForResource failed: AccessDeniedException: no' });
    const plan = planOf(config(), live, { prune: true });
    expect(plan.diagnostics).toEqual([{ severity: 'error', address: 'stack/other', message: 'ListTagsForResource failed: AccessDeniedException: no', code: 'unread' }]);
  });

  test('streamform\'s own tags never appear as user diffs', () => {
    const { cfg, live } = mixedAccount();
    const text = JSON.stringify(planOf(cfg, live, { prune: true }).changes);
    expect(text).not.toContain('streamform:');
  });
});
