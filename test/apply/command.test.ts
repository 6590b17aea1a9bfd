/**
 * `streamform apply` end to end: the built CLI against the emulator, with the real SDK clients.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateStackCommand } from '@aws-sdk/client-appstream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/events.js';
import { run } from '../../src/commands/apply.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { hasChanges } from '../../src/core/plan.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { printed, planNow, startCli, streamform, useCliWorkspace, writeConfig } from './cli.js';
import { expectEventsInOrder } from './expect-events.js';

const OWNER = 'streamform:project';
const MUTATIONS = /^(Create|Update|Delete|Associate|Disassociate|Tag|Untag)/;

const ACCOUNT: EmulatorState = {
  appstream: {
    stacks: [
      { Name: 'design', Description: 'old', Tags: { [OWNER]: 'shop' } },
      { Name: 'retired', Tags: { [OWNER]: 'shop' } },
      { Name: 'kiosk', Description: 'not ours' },
      { Name: 'ledger', Tags: { [OWNER]: 'finance' } },
    ],
    fleets: [
      { Name: 'fleet-design', AssociatedStacks: ['design'] },
      { Name: 'fleet-new' },
      { Name: 'fleet-old', AssociatedStacks: ['retired'] },
    ],
  },
  nimble: {
    studios: [{ studioId: 'st-1', streamingImages: [{ name: 'base', ec2ImageId: 'ami-old', streamingImageId: 'si-base-old', state: 'READY', tags: { [OWNER]: 'shop' } }] }],
  },
};

const SHOP = `version: 1
project: shop
stacks:
  - Name: design
    Description: new
    Fleets: [fleet-design]
  - Name: front
    DisplayName: Front desk
    Fleets: [fleet-new]
streamingImages:
  - StudioId: st-1
    Name: base
    Ec2ImageId: ami-new
  - StudioId: st-1
    Name: extra
    Ec2ImageId: ami-2
`;

let work: string;
let emulator: TestEmulator;

useCliWorkspace({ 'shop.yaml': SHOP }, ACCOUNT, (dir, started) => {
  work = dir;
  emulator = started;
});

async function reset(state: EmulatorState = ACCOUNT): Promise<void> {
  await emulator.setState(state);
  await emulator.clearCalls();
}

const mutations = async () => (await emulator.calls()).filter((call) => MUTATIONS.test(call.operation));
const stacks = async () => Object.fromEntries(((await emulator.getState()).appstream?.stacks ?? []).map((stack) => [stack.Name, stack]));

describe('streamform apply -f', () => {
  it('creates, updates, replaces and prunes as planned, leaves what is not its own alone, and the next plan has no changes', async () => {
    await reset();
    const result = await streamform(['apply', '-f', 'shop.yaml', '--endpoint', emulator.url, '--yes', '--prune'], work);

    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Plan: 2 to create, 1 to update, 1 to replace, 1 to delete.');
    expect(result.stdout).toMatch(/\nApply complete: \d+ succeeded, 0 failed, 0 skipped, in \S+\.\n$/);
    for (const address of ['stack/design', 'stack/front', 'stack/retired', 'streamingImage/st-1/base', 'streamingImage/st-1/extra']) {
      expect(result.stdout).toContain(`\n${address}: applied\n`);
    }

    const state = await emulator.getState();
    const byName = await stacks();
    expect(Object.keys(byName).sort()).toEqual(['design', 'front', 'kiosk', 'ledger']);
    expect(byName.design.Description).toBe('new');
    expect(byName.kiosk).toMatchObject({ Description: 'not ours' });
    expect(byName.kiosk.Tags ?? {}).toEqual({});
    expect(byName.ledger.Tags).toEqual({ [OWNER]: 'finance' });
    expect(Object.fromEntries((state.appstream?.fleets ?? []).map((f) => [f.Name, f.AssociatedStacks]))).toEqual({
      'fleet-design': ['design'],
      'fleet-new': ['front'],
      'fleet-old': [],
    });
    const images = (state.nimble?.studios?.[0].streamingImages ?? []).filter((image) => image.state !== 'DELETED');
    expect(images.map((image) => [image.name, image.ec2ImageId, image.state]).sort()).toEqual([
      ['base', 'ami-new', 'READY'],
      ['extra', 'ami-2', 'READY'],
    ]);

    const next = await streamform(['plan', '-f', 'shop.yaml', '--endpoint', emulator.url, '--prune', '--detailed-exitcode'], work);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/\nNo changes\.\n$/);
    const again = await streamform(['apply', '-f', 'shop.yaml', '--endpoint', emulator.url, '--yes', '--prune'], work);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\nNo changes\.\n$/);
  });

  it('refuses to apply without --yes when there is no terminal to ask on, after showing the plan', async () => {
    await reset();
    const result = await streamform(['apply', '-f', 'shop.yaml', '--endpoint', emulator.url], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Plan: 2 to create, 1 to update, 1 to replace, 0 to delete.');
    expect(result.stderr).toBe('streamform: apply: no terminal to ask for approval on; review the plan and run again with --yes to apply it\n');
    expect(await mutations()).toEqual([]);
  });

  it('refuses a plan with an error diagnostic and changes nothing', async () => {
    await reset();
    writeConfig(work, 'foreign.yaml', SHOP.replace('stacks:\n', 'stacks:\n  - Name: ledger\n    Description: taken over\n'));
    const result = await streamform(['apply', '-f', 'foreign.yaml', '--endpoint', emulator.url, '--yes'], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error: stack\/ledger: .*finance/);
    expect(result.stderr).toBe('streamform: apply: the plan has an error; nothing was applied\n');
    expect(await mutations()).toEqual([]);
  });

  it('applies the other resources when one fails, exits 1 and names the failure with the AWS message', async () => {
    // An AMI the service cannot make an image of: nothing the plan could have known.
    await reset({ ...ACCOUNT, nimble: { ...ACCOUNT.nimble, failingAmis: ['ami-0badbadbadbadbad0'] } });
    writeConfig(
      work,
      'typo.yaml',
      'version: 1\nproject: shop\nstreamingImages:\n  - { StudioId: st-1, Name: broken, Ec2ImageId: ami-0badbadbadbadbad0 }\nstacks:\n  - Name: fine\n    Fleets: [fleet-new]\n',
    );
    const result = await streamform(['apply', '-f', 'typo.yaml', '--endpoint', emulator.url, '--yes'], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\n {2}failed: streamingImage\/st-1\/broken CreateStreamingImage: streaming image \S+ is CREATE_FAILED: .*ami-0badbadbadbadbad0.*\n/);
    expect(result.stdout).toContain('\nstreamingImage/st-1/broken: FAILED\n');
    expect(result.stdout).toContain('\nstack/fine: applied\n');
    expect(result.stdout).toMatch(/\nApply failed: \d+ succeeded, 1 failed, 0 skipped/);
    expect(Object.keys(await stacks())).toContain('fine');
  });

  it('refuses a stack that names a fleet which neither exists nor is declared, at plan time, applying nothing', async () => {
    await reset();
    writeConfig(work, 'typo.yaml', 'version: 1\nproject: shop\nstacks:\n  - Name: broken\n    Fleets: [no-such-fleet]\n  - Name: fine\n    Fleets: [fleet-new]\n');
    const result = await streamform(['apply', '-f', 'typo.yaml', '--endpoint', emulator.url, '--yes'], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/typo\.yaml:4:5: error: stack\/broken: fleet no-such-fleet does not exist and is not declared/);
    expect(result.stderr).toBe('streamform: apply: the plan has an error; nothing was applied\n');
    expect(await mutations()).toEqual([]);
  });

  it('prints one JSON object per event with --format json, from init to summary', async () => {
    await reset();
    const result = await streamform(['apply', '-f', 'shop.yaml', '--endpoint', emulator.url, '--yes', '--format', 'json'], work);
    expect(result.code).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as ApplyEvent);
    expect(events[0]).toMatchObject({ type: 'init', plan: { project: 'shop' } });
    expect(events.at(-1)).toMatchObject({ type: 'summary', summary: { failed: 0, skipped: 0, interrupted: false } });
    const init = events[0] as Extract<ApplyEvent, { type: 'init' }>;
    const callId = (operation: string, address: string) => init.calls.find((c) => c.operation === operation && c.address === address)!.id;
    expectEventsInOrder(events, [
      { type: 'call-started', callId: callId('CreateStack', 'stack/front') },
      { type: 'call-succeeded', callId: callId('CreateStack', 'stack/front') },
      { type: 'call-started', callId: callId('AssociateFleet', 'stack/front') },
      { type: 'call-succeeded', callId: callId('AssociateFleet', 'stack/front') },
      { type: 'resource-finished', address: 'stack/front', status: 'succeeded' },
    ]);
    expectEventsInOrder(events, [
      { type: 'call-succeeded', callId: callId('CreateStreamingImage', 'streamingImage/st-1/base') },
      { type: 'call-started', callId: callId('DeleteStreamingImage', 'streamingImage/st-1/base') },
      { type: 'call-succeeded', callId: callId('DeleteStreamingImage', 'streamingImage/st-1/base') },
      { type: 'resource-finished', address: 'streamingImage/st-1/base', status: 'succeeded' },
    ]);
  });

  it.each([
    [['-f', 'x.yaml', '--concurrency', '0'], "apply: --concurrency must be an integer from 1 to 64, got '0'"],
    [['-f', 'x.yaml', '--format', 'yaml'], "apply: --format must be one of text, json, got 'yaml'"],
    [['-f', 'x.yaml', 'plan.json'], 'apply: give either -f FILE|DIR or a saved PLANFILE, not both'],
    [['a.json', 'b.json'], 'apply: one plan file at most, got 2 (a.json, b.json)'],
    [['plan.json', '--prune'], 'apply: --prune does not apply to a saved plan; it was decided when the plan was made'],
    [['--colour'], "apply: Unknown option '--colour' (see 'streamform apply --help')"],
  ])('refuses %j with one line', async (args, message) => {
    await expect(run(args)).rejects.toThrow(message);
  });
});

describe('streamform apply PLANFILE', () => {
  async function savePlan(name: string): Promise<string> {
    const saved = await streamform(['plan', '-f', 'shop.yaml', '--endpoint', emulator.url, '--out', name], work);
    expect(saved.code, saved.stderr).toBe(0);
    return name;
  }

  it('applies exactly the saved calls when nothing changed since', async () => {
    await reset();
    const file = await savePlan('saved.json');
    const saved = JSON.parse(readFileSync(join(work, file), 'utf8')) as { calls: { operation: string }[] };
    await emulator.clearCalls();
    const result = await streamform(['apply', file], work);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\nApply complete: \d+ succeeded, 0 failed, 0 skipped/);
    const sent = (await mutations()).map((call) => call.operation);
    expect(sent.sort()).toEqual(saved.calls.map((call) => call.operation).sort());
    expect(hasChanges(await planNow(work, ['shop.yaml'], emulator.url))).toBe(false);
  });

  it('refuses, naming each resource, when live state changed after the plan was saved', async () => {
    await reset();
    const file = await savePlan('stale.json');
    await emulator.clients.appstream.send(new UpdateStackCommand({ Name: 'design', Description: 'changed in the console' }));
    await emulator.clients.appstream.send(new UpdateStackCommand({ Name: 'kiosk', Description: 'not touched by the plan' }));
    await emulator.clearCalls();
    const result = await streamform(['apply', file], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`streamform: apply: ${file} is stale: stack/design changed since it was planned; run plan again\n`);
    expect(await mutations()).toEqual([]);
  });

  it('refuses a plan whose config changed, or that belongs to another project', async () => {
    await reset();
    const file = await savePlan('config.json');
    writeConfig(work, 'shop.yaml', SHOP.replace('Description: new', 'Description: newer'));
    try {
      const changed = await streamform(['apply', file], work);
      expect(changed.code).toBe(1);
      expect(changed.stderr).toMatch(/^streamform: apply: the config \(.*shop\.yaml\) changed since config\.json was planned; run plan again\n$/);
    } finally {
      writeConfig(work, 'shop.yaml', SHOP);
    }
    const plan = JSON.parse(readFileSync(join(work, file), 'utf8')) as { project: string };
    writeFileSync(join(work, 'other.json'), JSON.stringify({ ...plan, project: 'finance' }));
    const other = await streamform(['apply', 'other.json'], work);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^streamform: apply: other\.json is a plan for project 'finance', but .*shop\.yaml declare project 'shop'\n$/);
    expect(await mutations()).toEqual([]);
  });

  it.each([
    ['missing.json', undefined, 'streamform: apply: cannot read plan file missing.json: no such file\n'],
    ['corrupt.json', '{"formatVersion": "2", "project"', /^streamform: corrupt\.json: not valid JSON \(.*\)\n$/],
    ['future.json', '{"formatVersion": "3"}', /^streamform: future\.json: plan format version "3" is not supported .*\n$/],
    ['old.json', '{"formatVersion": "1", "project": "studio"}', /^streamform: old\.json: plan format version "1" is not supported \(this streamform reads "2"\); run plan again\n$/],
  ])('refuses the plan file %s with one line', async (name, content, message) => {
    if (content !== undefined) writeFileSync(join(work, name), content);
    const result = await streamform(['apply', name], work);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
  });
});

describe('Ctrl-C', () => {
  const MANY = `version: 1\nproject: shop\nstacks:\n${['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `  - Name: s-${n}\n`).join('')}`;
  let slow: TestEmulator;
  afterEach(async () => slow?.close());

  it('first stops starting new calls, lets those in flight finish and says what was not done', async () => {
    slow = await startTestEmulator({ latencyMs: 150 });
    writeConfig(work, 'many.yaml', MANY);
    const cli = startCli(['apply', '-f', 'many.yaml', '--endpoint', slow.url, '--yes', '--concurrency', '1'], work);
    await printed(cli, /s-a: CreateStack started\n/);
    cli.child.kill('SIGINT');
    const result = await cli.exit;

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Stopping: calls in flight finish, no new calls start (Ctrl-C again to exit at once).');
    expect(result.stdout).toMatch(/\[1\/6\] stack\/s-a: CreateStack done/);
    expect(result.stdout).toMatch(/\[6\/6\] stack\/s-f: CreateStack skipped: interrupted\n/);
    expect(result.stdout).toMatch(/\nApply interrupted: 1 succeeded, 0 failed, 5 skipped, in \S+\.\n {2}not applied: stack\/s-b, stack\/s-c, stack\/s-d, stack\/s-e, stack\/s-f\n$/);
    expect((await slow.getState()).appstream?.stacks?.map((s) => s.Name)).toEqual(['s-a']);
  });

  it('exits at once with 130 on the second', async () => {
    slow = await startTestEmulator({ latencyMs: 2_000 });
    const cli = startCli(['apply', '-f', 'many.yaml', '--endpoint', slow.url, '--yes', '--concurrency', '1'], work);
    await printed(cli, /CreateStack started\n/);
    cli.child.kill('SIGINT');
    await printed(cli, /Stopping/);
    cli.child.kill('SIGINT');
    const result = await cli.exit;
    expect(result.code).toBe(130);
    // It did not wait for the call in flight: that call never finished, and there is no summary.
    expect(result.stdout).not.toMatch(/CreateStack done|Apply /);
    expect(result.stderr).toContain('interrupted again; exiting without waiting for the calls in flight');
  });
});
