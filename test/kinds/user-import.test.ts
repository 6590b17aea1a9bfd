/** Import of users and their assignments, and the apply-then-empty-plan property over users. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Config, UserConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { apply, config, emulator, planWith, PROJECT } from '../plan/helpers.js';

const POOL = 'USERPOOL' as const;
let em: TestEmulator;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());

describe('import', () => {
  test('declares every user with its names, Enabled and stacks, and a plan of the imported config assigns nothing again', async () => {
    const state: EmulatorState = {
      appstream: {
        stacks: [{ Name: 'desk', Tags: { [OWNER_TAG]: PROJECT } }, { Name: 'lab' }],
        users: [
          { UserName: 'ana@example.com', AuthenticationType: POOL, FirstName: 'Ana', LastName: 'Silva' },
          { UserName: 'bob@example.com', AuthenticationType: POOL, Enabled: false },
        ],
        userStackAssociations: [
          { StackName: 'desk', UserName: 'ana@example.com', AuthenticationType: POOL },
          { StackName: 'lab', UserName: 'ana@example.com', AuthenticationType: POOL },
        ],
      },
    };
    await em.setState(state);
    const live = await describeAccount(em.clients, { studios: [] });
    const { config: imported, notes } = buildImport(live, { project: PROJECT, region: 'us-east-1' });
    expect(imported.users).toEqual([
      { AuthenticationType: POOL, UserName: 'ana@example.com', FirstName: 'Ana', LastName: 'Silva', MessageAction: 'SUPPRESS', Stacks: ['desk', 'lab'] },
      { AuthenticationType: POOL, UserName: 'bob@example.com', Enabled: false, MessageAction: 'SUPPRESS' },
    ]);
    expect(notes.filter((n) => n.address.startsWith('user/')).map((n) => n.message)).toContain('users carry no tags: streamform manages this user from now on but never deletes it');
    const { plan } = await planWith(em, imported);
    expect(plan.calls.filter((c) => c.address.startsWith('user/'))).toEqual([]);
    expect(plan.diagnostics.filter((d) => d.address?.startsWith('user/'))).toEqual([]);
  });
});

describe('the apply-then-empty-plan property', () => {
  const STACKS = ['a', 'b', 'c'];
  const NAMES = ['ana@example.com', 'Ana@example.com', 'bob@example.com', 'cy@example.com'];
  const userArb = (UserName: string) =>
    fc.record(
      {
        AuthenticationType: fc.constant(POOL),
        UserName: fc.constant(UserName),
        FirstName: fc.constantFrom('Ana', 'Bo', 'Cy'),
        LastName: fc.constantFrom('Silva', 'Lee'),
        Enabled: fc.boolean(),
        MessageAction: fc.constant('SUPPRESS' as const),
        SendEmailNotification: fc.boolean(),
        Stacks: fc.uniqueArray(
          fc.oneof(fc.constantFrom(...STACKS), fc.record({ Name: fc.constantFrom(...STACKS), SendEmailNotification: fc.boolean() })),
          { selector: (s) => (typeof s === 'string' ? s : s.Name), maxLength: 3 },
        ),
      },
      { requiredKeys: ['AuthenticationType', 'UserName', 'MessageAction'] },
    );
  const usersArb = fc.subarray(NAMES).chain((names) => fc.tuple(...names.map(userArb)));

  test('any two user configs applied one after the other converge', async () => {
    await fc.assert(
      fc.asyncProperty(usersArb, usersArb, async (before, after) => {
        await em.setState({ appstream: { stacks: STACKS.map((Name) => ({ Name })) } });
        const stacks = STACKS.map((Name) => ({ Name }));
        for (const users of [before, after] as UserConfig[][]) {
          const cfg: Config = config({ stacks, users });
          await apply(em, (await planWith(em, cfg)).plan);
          const { plan } = await planWith(em, cfg);
          expect(plan.calls).toEqual([]);
        }
      }),
      { numRuns: 12, seed: 11 },
    );
  }, 60_000);
});
