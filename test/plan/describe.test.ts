/** The describe stage against the emulator: what it reads, and exactly how many calls it takes. */
import { afterEach, describe, expect, test } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { DescribeStacksCommand, UntagResourceCommand } from '@aws-sdk/client-appstream';
import { describeLive, EARLY_BULK_AT, planConfirmingTags } from '../../src/describe/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { chooseTagReader } from '../../src/aws/tags.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG, RECORD_TAG } from '../../src/core/ownership.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { apply, config, emulator, loaded, planWith } from './helpers.js';

let open: TestEmulator[] = [];
async function start(...args: Parameters<typeof emulator>) {
  const em = await emulator(...args);
  open.push(em);
  return em;
}
afterEach(async () => {
  await Promise.all(open.map((em) => em.close()));
  open = [];
});

/** Calls the emulator served, counted per operation. */
async function callCounts(em: TestEmulator): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const call of await em.calls()) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const name = (i: number) => `stack-${String(i).padStart(2, '0')}`;

/** 60 stacks (10 of them with a fleet), 3 images (2 shared), 8 streaming images in 2 studios. */
const SIXTY: Config = config({
  stacks: range(60).map((i) => ({ Name: name(i), Description: `Stack ${i}`, ...(i < 10 ? { Fleets: ['fleet-1'] } : {}) })),
  images: [
    { Name: 'img-a', SharedWith: [{ AccountId: '111111111111', AllowFleet: true, AllowImageBuilder: false }] },
    { Name: 'img-b', SharedWith: [{ AccountId: '222222222222', AllowFleet: true, AllowImageBuilder: true }] },
    { Name: 'img-c', Tags: { os: 'linux' } },
  ],
  streamingImages: [
    ...range(7).map((i) => ({ StudioId: 'studio-1', Name: `si-${i}`, Ec2ImageId: 'ami-1' })),
    { StudioId: 'studio-2', Name: 'si-x', Ec2ImageId: 'ami-2' },
  ],
});
const SIXTY_SEED: EmulatorState = {
  appstream: { fleets: [{ Name: 'fleet-1' }], images: ['img-a', 'img-b', 'img-c'].map((Name) => ({ Name })) },
  nimble: { studios: [{ studioId: 'studio-1' }, { studioId: 'studio-2' }] },
};

/** An emulator serving pages of 5 whose account already matches SIXTY, its call log cleared. */
async function appliedSixty(options: { denyTagging?: boolean } = {}): Promise<TestEmulator> {
  const setup = await start({ pageSize: 5, state: SIXTY_SEED });
  await apply(setup, (await planWith(setup, SIXTY)).plan);
  const em = await start({ pageSize: 5, state: await setup.getState(), ...options });
  await em.clearCalls();
  return em;
}

describe('the number of calls (60 stacks, pages of 5)', () => {
  test('bulk tags: every listing page once, plus the calls no API can batch', async () => {
    const em = await appliedSixty();
    const { plan, notices } = await planWith(em, SIXTY);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toEqual([]);
    expect(notices).toEqual([]);
    expect(await callCounts(em)).toEqual({
      DescribeStacks: 12, // 60 stacks / 5
      DescribeFleets: 1, // the fleet the stacks name must exist
      GetResources: 14, // 60 stacks + 3 images, all tagged / 5; and one for what this project owns of the kinds not read
      ListAssociatedStacks: 2, // the account's one fleet: its 10 stacks (those that declare Fleets) / 5
      DescribeImages: 1, // 3 names in one batch, one page
      DescribeImagePermissions: 2, // the images that declare SharedWith
      ListStreamingImages: 3, // studio-1: 7 images / 5 = 2 pages; studio-2: 1
    });
    // 63 declared resources: the bulk read does not wait for the account's stacks to be counted.
    const operations = (await em.calls()).map((call) => call.operation);
    expect(operations.indexOf('GetResources')).toBeLessThan(operations.lastIndexOf('DescribeStacks'));
  });

  test('without permission for GetResources: one refused attempt, then one ListTagsForResource per resource, said once', async () => {
    const em = await appliedSixty({ denyTagging: true });
    const { plan, notices } = await planWith(em, SIXTY);
    expect(plan.calls).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^GetResources is not allowed \(AccessDeniedException: .*\); reading tags with one ListTagsForResource per resource instead, and owned resources no longer declared are told only by --prune$/);
    expect(await callCounts(em)).toEqual({
      DescribeStacks: 12,
      DescribeFleets: 1,
      GetResources: 1,
      ListTagsForResource: 63,
      ListAssociatedStacks: 2,
      DescribeImages: 1,
      DescribeImagePermissions: 2,
      ListStreamingImages: 3,
    });
  });
});

describe('choosing how to read tags', () => {
  test('per resource when that is fewer calls than the pages of a bulk read', () => {
    expect(chooseTagReader({ accountResources: 500, account: 1, named: 0 })).toBe('per-resource');
    expect(chooseTagReader({ accountResources: 500, account: 5, named: 0 })).toBe('per-resource');
    expect(chooseTagReader({ accountResources: 500, account: 6, named: 0 })).toBe('bulk');
    expect(chooseTagReader({ accountResources: 500, account: 500, named: 500 })).toBe('bulk');
    expect(chooseTagReader({ accountResources: 500, account: 0, named: 2 })).toBe('bulk');
    expect(chooseTagReader({ accountResources: 0, account: 0, named: 1 })).toBe('per-resource');
  });

  test('2 declared stacks among 250: the existing one\'s ListTagsForResource, and one GetResources for what this project owns alone', async () => {
    const stacks = range(250).map((i) => ({ Name: `s-${i}`, Tags: { [OWNER_TAG]: 'elsewhere' } }));
    const em = await start({ state: { appstream: { stacks } } });
    const cfg = config({ stacks: [{ Name: 's-1' }, { Name: 'new' }] });
    const { plan } = await planWith(em, cfg);
    expect(plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(['stack/new create', 'stack/s-1 no-op']);
    expect(await callCounts(em)).toEqual({ DescribeStacks: 10, ListTagsForResource: 1, GetResources: 1 });
  });

  test(`from ${EARLY_BULK_AT} declared resources the bulk read starts with the listing, and stops early in an account far larger than the config`, async () => {
    // 2,000 tagged stacks: 20 bulk pages against 10 ListTagsForResource for the 10 declared stacks.
    const stacks = range(2000).map((i) => ({ Name: `s-${i}`, Tags: { [OWNER_TAG]: 'elsewhere' } }));
    const em = await start({ state: { appstream: { stacks } } });
    const cfg = config({ stacks: range(EARLY_BULK_AT).map((i) => ({ Name: `s-${i}` })) });
    const { plan } = await planWith(em, cfg);
    expect(plan.diagnostics).toHaveLength(EARLY_BULK_AT);
    const counts = await callCounts(em);
    expect(counts).toMatchObject({ DescribeStacks: 80, ListTagsForResource: EARLY_BULK_AT });
    // Never as many early pages as the reads one by one: at worst a little under twice the fewest calls.
    // One GetResources is the owner-filtered read of what this project owns and no longer declares.
    const bulkPages = counts.GetResources - 1;
    expect(bulkPages).toBeGreaterThan(0);
    expect(bulkPages).toBeLessThan(EARLY_BULK_AT);
  });

  test('what bulk tags would make the plan report is read again per resource before it is reported', async () => {
    // Untagged resources are absent from GetResources: the unowned stack shows as an adoption, so it is confirmed.
    const em = await start({ state: { appstream: { stacks: [{ Name: 'unowned' }, { Name: 'theirs', Tags: { [OWNER_TAG]: 'other' } }, { Name: 'a' }, { Name: 'b' }] } } });
    const { plan: first } = await planWith(em, config({ stacks: [{ Name: 'a' }, { Name: 'b' }] }));
    await apply(em, first);
    await em.clearCalls();
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'a' }, { Name: 'b' }, { Name: 'unowned' }, { Name: 'theirs' }] }));
    expect(plan.changes.map((c) => `${c.address} ${c.action}${c.adopt ? ' adopt' : ''}`)).toEqual(['stack/a no-op', 'stack/b no-op', 'stack/theirs no-op', 'stack/unowned update adopt']);
    expect(plan.diagnostics).toMatchObject([{ address: 'stack/theirs', message: expect.stringContaining('owned by project "other"') }]);
    // GetResources: the bulk read, and the owner-filtered one of the kinds not read.
    expect(await callCounts(em)).toEqual({ DescribeStacks: 1, GetResources: 2, ListTagsForResource: 2 });
  });

  test('a plan that reports nothing read from bulk tags is made once; one that does, once more after the reads', async () => {
    const stacks = range(EARLY_BULK_AT).map((i) => ({ Name: name(i) }));
    const em = await start({ state: { appstream: { stacks } } });
    const cfg = config({ stacks });
    await apply(em, (await planWith(em, cfg)).plan);
    const plansOf = async () => {
      const live = await describeLive(cfg, em.clients, { prune: false });
      expect(Object.values(live.stacks).every((s) => s.tagSource === 'bulk')).toBe(true);
      let made = 0;
      const plan = await planConfirmingTags(cfg, em.clients, live, false, (read) => (made++, buildPlan({ loaded: loaded(cfg), live: read, prune: false, region: em.clients.region, endpoint: em.url })));
      return { made, plan };
    };
    const atRest = await plansOf();
    expect({ made: atRest.made, changes: atRest.plan.summary }).toEqual({ made: 1, changes: { create: 0, update: 0, replace: 0, delete: 0 } });

    // A stack whose record is gone (tagged by hand) is reported: read again alone, then planned again with its own tags.
    await em.clearCalls();
    const stack = (await em.clients.appstream.send(new DescribeStacksCommand({ Names: [name(3)] }))).Stacks![0];
    await em.clients.appstream.send(new UntagResourceCommand({ ResourceArn: stack.Arn!, TagKeys: [RECORD_TAG] }));
    await em.clearCalls();
    const changed = await plansOf();
    expect(changed.made).toBe(2);
    expect(changed.plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.address)).toEqual([`stack/${name(3)}`]);
    expect((await callCounts(em)).ListTagsForResource).toBe(1);
  });

  test('with prune, the fleets of a stack to delete are read, and the unowned ones are left unread', async () => {
    const em = await start({ state: { appstream: { stacks: [{ Name: 'gone' }, { Name: 'unowned' }], fleets: [{ Name: 'f', AssociatedStacks: ['gone'] }] } } });
    // Make "gone" this project's, then drop it from the config.
    await apply(em, (await planWith(em, config({ stacks: [{ Name: 'gone' }] }))).plan);
    await em.clearCalls();
    const { plan } = await planWith(em, config(), true);
    expect(plan.calls.map((c) => `${c.operation} ${c.address}`)).toEqual(['DisassociateFleet stack/gone', 'DeleteStack stack/gone']);
    // One bulk page; the deletion it finds is confirmed with the stack's own tags before it is reported.
    // Prune lists the fleets, image builders, app blocks, app block builders and applications too (they may be this
    // project's to delete), and
    // the entitlements of the stacks it owns (found by their owner tag: one more GetResources).
    expect(await callCounts(em)).toEqual({
      DescribeStacks: 1,
      DescribeFleets: 1,
      DescribeImageBuilders: 1,
      DescribeAppBlocks: 1,
      DescribeAppBlockBuilders: 1,
      DescribeApplications: 1,
      DescribeEntitlements: 1,
      GetResources: 2,
      ListTagsForResource: 1,
      ListAssociatedFleets: 1,
    });
  });
});

describe('images and studios', () => {
  test('an unknown image name fails its whole DescribeImages batch: halves find it, the others are described', async () => {
    const em = await start({ state: { appstream: { images: [{ Name: 'a' }, { Name: 'b' }] } } });
    const { plan } = await planWith(em, config({ images: [{ Name: 'a' }, { Name: 'b' }, { Name: 'missing' }] }));
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', address: 'image/missing', message: expect.stringContaining('no image named missing') }]);
    expect(plan.changes.map((c) => `${c.address} ${c.action}`)).toEqual(['image/a update', 'image/b update', 'image/missing no-op']);
    // [a, b, missing] fails; [a, b] succeeds; [missing] fails.
    expect((await callCounts(em)).DescribeImages).toBe(3);
  });

  test('a studio that cannot be listed is an error for each image declared in it; other studios are planned', async () => {
    const em = await start({ state: { nimble: { studios: [{ studioId: 'studio-1' }] } } });
    const { plan } = await planWith(
      em,
      config({ streamingImages: [{ StudioId: 'studio-1', Name: 'ok', Ec2ImageId: 'ami-1' }, { StudioId: 'nope', Name: 'x', Ec2ImageId: 'ami-1' }] }),
    );
    expect(plan.calls.map((c) => `${c.operation} ${c.address}`)).toEqual(['CreateStreamingImage streamingImage/studio-1/ok']);
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', address: 'streamingImage/nope/x', message: expect.stringMatching(/^ListStreamingImages \(nope\) failed: ResourceNotFoundException/) }]);
  });
});

test('a failure to list the account\'s stacks ends the plan with one line', async () => {
  const em = await start({ errorRate: 1 }, { maxAttempts: 1 });
  const error = await describeLive(config(), em.clients, { prune: false }).catch((e: Error) => e);
  expect(error).toMatchObject({ name: 'UserError', message: expect.stringMatching(/^cannot list the account's stacks \(DescribeStacks\): \S+: /) });
  expect((error as Error).message).not.toContain('\n');
});
