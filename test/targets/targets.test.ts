/**
 * One config, several accounts and regions: three emulators (two regions of one account, and a
 * region of another account reached through an assumed role), driven by the built CLI with the
 * real SDK clients.
 */
import { DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-appstream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { Plan, TargetPlans } from '../../src/core/plan.js';
import { runCli, tempDir, writeYaml } from '../drift/support.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const ROLE = 'arn:aws:iam::222222222222:role/streamform';
const STATES: Record<string, EmulatorState> = {
  us: { account: '111111111111', region: 'us-east-1' },
  eu: { account: '111111111111', region: 'eu-west-1' },
  ap: { account: '222222222222', region: 'ap-southeast-2', sts: { roles: [{ RoleArn: ROLE, ExternalId: 'studio-7' }] } },
};
const NAMES = Object.keys(STATES);

let emulators: Record<string, TestEmulator>;
let dir: string;
beforeAll(async () => {
  emulators = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await startTestEmulator({ state: STATES[name] })] as const)));
});
afterAll(async () => {
  await Promise.all(Object.values(emulators).map((em) => em.close()));
});
beforeEach(async () => {
  dir = tempDir('targets');
  await Promise.all(NAMES.map((name) => emulators[name].setState(STATES[name])));
  await Promise.all(NAMES.map((name) => emulators[name].clearCalls()));
});

function config({ externalId = 'studio-7', extra = '' } = {}): string {
  return writeYaml(
    dir,
    'streamform.yaml',
    `version: 1
project: studio
targets:
  - name: us
    region: us-east-1
    endpoint: ${emulators.us.url}
    vars: { site: us, sessions: 3600 }
  - name: eu
    region: eu-west-1
    endpoint: ${emulators.eu.url}
    vars: { site: eu, sessions: 7200 }
  - name: ap
    region: ap-southeast-2
    endpoint: ${emulators.ap.url}
    roleArn: ${ROLE}
    externalId: ${externalId}
    vars: { site: ap, sessions: 3600 }
stacks:
  - Name: design
    FeedbackURL: https://\${vars.site}.example.com/feedback
    Description: design studio
  - Name: eu-archive
    Targets: [eu]
${extra}`,
  );
}

const cli = (...args: string[]) => runCli(args, { cwd: dir });
const stacks = async (name: string) =>
  ((await emulators[name].clients.appstream.send(new DescribeStacksCommand({}))).Stacks ?? []).map((s) => [s.Name, s.FeedbackURL]).sort();

describe('a config of targets', () => {
  it('plans every target in one plan, each with its own resources and values', async () => {
    config();
    const result = await cli('plan', '--format', 'json', '--detailed-exitcode');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout) as TargetPlans;
    expect(document.targets.map((plan) => [plan.target.name, plan.target.region, plan.target.account])).toEqual([
      ['us', 'us-east-1', '111111111111'],
      ['eu', 'eu-west-1', '111111111111'],
      ['ap', 'ap-southeast-2', '222222222222'],
    ]);
    const creates = (plan: Plan) => plan.changes.map((change) => change.address);
    expect(document.targets.map(creates)).toEqual([['stack/design'], ['stack/design', 'stack/eu-archive'], ['stack/design']]);
    const feedback = document.targets[1].calls.find((call) => call.operation === 'CreateStack' && call.input.Name === 'design')!.input.FeedbackURL;
    expect(feedback).toBe('https://eu.example.com/feedback');
    // The third account is reached through the role, with its ExternalId.
    expect((await emulators.ap.calls()).map((c) => c.operation)).toContain('AssumeRole');
  });

  it('applies every target, and plans clean afterwards', async () => {
    config();
    const applied = await cli('apply', '--yes');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/eu:stack\/eu-archive/);
    expect(applied.stdout).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(applied.stdout.match(/Apply complete/g)).toHaveLength(1);
    expect(await stacks('us')).toEqual([['design', 'https://us.example.com/feedback']]);
    expect(await stacks('eu')).toEqual([
      ['design', 'https://eu.example.com/feedback'],
      ['eu-archive', undefined],
    ]);
    expect(await stacks('ap')).toEqual([['design', 'https://ap.example.com/feedback']]);
    const again = await cli('plan', '--detailed-exitcode');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Across 3 targets: No changes\.\n$/);
  });

  it('restricts every command to the targets --target (or STREAMFORM_TARGET) names', async () => {
    config();
    const plan = JSON.parse((await cli('plan', '--format', 'json', '--target', 'eu')).stdout) as TargetPlans;
    expect(plan.targets.map((p) => p.target.name)).toEqual(['eu']);
    const fromEnvironment = await runCli(['plan', '--format', 'json'], { cwd: dir, env: { STREAMFORM_TARGET: 'ap, eu' } });
    expect((JSON.parse(fromEnvironment.stdout) as TargetPlans).targets.map((p) => p.target.name)).toEqual(['eu', 'ap']);
    expect(await emulators.us.calls()).toEqual([]);
    const applied = await cli('apply', '--yes', '--target', 'us', '--target', 'ap');
    expect(applied.code).toBe(0);
    expect(await stacks('eu')).toEqual([]);
    expect((await stacks('us')).length).toBe(1);
    const wrong = await cli('plan', '--target', 'asia');
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toMatch(/--target asia: no such target; the config has us, eu, ap/);
    const region = await cli('plan', '--region', 'us-east-1');
    expect(region.stderr).toMatch(/--region does not go with a config of targets/);
  });

  it('plans the other targets when one cannot be read, and fails on that one alone', async () => {
    config({ externalId: 'wrong-id' });
    const result = await cli('plan', '--detailed-exitcode');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/target us \(us-east-1, account 111111111111/);
    expect(result.stdout).toMatch(/\+ eu:stack\/eu-archive/);
    expect(result.stdout).toMatch(/target ap could not be read, so nothing is planned for it: .*cannot assume role arn:aws:iam::222222222222:role\/streamform: AccessDenied/);
    expect(result.stdout).toMatch(/Across 3 targets: Plan: 3 to create, 0 to update, 0 to replace, 0 to delete\. Target ap has errors\.\n$/);
    // Applied whole or not at all, as reviewed; the way to apply the others is named.
    const applied = await cli('apply', '--yes');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toBe('streamform: apply: the plan has an error (target ap); apply the others alone with --target us --target eu; nothing was applied\n');
    expect(await stacks('us')).toEqual([]);
    expect((await cli('apply', '--yes', '--target', 'us', '--target', 'eu')).code).toBe(0);
    expect((await stacks('us')).length).toBe(1);
  });

  it('names the target whose vars lack a variable, at its line', async () => {
    config({ extra: '  - Name: ops\n    Description: ${vars.team}\n    Targets: [us, eu]\n' });
    const result = await cli('validate');
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.includes('team'))).toEqual([
      "streamform.yaml:25:18: stacks[2].Description: target us, eu: no variable 'team' in vars (there are site, sessions)",
    ]);
  });

  it('binds a saved plan to each target account, and refuses it elsewhere', async () => {
    config();
    const saved = join(dir, 'p.json');
    expect((await cli('plan', '--out', saved)).code).toBe(0);
    await emulators.eu.setState({ ...STATES.eu, account: '999999999999' });
    const refused = await cli('apply', saved);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/p\.json \(target eu\) was planned for account 111111111111 in eu-west-1; these credentials reach 999999999999/);
    expect(await stacks('us')).toEqual([]);
    await emulators.eu.setState(STATES.eu);
    const applied = await cli('apply', saved);
    expect(applied.code).toBe(0);
    expect((await stacks('ap')).length).toBe(1);
  });

  it('writes one pull-request comment with a section per target', async () => {
    config();
    const result = await cli('plan', '--format', 'markdown');
    expect(result.stdout.match(/<!-- streamform:plan project=studio -->/g)).toHaveLength(1);
    expect([...result.stdout.matchAll(/^### Target `(\w+)`$/gm)].map((m) => m[1])).toEqual(NAMES);
    expect(result.stdout).toContain('eu:stack/eu-archive');
  });

  it('reports drift of every target in one report', async () => {
    config();
    expect((await cli('apply', '--yes')).code).toBe(0);
    await emulators.eu.clients.appstream.send(new UpdateStackCommand({ Name: 'design', Description: 'changed by hand' }));
    const report = await cli('drift');
    expect(report.code).toBe(2);
    expect(report.stdout).toMatch(/streamform\.yaml:\d+:\d+: drift: eu:stack\/design Description: AWS has "changed by hand", the config declares "design studio"/);
    expect(report.stdout).not.toMatch(/(us|ap):stack\/design/);
  });

  it('merges the plans of per-target jobs into one comment and one plan to apply', async () => {
    config();
    const files = await Promise.all(
      NAMES.map(async (name) => {
        const out = join(dir, `${name}.json`);
        expect((await cli('plan', '--target', name, '--out', out, '--format', 'json')).code).toBe(0);
        return out;
      }),
    );
    const comment = await cli('merge', ...files, '--format', 'markdown', '--out', join(dir, 'all.json'));
    expect(comment.code).toBe(0);
    expect(comment.stdout.match(/<!-- streamform:plan project=studio -->/g)).toHaveLength(1);
    expect([...comment.stdout.matchAll(/^### Target `(\w+)`$/gm)].map((m) => m[1])).toEqual(NAMES);
    expect(comment.stdout).toContain('Across 3 targets: Plan: 4 to create');
    const merged = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as TargetPlans;
    expect(merged.targets.map((plan) => plan.target.name)).toEqual(NAMES);
    expect((await cli('apply', join(dir, 'all.json'))).code).toBe(0);
    expect((await stacks('eu')).length).toBe(2);

    const twice = await cli('merge', files[0], files[0]);
    expect(twice).toMatchObject({ code: 1, stdout: '' });
    expect(twice.stderr).toMatch(/merge: target us is in both .*us\.json and .*us\.json/);
  });

  it('keeps a GitHub comment of many large targets under the size limit', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `  - Name: stack-${String(i).padStart(3, '0')}\n    Description: ${'x'.repeat(200)}\n`).join('');
    config({ extra: many });
    const result = await cli('plan', '--format', 'markdown');
    expect(result.stdout.length).toBeLessThanOrEqual(65_536);
    expect([...result.stdout.matchAll(/^### Target `(\w+)`$/gm)].map((m) => m[1])).toEqual(NAMES);
  });

  it('diffs two configs of targets target by target, offline', async () => {
    const base = config();
    const head = writeYaml(dir, 'head.yaml', readFileSync(base, 'utf8').replace('vars: { site: eu, sessions: 7200 }', 'vars: { site: europe, sessions: 7200 }').replace('Targets: [eu]', 'Targets: [eu, ap]'));
    const result = await cli('diff', base, head, '--format', 'json', '--detailed-exitcode');
    expect(result.code).toBe(2);
    const diff = JSON.parse(result.stdout) as { changes: { address: string; change: string }[] };
    expect(diff.changes.map((c) => `${c.change} ${c.address}`)).toEqual(['changed eu:stack/design', 'added ap:stack/eu-archive']);
    expect(await emulators.us.calls()).toEqual([]);
  });
});
