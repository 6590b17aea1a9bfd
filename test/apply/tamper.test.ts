/**
 * A saved plan is applied later from a CI artifact: it must be safe against anyone who can write
 * that file. `apply PLAN` plans again and runs the saved calls only when they are exactly the calls
 * computed now, in the account, region and endpoint they were planned for.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { Plan } from '../../src/core/plan.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace } from './cli.js';

const OWNER = 'streamform:project';
const MUTATIONS = /^(Create|Update|Delete|Associate|Disassociate|Tag|Untag|Start|Stop)/;

const ACCOUNT: EmulatorState = {
  account: '123456789012',
  appstream: {
    stacks: [
      { Name: 'design', Description: 'old', Tags: { [OWNER]: 'shop' } },
      { Name: 'kiosk', Description: 'not ours' },
      { Name: 'ledger', Tags: { [OWNER]: 'finance' } },
    ],
    images: [{ Name: 'base', State: 'AVAILABLE', Visibility: 'PRIVATE' }],
  },
};

const SHOP = `version: 1
project: shop
stacks:
  - Name: design
    Description: new
images:
  - Name: base
    SharedWith:
      - { AccountId: "111111111111", AllowFleet: true, AllowImageBuilder: false }
`;

let work: string;
let emulator: TestEmulator;
let saved: Plan;

useCliWorkspace({ 'shop.yaml': SHOP }, ACCOUNT, (dir, started) => {
  work = dir;
  emulator = started;
});
beforeEach(async () => {
  const planned = await streamform(['plan', '-f', 'shop.yaml', '--endpoint', emulator.url, '--region', 'us-east-1', '--out', 'p.json'], work);
  expect(planned.code).toBe(0);
  saved = JSON.parse(readFileSync(join(work, 'p.json'), 'utf8')) as Plan;
  await emulator.clearCalls();
});

const mutations = async () => (await emulator.calls()).filter((call) => MUTATIONS.test(call.operation));

/** Writes an edited copy of the saved plan and applies it. */
async function applyEdited(edit: (plan: Plan) => void) {
  const plan = structuredClone(saved);
  edit(plan);
  writeFileSync(join(work, 'edited.json'), JSON.stringify(plan));
  return streamform(['apply', 'edited.json', '--endpoint', emulator.url], work);
}

const arn = (name: string) => `arn:aws:appstream:us-east-1:123456789012:stack/${name}`;
/** Adds a call at the end of the plan, as its last phase. */
const append = (plan: Plan, address: string, operation: string, input: Record<string, unknown>) => {
  const last = plan.calls.at(-1)!;
  if (!plan.changes.some((c) => c.address === address)) {
    plan.changes.push({ address, kind: 'stack', action: 'update', drift: false, adopt: false, diffs: [], liveDigest: null, reasonCode: 'update', dependsOn: [] });
    plan.summary.update++;
  }
  plan.calls.push({ id: last.id + 1, address, service: 'appstream', operation, input, phase: last.phase });
};

describe('apply PLAN refuses a plan file edited after review, before the first call', () => {
  it.each([
    ['an added DeleteStack of an unowned stack', (p: Plan) => append(p, 'stack/kiosk', 'DeleteStack', { Name: 'kiosk' }), /call \d+ \(DeleteStack stack\/kiosk\) is not in the plan computed now/],
    ["an added DeleteStack of another project's stack", (p: Plan) => append(p, 'stack/ledger', 'DeleteStack', { Name: 'ledger' }), /DeleteStack stack\/ledger/],
    [
      'an image shared with a foreign account',
      (p: Plan) => {
        const share = p.calls.find((c) => c.operation === 'UpdateImagePermissions')!;
        share.input.SharedAccountId = '666666666666';
      },
      /call \d+ \(UpdateImagePermissions image\/base\) has another input than the plan computed now/,
    ],
    [
      "the record's TagResource retargeted at another project's stack",
      (p: Plan) => {
        const tag = p.calls.find((c) => c.operation === 'TagResource' && c.address === 'stack/design')!;
        tag.input.ResourceArn = arn('ledger');
      },
      /TagResource stack\/design\) has another input/,
    ],
    [
      'a changed input',
      (p: Plan) => {
        p.calls.find((c) => c.operation === 'UpdateStack')!.input.Description = 'EVIL';
      },
      /call \d+ \(UpdateStack stack\/design\) has another input than the plan computed now/,
    ],
    [
      'a removed call',
      (p: Plan) => {
        p.calls = p.calls.filter((c) => c.operation !== 'UpdateImagePermissions').map((c, i) => ({ ...c, id: i + 1 }));
      },
      /call 1 \(TagResource image\/base\) is UpdateImagePermissions image\/base now/,
    ],
  ])('%s', async (_, edit, message) => {
    const result = await applyEdited(edit);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await mutations()).toEqual([]);
  });

  it('a plan with errors whose error diagnostics were removed is still refused', async () => {
    // Another project takes the stack over after the plan: the plan computed now has an error.
    await emulator.setState({ ...ACCOUNT, appstream: { ...ACCOUNT.appstream, stacks: [{ Name: 'design', Description: 'old', Tags: { [OWNER]: 'finance' } }, ...ACCOUNT.appstream!.stacks!.slice(1)] } });
    await emulator.clearCalls();
    const result = await applyEdited((p) => (p.diagnostics = []));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^streamform: apply: edited\.json (is stale|is not the plan)/);
    expect(await mutations()).toEqual([]);
  });

  it('shows and runs the calls it computed, so an edited summary cannot hide a delete', async () => {
    const result = await applyEdited((p) => (p.summary = { create: 0, update: 0, replace: 0, delete: 0 }));
    // The summary is checked against the changes when the file is read.
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/summary\.update/);
  });

  it('applies the unedited plan, showing the calls that run', async () => {
    const result = await streamform(['apply', 'p.json', '--endpoint', emulator.url], work);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/UpdateStack stack\/design/);
    expect((await mutations()).map((c) => c.operation).sort()).toEqual(['TagResource', 'TagResource', 'UpdateImagePermissions', 'UpdateStack']);
  });
});

describe('apply PLAN runs only where it was planned', () => {
  it('refuses another account, naming both', async () => {
    await emulator.setState({ ...ACCOUNT, account: '999999999999' });
    const result = await streamform(['apply', 'p.json', '--endpoint', emulator.url], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('streamform: apply: p.json was planned for account 123456789012 in us-east-1; these credentials reach 999999999999\n');
  });

  it('refuses another region and another endpoint', async () => {
    const region = await streamform(['apply', 'p.json', '--endpoint', emulator.url, '--region', 'eu-west-1'], work);
    expect(region.stderr).toBe('streamform: apply: p.json was planned for region us-east-1, not eu-west-1\n');
    const other = await startTestEmulator({});
    try {
      const endpoint = await streamform(['apply', 'p.json', '--endpoint', other.url], work);
      expect(endpoint.code).toBe(1);
      expect(endpoint.stderr).toBe(`streamform: apply: p.json was planned against endpoint ${emulator.url}, not endpoint ${other.url}\n`);
    } finally {
      await other.close();
    }
    expect(await mutations()).toEqual([]);
  });

  it('every plan records its account', () => {
    expect(saved.target).toEqual({ region: 'us-east-1', endpoint: emulator.url, account: '123456789012' });
  });
});
