/** Entitlements planned and applied against the emulator with the real SDK: owned through their stack, attributes and applications as sets. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Config, EntitlementConfig, StackConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { driftReport } from '../../src/drift/report.js';
import { phasesOf } from '../../src/plan/build.js';
import { loadConfig } from '../../src/config/load.js';
import { planDeclaredEntitlement, planEntitlementDeletion } from '../../src/kinds/entitlement/plan.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { apply, callList, config, convergeClean, emulator, planWith, PROJECT } from '../plan/helpers.js';
import { applicationsNamed } from './entitlement-fixtures.js';

const owned = { [OWNER_TAG]: PROJECT };
const APPLICATIONS = applicationsNamed('blender', 'maya', 'nuke', 'paint');
const DESIGN = [{ Name: 'department', Value: 'design' } as const];
const entitlement = (more: Partial<EntitlementConfig> = {}): EntitlementConfig => ({ StackName: 'desk', Name: 'designers', AppVisibility: 'ASSOCIATED', Attributes: [...DESIGN], ...more });
const withStacks = (entitlements: EntitlementConfig[], stacks: StackConfig[] = [{ Name: 'desk' }], more: Partial<Config> = {}) => config({ stacks, entitlements, ...more });
const live = async (em: TestEmulator) => ((await em.getState()).appstream?.entitlements ?? []).map(({ StackName, Name, AppVisibility, Attributes, Description, Applications }) => ({ StackName, Name, AppVisibility, Attributes, Description, Applications }));

let em: TestEmulator;
/** Seeds the account, then applies the declared stacks alone, so that only entitlements differ from the config. */
async function seed({ appstream }: EmulatorState, stacks: StackConfig[] = [{ Name: 'desk' }]): Promise<void> {
  await em.setState({ appstream: { ...APPLICATIONS, ...appstream } });
  await apply(em, (await planWith(em, config({ stacks }))).plan);
  await em.clearCalls();
}
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());
beforeEach(async () => {
  await em.setState({ appstream: APPLICATIONS });
  await em.clearCalls();
});

describe('create and update', () => {
  test('an entitlement is created after its stack, with its applications, and the next plan is empty', async () => {
    const cfg = withStacks([entitlement({ Description: 'Design team', Applications: ['nuke', 'maya'] })]);
    const first = await convergeClean(em, cfg);
    expect(callList(first)).toEqual([
      'CreateStack stack/desk',
      'CreateEntitlement entitlement/desk/designers',
      'AssociateApplicationToEntitlement entitlement/desk/designers',
      'AssociateApplicationToEntitlement entitlement/desk/designers',
    ]);
    const change = first.changes.find((c) => c.address === 'entitlement/desk/designers')!;
    expect(change).toMatchObject({ action: 'create', dependsOn: ['stack/desk'] });
    expect(first.calls[1].input).toEqual({ StackName: 'desk', Name: 'designers', Description: 'Design team', AppVisibility: 'ASSOCIATED', Attributes: DESIGN });
    expect(first.calls.slice(2).map((c) => c.input.ApplicationIdentifier)).toEqual(['maya', 'nuke']);
    expect(await live(em)).toEqual([{ StackName: 'desk', Name: 'designers', AppVisibility: 'ASSOCIATED', Attributes: DESIGN, Description: 'Design team', Applications: ['maya', 'nuke'] }]);
  });

  test('one UpdateEntitlement with what changed; attributes compare as a set; applications are added and removed', async () => {
    await convergeClean(em, withStacks([entitlement({ Description: 'Design team', Applications: ['maya', 'nuke'], Attributes: [...DESIGN, { Name: 'roles', Value: 'artist' }] })]));
    // The same attributes in another order are the same set: nothing to do.
    const reordered = withStacks([entitlement({ Description: 'Design team', Applications: ['nuke', 'maya'], Attributes: [{ Name: 'roles', Value: 'artist' }, ...DESIGN] })]);
    expect((await planWith(em, reordered)).plan.calls).toEqual([]);

    const changed = withStacks([entitlement({ Description: null, AppVisibility: 'ALL', Applications: ['maya', 'blender'], Attributes: [...DESIGN, { Name: 'groups', Value: 'vfx' }] })]);
    const first = await convergeClean(em, changed);
    expect(callList(first)).toEqual([
      'UpdateEntitlement entitlement/desk/designers',
      'AssociateApplicationToEntitlement entitlement/desk/designers',
      'DisassociateApplicationFromEntitlement entitlement/desk/designers',
    ]);
    expect(first.calls[0].input).toEqual({
      StackName: 'desk',
      Name: 'designers',
      Description: '',
      AppVisibility: 'ALL',
      Attributes: [
        { Name: 'department', Value: 'design' },
        { Name: 'groups', Value: 'vfx' },
      ],
    });
    const change = first.changes.find((c) => c.address === 'entitlement/desk/designers')!;
    expect(change.drift).toBe(true);
    expect(change.diffs.find((d) => d.path === 'Attributes')).toMatchObject({ added: [{ Name: 'groups', Value: 'vfx' }], removed: [{ Name: 'roles', Value: 'artist' }] });
    expect(change.diffs.find((d) => d.path === 'Applications')).toMatchObject({ added: ['blender'], removed: ['nuke'] });
    expect(await live(em)).toEqual([{ StackName: 'desk', Name: 'designers', AppVisibility: 'ALL', Attributes: first.calls[0].input.Attributes, Description: undefined, Applications: ['blender', 'maya'] }]);
  });

  test('an application associated by hand is disassociated and reported as drift; a left-out Description is not managed', async () => {
    await seed({
      appstream: {
        stacks: [{ Name: 'desk' }],
        entitlements: [{ StackName: 'desk', Name: 'designers', AppVisibility: 'ASSOCIATED', Attributes: [...DESIGN], Description: 'set by hand', Applications: ['maya', 'paint'] }],
      },
    });
    const cfg = withStacks([entitlement({ Applications: ['maya'] })]);
    const { plan } = await planWith(em, cfg);
    expect(callList(plan)).toEqual(['DisassociateApplicationFromEntitlement entitlement/desk/designers']);
    expect(plan.calls[0].input).toEqual({ StackName: 'desk', EntitlementName: 'designers', ApplicationIdentifier: 'paint' });
    const report = driftReport(plan);
    expect(report.plan.changes.map((c) => [c.address, c.reason])).toEqual([
      ['entitlement/desk/designers', expect.stringMatching(/^paint is associated but not declared \(associated by hand, or removed from the config/)],
    ]);
    await apply(em, plan);
    expect((await planWith(em, cfg)).plan.calls).toEqual([]);
    expect((await live(em))[0]).toMatchObject({ Description: 'set by hand', Applications: ['maya'] });
  });

  test('Applications left out means none: the associations of a declared entitlement go', async () => {
    await seed({
      appstream: { stacks: [{ Name: 'desk' }], entitlements: [{ StackName: 'desk', Name: 'designers', AppVisibility: 'ALL', Attributes: [...DESIGN], Applications: ['maya'] }] },
    });
    const first = await convergeClean(em, withStacks([entitlement({ AppVisibility: 'ALL' })]));
    expect(callList(first)).toEqual(['DisassociateApplicationFromEntitlement entitlement/desk/designers']);
    expect((await live(em))[0].Applications).toBeUndefined();
  });
});

describe('owned through the stack', () => {
  test('an entitlement on a stack the config does not declare, or another project owns, is an error before any call', async () => {
    await em.setState({ appstream: { ...APPLICATIONS, stacks: [{ Name: 'desk', Tags: { [OWNER_TAG]: 'other' } }, { Name: 'lab' }] } });
    const cfg = withStacks([entitlement(), entitlement({ StackName: 'lab' })]);
    const { plan } = await planWith(em, cfg);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics.filter((d) => d.address?.startsWith('entitlement/')).map((d) => [d.address, d.severity, d.message])).toEqual([
      ['entitlement/desk/designers', 'error', 'stack desk is owned by project "other" (tag streamform:project); its entitlements are left alone'],
      ['entitlement/lab/designers', 'error', 'stack lab is not declared in this config: an entitlement belongs to its stack, which this project must own; declare the stack'],
    ]);
    // Only the declared stack is read (who owns it is known once its tags are in); the undeclared one is not.
    expect((await em.calls()).filter((c) => c.operation === 'DescribeEntitlements')).toHaveLength(1);
  });

  test('on a declared stack nobody owns yet, an existing entitlement is adopted with the stack', async () => {
    await em.setState({ appstream: { ...APPLICATIONS, stacks: [{ Name: 'desk' }], entitlements: [{ StackName: 'desk', Name: 'designers', AppVisibility: 'ASSOCIATED', Attributes: [...DESIGN] }] } });
    const first = await convergeClean(em, withStacks([entitlement()]));
    expect(first.changes.find((c) => c.address === 'entitlement/desk/designers')).toMatchObject({ action: 'no-op', adopt: true });
    expect(callList(first)).toEqual(['TagResource stack/desk']);
  });

  test('with prune, the entitlements a managed stack no longer declares go, their applications first; other stacks are left alone', async () => {
    const state: EmulatorState = {
      appstream: {
        stacks: [{ Name: 'desk' }, { Name: 'lab', Tags: { [OWNER_TAG]: 'other' } }, { Name: 'free' }],
        entitlements: [
          { StackName: 'desk', Name: 'designers', AppVisibility: 'ALL', Attributes: [...DESIGN] },
          { StackName: 'desk', Name: 'old', AppVisibility: 'ASSOCIATED', Attributes: [...DESIGN], Applications: ['maya', 'nuke'] },
          { StackName: 'lab', Name: 'theirs', AppVisibility: 'ALL', Attributes: [...DESIGN] },
          { StackName: 'free', Name: 'loose', AppVisibility: 'ALL', Attributes: [...DESIGN] },
        ],
      },
    };
    await seed(state);
    const cfg = withStacks([entitlement({ AppVisibility: 'ALL' })]);
    expect((await planWith(em, cfg)).plan.calls).toEqual([]);
    const first = await convergeClean(em, cfg, true);
    expect(callList(first)).toEqual([
      'DisassociateApplicationFromEntitlement entitlement/desk/old',
      'DisassociateApplicationFromEntitlement entitlement/desk/old',
      'DeleteEntitlement entitlement/desk/old',
    ]);
    expect(first.changes.find((c) => c.address === 'entitlement/desk/old')).toMatchObject({ action: 'delete', dependsOn: ['stack/desk'] });
    expect((await live(em)).map((e) => `${e.StackName}/${e.Name}`)).toEqual(['desk/designers', 'free/loose', 'lab/theirs']);
  });

  test('a stack that prune deletes lets go of its entitlements first, their applications first of all', async () => {
    await seed({
      appstream: {
        stacks: [{ Name: 'desk' }, { Name: 'lab', Tags: owned }],
        entitlements: [
          { StackName: 'desk', Name: 'designers', AppVisibility: 'ALL', Attributes: [...DESIGN] },
          { StackName: 'lab', Name: 'designers', AppVisibility: 'ASSOCIATED', Attributes: [...DESIGN], Applications: ['maya'] },
        ],
      },
    });
    const first = await convergeClean(em, withStacks([entitlement({ AppVisibility: 'ALL' })]), true);
    expect(callList(first)).toEqual(['DisassociateApplicationFromEntitlement entitlement/lab/designers', 'DeleteEntitlement entitlement/lab/designers', 'DeleteStack stack/lab']);
    // The stack's deletion waits for its entitlement's: a later phase.
    expect(first.calls[1].phase).toBeLessThan(first.calls[2].phase);
    expect((await live(em)).map((e) => `${e.StackName}/${e.Name}`)).toEqual(['desk/designers']);
  });

  test('where the tagging API is refused, only the declared stacks are read: a pruned stack is deleted without its entitlements first', async () => {
    const denied = await emulator({ denyTagging: true });
    try {
      await denied.setState({
        appstream: { stacks: [{ Name: 'desk' }, { Name: 'lab', Tags: owned }], entitlements: [{ StackName: 'lab', Name: 'designers', AppVisibility: 'ALL', Attributes: [...DESIGN] }] },
      });
      const { plan } = await planWith(denied, withStacks([]), true);
      expect(callList(plan)).toEqual(['TagResource stack/desk', 'DeleteStack stack/lab']);
      expect(plan.diagnostics).toEqual([]);
    } finally {
      await denied.close();
    }
  });

  test('a deleted entitlement goes before its stack and the applications it grants, when the plan deletes them too', () => {
    const subject = (address: string) => ({ address, kind: address.split('/')[0], liveDigest: null });
    const entitlementPlan = planEntitlementDeletion('lab', { entitlement: { Name: 'e', StackName: 'lab', AppVisibility: 'ALL', Attributes: [] }, applications: ['maya'] }, subject('entitlement/lab/e'));
    expect(entitlementPlan.calls.map((c) => c.operation)).toEqual(['DisassociateApplicationFromEntitlement', 'DeleteEntitlement']);
    const deleted = (address: string) => ({ change: { address, action: 'delete' as const, dependsOn: [] } });
    const { phases } = phasesOf([entitlementPlan as never, deleted('stack/lab') as never, deleted('application/maya') as never]);
    expect(phases.get('entitlement/lab/e')).toBeLessThan(phases.get('stack/lab')!);
    expect(phases.get('entitlement/lab/e')).toBeLessThan(phases.get('application/maya')!);
  });
});

test('an entitlement depends on its stack and on the applications it grants, which the planner keeps when the plan declares them', async () => {
  const cfg = withStacks([entitlement({ Applications: ['maya'] })]);
  const ctx = { project: PROJECT, prune: false, now: new Date(), configDigest: () => '', describeErrors: new Map() };
  const liveState = { stacks: {}, entitlements: {} } as never;
  const planned = planDeclaredEntitlement(ctx, cfg, cfg.entitlements![0], liveState, { address: 'entitlement/desk/designers', kind: 'entitlement', liveDigest: null });
  expect(planned.change.dependsOn).toEqual(['stack/desk', 'application/maya']);
});

test('the example converges', async () => {
  await em.setState({ appstream: applicationsNamed('color-grading', 'photo-editor') });
  const { config: example } = await loadConfig(['examples/entitlements/streamform.yaml']);
  const first = await convergeClean(em, example);
  expect(first.changes.filter((c) => c.kind === 'entitlement').map((c) => `${c.address} ${c.action}`)).toEqual(['entitlement/design/admins create', 'entitlement/design/designers create']);
});

describe('reads', () => {
  test('DescribeEntitlements once per stack (paged), ListEntitledApplications once per managed entitlement (paged), nothing else', async () => {
    const small = await emulator({ pageSize: 2 });
    try {
      await small.setState({
        appstream: {
          ...applicationsNamed('x', 'y', 'z'),
          stacks: ['a', 'b', 'c'].map((Name) => ({ Name, Tags: owned })),
          entitlements: [
            ...['e1', 'e2', 'e3'].map((Name) => ({ StackName: 'a', Name, AppVisibility: 'ALL', Attributes: [...DESIGN], Applications: ['x', 'y', 'z'] })),
            { StackName: 'b', Name: 'e1', AppVisibility: 'ALL', Attributes: [...DESIGN] },
          ],
        },
      });
      const stacks = ['a', 'b', 'c'].map((Name) => ({ Name }));
      const reads = async (cfg: Config, prune: boolean) => {
        await small.clearCalls();
        await planWith(small, cfg, prune);
        const calls = (await small.calls()).filter((c) => c.operation.includes('Entitle'));
        return Object.fromEntries(['DescribeEntitlements', 'ListEntitledApplications'].map((operation) => [operation, calls.filter((c) => c.operation === operation).length]));
      };
      const one = entitlement({ StackName: 'a', Name: 'e1', AppVisibility: 'ALL', Applications: ['x', 'y', 'z'] });
      // Without prune: only the stack an entitlement names (3 entitlements: 2 pages), and the declared one's applications (3: 2 pages).
      expect(await reads(withStacks([one], stacks), false)).toEqual({ DescribeEntitlements: 2, ListEntitledApplications: 2 });
      // With prune: every declared stack (2 + 1 + 1 pages), and the applications of every entitlement that stays or goes (3 × 2 + 1).
      expect(await reads(withStacks([one], stacks), true)).toEqual({ DescribeEntitlements: 4, ListEntitledApplications: 7 });
      // A config without entitlements, and without prune, reads none.
      expect(await reads(config({ stacks }), false)).toEqual({ DescribeEntitlements: 0, ListEntitledApplications: 0 });
    } finally {
      await small.close();
    }
  });
});
