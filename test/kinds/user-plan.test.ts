/** Users of the user pool and their stack assignments, planned and applied against the emulator with the real SDK. */
import { afterEach, describe, expect, test } from 'vitest';
import { applyPlan, createApplyClients } from '../../src/apply/applier.js';
import type { ApplySummary } from '../../src/apply/events.js';
import { destroyClients } from '../../src/aws/clients.js';
import type { Config, UserConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { apply, callList, config, converge, emulator, planWith, PROJECT } from '../plan/helpers.js';

let open: TestEmulator[] = [];
async function start(state: EmulatorState = {}, options: { pageSize?: number } = {}) {
  const em = await emulator({ state, ...options });
  open.push(em);
  return em;
}
afterEach(async () => {
  await Promise.all(open.map((em) => em.close()));
  open = [];
});

const POOL = 'USERPOOL' as const;
const user = (UserName: string, more: Partial<UserConfig> = {}): UserConfig => ({ AuthenticationType: POOL, UserName, MessageAction: 'SUPPRESS', ...more });
const owned = { [OWNER_TAG]: PROJECT };
const assignments = async (em: TestEmulator) =>
  ((await em.getState()).appstream?.userStackAssociations ?? []).map((a) => `${a.StackName} ${a.UserName}`).sort();
const users = async (em: TestEmulator) => ((await em.getState()).appstream?.users ?? []).map((u) => u.UserName).sort();

async function applyAll(em: TestEmulator, plan: Plan): Promise<ApplySummary> {
  const clients = createApplyClients({ endpoint: em.url });
  let summary: ApplySummary | undefined;
  try {
    for await (const event of applyPlan(plan, clients, { pollIntervalMs: 10 })) if (event.type === 'summary') summary = event.summary;
  } finally {
    destroyClients(clients);
  }
  return summary!;
}

describe('users', () => {
  test('create with assignments, then an empty plan; MessageAction and Enabled at create', async () => {
    const em = await start();
    const cfg = config({
      stacks: [{ Name: 'desk' }, { Name: 'lab' }],
      users: [
        user('ana@example.com', { FirstName: 'Ana', Stacks: ['desk', { Name: 'lab', SendEmailNotification: true }] }),
        { AuthenticationType: POOL, UserName: 'bob@example.com', Enabled: false, Stacks: ['desk'], SendEmailNotification: false },
      ],
    });
    const { first, second } = await converge(em, cfg);
    expect(callList(first)).toEqual([
      'CreateStack stack/desk',
      'CreateStack stack/lab',
      'CreateUser user/USERPOOL/ana@example.com',
      'CreateUser user/USERPOOL/bob@example.com',
      'DisableUser user/USERPOOL/bob@example.com',
      'BatchAssociateUserStack user/USERPOOL',
    ]);
    const batch = first.calls.find((c) => c.operation === 'BatchAssociateUserStack')!;
    expect(batch.input).toEqual({
      UserStackAssociations: [
        { StackName: 'desk', UserName: 'ana@example.com', AuthenticationType: POOL },
        { StackName: 'desk', UserName: 'bob@example.com', AuthenticationType: POOL, SendEmailNotification: false },
        { StackName: 'lab', UserName: 'ana@example.com', AuthenticationType: POOL, SendEmailNotification: true },
      ],
    });
    // The assignments come after the stacks and the users they name.
    expect(first.changes.find((c) => c.address === 'user/USERPOOL')!.dependsOn).toEqual([
      'stack/desk',
      'stack/lab',
      'user/USERPOOL/ana@example.com',
      'user/USERPOOL/bob@example.com',
    ]);
    // Without SUPPRESS the plan says that AWS emails the user.
    expect(first.changes.find((c) => c.address === 'user/USERPOOL/bob@example.com')!.reason).toMatch(/AWS emails bob@example.com a welcome message/);
    expect(first.changes.find((c) => c.address === 'user/USERPOOL/ana@example.com')!.reason).toBeUndefined();
    expect(first.calls.find((c) => c.address === 'user/USERPOOL/ana@example.com')!.input).toEqual({ UserName: 'ana@example.com', AuthenticationType: POOL, FirstName: 'Ana', MessageAction: 'SUPPRESS' });
    expect(second.calls).toEqual([]);
    expect(second.diagnostics).toEqual([]);
    expect(await assignments(em)).toEqual(['desk ana@example.com', 'desk bob@example.com', 'lab ana@example.com']);
    expect((await em.getState()).appstream?.users?.find((u) => u.UserName === 'bob@example.com')?.Enabled).toBe(false);
  });

  test('Enabled changes in place; a name change replaces the user, marked as an interruption, and assigns it again', async () => {
    const em = await start({
      appstream: {
        stacks: [{ Name: 'desk', Tags: owned }],
        users: [{ UserName: 'ana@example.com', AuthenticationType: POOL, FirstName: 'Ana', LastName: 'Silva' }],
        userStackAssociations: [{ StackName: 'desk', UserName: 'ana@example.com', AuthenticationType: POOL }],
      },
    });
    const disable = config({ stacks: [{ Name: 'desk' }], users: [user('ana@example.com', { Enabled: false, Stacks: ['desk'] })] });
    const { first } = await converge(em, disable);
    expect(callList(first).filter((c) => c.includes('user/'))).toEqual(['DisableUser user/USERPOOL/ana@example.com']);

    const rename = config({ stacks: [{ Name: 'desk' }], users: [user('ana@example.com', { FirstName: 'Anna', Enabled: false, Stacks: ['desk'] })] });
    const { first: replace, second } = await converge(em, rename);
    const change = replace.changes.find((c) => c.address === 'user/USERPOOL/ana@example.com')!;
    expect(change.action).toBe('replace');
    expect(change.diffs).toEqual([{ path: 'FirstName', impact: 'replace', before: 'Ana', after: 'Anna' }]);
    expect(change.interruption).toMatch(/^deletes and recreates user ana@example.com: ends their sessions/);
    expect(callList(replace).filter((c) => c.includes('user/'))).toEqual([
      'DeleteUser user/USERPOOL/ana@example.com',
      'CreateUser user/USERPOOL/ana@example.com',
      'DisableUser user/USERPOOL/ana@example.com',
      'BatchAssociateUserStack user/USERPOOL',
    ]);
    // The undeclared last name is kept.
    expect(replace.calls.find((c) => c.operation === 'CreateUser')!.input).toMatchObject({ FirstName: 'Anna', LastName: 'Silva' });
    expect(second.calls).toEqual([]);
    expect(await assignments(em)).toEqual(['desk ana@example.com']);
  });

  test('names that differ only in case are warned about', async () => {
    const em = await start({ appstream: { users: [{ UserName: 'Carla@example.com', AuthenticationType: POOL }] } });
    const { plan } = await planWith(em, config({ users: [user('ana@example.com'), user('Ana@example.com'), user('carla@example.com')] }));
    expect(plan.diagnostics.map((d) => `${d.severity} ${d.address}: ${d.message}`)).toEqual([
      'warning user/USERPOOL/Ana@example.com: Ana@example.com and ana@example.com differ only in case; user names are case-sensitive, so these are two users',
      'warning user/USERPOOL/carla@example.com: the user pool has Carla@example.com, which differs from carla@example.com only in case; user names are case-sensitive, so this declares another user',
    ]);
    expect(callList(plan)).toEqual(['CreateUser user/USERPOOL/Ana@example.com', 'CreateUser user/USERPOOL/ana@example.com', 'CreateUser user/USERPOOL/carla@example.com']);
  });
});

describe('assignments', () => {
  test("the project's stacks: a user assigned by hand, or removed from the config, is unassigned and kept; other stacks are left alone", async () => {
    const em = await start({
      appstream: {
        stacks: [{ Name: 'desk', Tags: owned }, { Name: 'other' }, { Name: 'theirs', Tags: { [OWNER_TAG]: 'elsewhere' } }],
        users: ['ana', 'hand', 'gone'].map((n) => ({ UserName: `${n}@example.com`, AuthenticationType: POOL })),
        userStackAssociations: [
          { StackName: 'desk', UserName: 'hand@example.com', AuthenticationType: POOL },
          { StackName: 'desk', UserName: 'gone@example.com', AuthenticationType: POOL },
          { StackName: 'other', UserName: 'hand@example.com', AuthenticationType: POOL },
          { StackName: 'theirs', UserName: 'gone@example.com', AuthenticationType: POOL },
        ],
      },
    });
    const cfg = config({ stacks: [{ Name: 'desk' }], users: [user('ana@example.com', { Stacks: ['desk', 'other'] })] });
    for (const prune of [false, true]) {
      const { plan } = await planWith(em, cfg, prune);
      const change = plan.changes.find((c) => c.address === 'user/USERPOOL')!;
      expect(change.diffs).toEqual([
        { path: 'Stacks.desk', impact: 'update', added: ['ana@example.com'], removed: ['gone@example.com', 'hand@example.com'] },
        { path: 'Stacks.other', impact: 'update', added: ['ana@example.com'] },
      ]);
      expect(change.reason).toMatch(/gone@example.com, hand@example.com are not declared \(assigned by hand, or removed from the config\): unassigned, but kept in the user pool/);
      // Prune never deletes a user.
      expect(callList(plan).filter((c) => c.includes('user'))).toEqual(['BatchDisassociateUserStack user/USERPOOL', 'BatchAssociateUserStack user/USERPOOL']);
    }
    const { second } = await converge(em, cfg, true);
    expect(second.calls).toEqual([]);
    expect(await assignments(em)).toEqual(['desk ana@example.com', 'other ana@example.com', 'other hand@example.com', 'theirs gone@example.com']);
    expect(await users(em)).toEqual(['ana@example.com', 'gone@example.com', 'hand@example.com']);
  });

  test('60 assignment changes across users are 3 batch calls of at most 25', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `u${String(i).padStart(2, '0')}@example.com`);
    const em = await start({ appstream: { stacks: ['a', 'b', 'c'].map((Name) => ({ Name, Tags: owned })), users: names.map((UserName) => ({ UserName, AuthenticationType: POOL })) } });
    const cfg = config({ stacks: ['a', 'b', 'c'].map((Name) => ({ Name })), users: names.map((n) => user(n, { Stacks: ['a', 'b', 'c'] })) });
    const { first, second } = await converge(em, cfg);
    const batches = first.calls.filter((c) => c.address.startsWith('user/'));
    expect(batches.map((c) => `${c.operation} ${c.address} ${(c.input.UserStackAssociations as unknown[]).length}`)).toEqual([
      'BatchAssociateUserStack user/USERPOOL 25',
      'BatchAssociateUserStack user/USERPOOL 25',
      'BatchAssociateUserStack user/USERPOOL 10',
    ]);
    expect(second.calls).toEqual([]);
    // Removing them all again: 3 disassociation calls.
    const { first: removal } = await converge(em, config({ stacks: cfg.stacks, users: [user('u00@example.com', { Stacks: [] })] }));
    expect(removal.calls.filter((c) => c.address.startsWith('user/')).map((c) => `${c.operation} ${(c.input.UserStackAssociations as unknown[]).length}`)).toEqual([
      'BatchDisassociateUserStack 25',
      'BatchDisassociateUserStack 25',
      'BatchDisassociateUserStack 10',
    ]);
  });

  test('entries that fail fail by name, the rest stands, and the later batches still run', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `u${String(i).padStart(2, '0')}@example.com`);
    const em = await start({ appstream: { stacks: [{ Name: 'a', Tags: owned }], users: names.map((UserName) => ({ UserName, AuthenticationType: POOL })) } });
    const cfg = config({ stacks: [{ Name: 'a' }], users: names.map((n) => user(n, { Stacks: ['a'] })) });
    const { plan } = await planWith(em, cfg);
    // Someone deletes two users between plan and apply: one in each batch.
    const state = await em.getState();
    state.appstream!.users = state.appstream!.users!.filter((u) => !['u03@example.com', 'u27@example.com'].includes(u.UserName!));
    await em.setState(state);
    const summary = await applyAll(em, plan);
    expect(summary.failures.map((f) => `${f.operation}: ${f.message}`)).toEqual([
      'BatchAssociateUserStack: 1 entry failed (the others were applied): u03@example.com on stack a: USER_NAME_NOT_FOUND: User u03@example.com not found.',
      'BatchAssociateUserStack: 1 entry failed (the others were applied): u27@example.com on stack a: USER_NAME_NOT_FOUND: User u27@example.com not found.',
    ]);
    expect(await assignments(em)).toHaveLength(28);
  });

  test('errors before any call: a domain-joined fleet, an unknown stack, a stack of another project', async () => {
    const em = await start({
      appstream: {
        stacks: [{ Name: 'ad', Tags: owned }, { Name: 'theirs', Tags: { [OWNER_TAG]: 'elsewhere' } }],
        images: [{ Name: 'base' }],
        fleets: [{ Name: 'joined', ImageName: 'base', AssociatedStacks: ['ad'], DomainJoinInfo: { DirectoryName: 'corp.example.com' } }],
      },
    });
    const fleets = { fleets: [{ Name: 'joined', DomainJoinInfo: { DirectoryName: 'corp.example.com' } }] } as unknown as Partial<Config>;
    // With prune every stack's tags are read, so another project's stack is known as such even when not declared.
    const { plan } = await planWith(em, config({ ...fleets, stacks: [{ Name: 'ad', Fleets: ['joined'] }], users: [user('ana@example.com', { Stacks: ['ad', 'nowhere', 'theirs'] })] }), true);
    expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'users in a user pool cannot be assigned to stack ad: its fleet joined is joined to an Active Directory domain',
      'stack nowhere does not exist and this config does not declare it',
      'stack theirs is owned by project "elsewhere" (tag streamform:project); its users are left alone',
    ]);
    expect(plan.calls.filter((c) => c.operation.startsWith('Batch'))).toEqual([]);
  });
});

describe('describe', () => {
  test('reads the pool once and each named stack once, at the lowest call count', async () => {
    const names = Array.from({ length: 1200 }, (_, i) => `u${String(i).padStart(4, '0')}@example.com`);
    const em = await start(
      {
        appstream: {
          stacks: [{ Name: 'a', Tags: owned }, { Name: 'b', Tags: owned }],
          users: names.map((UserName) => ({ UserName, AuthenticationType: POOL })),
          userStackAssociations: names.slice(0, 600).map((UserName) => ({ UserName, AuthenticationType: POOL, StackName: 'a' })),
        },
      },
      {},
    );
    await em.clearCalls();
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'a' }, { Name: 'b' }], users: names.slice(0, 600).map((n) => user(n, { Stacks: ['a'] })) }));
    expect(plan.calls.filter((c) => c.address.startsWith('user/'))).toEqual([]);
    const counts: Record<string, number> = {};
    for (const call of await em.calls()) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    // The pool in one page (MaxResults has no maximum), the 600 assignments of stack a in two (500 a page), b's in one.
    expect(counts).toMatchObject({ DescribeUsers: 1, DescribeUserStackAssociations: 3 });
  });

  test('a config without users reads nothing of the pool and changes no assignment', async () => {
    const em = await start({
      appstream: {
        stacks: [{ Name: 'desk', Tags: owned }],
        users: [{ UserName: 'hand@example.com', AuthenticationType: POOL }],
        userStackAssociations: [{ StackName: 'desk', UserName: 'hand@example.com', AuthenticationType: POOL }],
      },
    });
    await em.clearCalls();
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'desk' }] }), true);
    expect(plan.changes.filter((c) => c.kind === 'user')).toEqual([]);
    expect((await em.calls()).map((c) => c.operation).filter((op) => op.includes('User'))).toEqual([]);
    await apply(em, plan);
  });
});
