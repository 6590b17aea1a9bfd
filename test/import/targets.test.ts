/**
 * `import --config` over the targets of a config: three emulators (two regions of one account, and
 * a region of another account reached through an assumed role), driven by the built CLI with the
 * real SDK clients; the written config is validated and planned against the same targets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Config, Target } from '../../src/config/types.js';
import { forTarget, withoutTargetLists } from '../../src/config/targets.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { ImportNote } from '../../src/import/build.js';
import { mergeImports } from '../../src/import/merge.js';
import { validMerge } from '../../src/import/valid.js';
import { renderImportYaml } from '../../src/import/yaml.js';
import type { Plan, TargetPlans } from '../../src/core/plan.js';
import { runCli, tempDir, writeYaml } from '../drift/support.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const ROLE = 'arn:aws:iam::222222222222:role/streamform';

/** A fleet as DescribeFleets has it, with what differs between the regions. */
const fleet = (image: string, desired: number, subnets: string[], extra: Record<string, unknown> = {}) => ({
  Name: 'design',
  InstanceType: 'stream.standard.medium',
  ImageName: image,
  ComputeCapacityStatus: { Desired: desired },
  VpcConfig: { SubnetIds: subnets },
  State: 'STOPPED',
  AssociatedStacks: ['design'],
  ...extra,
});
const stacks = (
  site: string,
  ...more: {
    Name: string;
    Description?: string;
    Tags?: Record<string, string>;
  }[]
) => [
  {
    Name: 'design',
    Description: 'Design apps',
    FeedbackURL: `https://${site}.example.com/feedback`,
  },
  ...more,
];

const STATES: Record<string, EmulatorState> = {
  us: {
    account: '111111111111',
    region: 'us-east-1',
    appstream: {
      stacks: stacks('us', { Name: 'ops', Tags: { team: 'ops' } }),
      fleets: [fleet('base-us', 3, ['subnet-0a1', 'subnet-0b2'])],
      images: [{ Name: 'base-us', Tags: { team: 'design' } }],
      usageReportSubscriptions: [{ Schedule: 'DAILY' }],
    },
    nimble: {
      studios: [
        {
          studioId: 'stid-us',
          streamingImages: [
            {
              streamingImageId: 'si-maya',
              name: 'maya',
              ec2ImageId: 'ami-0123456789abcdef0',
            },
          ],
        },
      ],
    },
  },
  eu: {
    account: '111111111111',
    region: 'eu-west-1',
    appstream: {
      stacks: stacks('eu', { Name: 'ops', Tags: { owner: 'ops' } }, { Name: 'eu-archive', Description: 'Archive' }),
      // Set in eu alone: us has the default, which the merged config then declares for us.
      fleets: [
        fleet('base-eu', 5, ['subnet-1c3'], {
          DisconnectTimeoutInSeconds: 1200,
        }),
      ],
      images: [{ Name: 'base-eu', Tags: { team: 'design' } }],
    },
  },
  ap: {
    account: '222222222222',
    region: 'ap-southeast-2',
    sts: { roles: [{ RoleArn: ROLE, ExternalId: 'studio-7' }] },
    appstream: { stacks: stacks('ap') },
  },
};
const NAMES = Object.keys(STATES);

let emulators: Record<string, TestEmulator>;
let dir: string;
beforeAll(async () => {
  emulators = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await startTestEmulator({ state: STATES[name] })] as const)));
  dir = tempDir('import-targets');
});
afterAll(async () => {
  await Promise.all(Object.values(emulators).map((em) => em.close()));
});

/** The config that says where the targets are (JSON is YAML); nothing else in it is imported. */
function targets(externalId = 'studio-7'): string {
  const declared = [
    {
      name: 'us',
      region: 'us-east-1',
      endpoint: emulators.us.url,
      vars: { old: 1 },
    },
    { name: 'eu', region: 'eu-west-1', endpoint: emulators.eu.url },
    {
      name: 'ap',
      region: 'ap-southeast-2',
      endpoint: emulators.ap.url,
      roleArn: ROLE,
      externalId,
    },
  ];
  return writeYaml(
    dir,
    `targets-${externalId}.yaml`,
    JSON.stringify({
      version: 1,
      project: 'studio',
      targets: declared,
      stacks: [{ Name: 'declared-but-not-imported' }],
    }),
  );
}

const cli = (...args: string[]) => runCli(args, { cwd: dir });
/** What the command said on stderr, without the retries a loaded machine may need (each says itself). */
const said = (stderr: string) => stderr.split('\n').filter((line) => line && !line.startsWith('streamform: retrying '));

/** Every target planned, and nothing in any but adoptions that only tag (what carries no tags, as the usage reports, is unchanged). */
async function plansAsAdoptionOnly(file: string, count: number): Promise<void> {
  expect((await cli('validate', '-f', file)).code).toBe(0);
  const result = await cli('plan', '-f', file, '--format', 'json');
  expect(said(result.stderr)).toEqual([]);
  const plans = (JSON.parse(result.stdout) as TargetPlans).targets;
  expect(plans).toHaveLength(count);
  for (const plan of plans as Plan[]) {
    expect(plan.diagnostics).toEqual([]);
    for (const change of plan.changes) {
      expect(change.diffs, `${plan.target.name}:${change.address}`).toEqual([]);
      expect(change.adopt || change.action === 'no-op', `${plan.target.name}:${change.address}`).toBe(true);
    }
    expect(new Set(plan.calls.map((call) => call.operation))).toEqual(new Set(['TagResource']));
  }
}

describe('streamform import --config', () => {
  it('with --target, writes the config of that target with it as the only target, reached as the config reaches it', async () => {
    const out = join(dir, 'ap.yaml');
    const result = await cli('import', '--config', targets(), '--target', 'ap', '--out', out);
    expect(said(result.stderr)).toEqual([]);
    expect(result.code).toBe(0);
    const config = parse(readFileSync(out, 'utf8'));
    expect(config.project).toBe('studio');
    expect(config.region).toBeUndefined();
    expect(config.targets).toEqual([
      {
        name: 'ap',
        region: 'ap-southeast-2',
        endpoint: emulators.ap.url,
        roleArn: ROLE,
        externalId: 'studio-7',
      },
    ]);
    expect(config.stacks).toEqual([
      {
        Name: 'design',
        Description: 'Design apps',
        FeedbackURL: 'https://ap.example.com/feedback',
      },
    ]);
    expect((await emulators.us.calls()).length).toBe(0);
    await plansAsAdoptionOnly(out, 1);
  });

  it('over several targets, writes one config: shared values once, differing ones as vars, Targets where only some have a resource', async () => {
    const out = join(dir, 'all.yaml');
    const result = await cli('import', '--config', targets(), '--studio', 'us=stid-us', '--out', out);
    expect(result.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const config = parse(text);
    expect(config.targets.map((t: { name: string }) => t.name)).toEqual(NAMES);
    expect(config.targets[2]).toMatchObject({
      roleArn: ROLE,
      externalId: 'studio-7',
    });
    expect(config.targets[0].vars.old).toBeUndefined();

    const design = config.stacks.find((s: { Name: string }) => s.Name === 'design');
    expect(design).toEqual({
      Name: 'design',
      Description: 'Design apps',
      FeedbackURL: '${vars.design_feedback_url}',
      Fleets: '${vars.design_fleets}',
    });
    expect(config.targets.map((t: { vars: Record<string, unknown> }) => [t.vars.design_feedback_url, t.vars.design_fleets])).toEqual([
      ['https://us.example.com/feedback', ['design']],
      ['https://eu.example.com/feedback', ['design']],
      ['https://ap.example.com/feedback', []],
    ]);
    expect(config.stacks.find((s: { Name: string }) => s.Name === 'eu-archive')).toEqual({ Name: 'eu-archive', Targets: ['eu'], Description: 'Archive' });

    expect(config.fleets).toEqual([
      {
        Name: 'design',
        Targets: ['us', 'eu'],
        ImageName: '${vars.design_image_name}',
        InstanceType: 'stream.standard.medium',
        ComputeCapacity: {
          DesiredInstances: '${vars.design_desired_instances}',
        },
        VpcConfig: { SubnetIds: '${vars.design_subnet_ids}' },
        State: 'STOPPED',
        DisconnectTimeoutInSeconds: '${vars.design_disconnect_timeout_in_seconds}',
      },
    ]);
    const vars = (name: string) => config.targets.find((t: { name: string }) => t.name === name).vars;
    expect(vars('us')).toMatchObject({
      design_image_name: 'base-us',
      design_desired_instances: 3,
      design_subnet_ids: ['subnet-0a1', 'subnet-0b2'],
      design_disconnect_timeout_in_seconds: 900,
    });
    expect(vars('eu')).toMatchObject({
      design_image_name: 'base-eu',
      design_desired_instances: 5,
      design_subnet_ids: ['subnet-1c3'],
      design_disconnect_timeout_in_seconds: 1200,
    });
    expect(config.images.map((i: { Name: string; Targets: string[] }) => [i.Name, i.Targets])).toEqual([
      ['base-eu', ['eu']],
      ['base-us', ['us']],
    ]);
    expect(config.streamingImages).toEqual([
      {
        StudioId: 'stid-us',
        Name: 'maya',
        Targets: ['us'],
        Ec2ImageId: 'ami-0123456789abcdef0',
      },
    ]);

    await plansAsAdoptionOnly(out, 3);
  });

  it('declares per target what it cannot merge, and says so in the header and on stderr; a subscription only some have goes to them', async () => {
    const out = join(dir, 'unmerged.yaml');
    const result = await cli('import', '--config', targets(), '--target', 'us', '--target', 'eu', '--out', out);
    expect(result.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const ops = 'stack/ops: declared once per target (Targets: [us]; Targets: [eu]): Tags.team is set in us, not in eu';
    expect(text).toContain(`# Not merged (best effort):\n#   ${ops}\n`);
    expect(said(result.stderr)).toEqual([`streamform: import: not merged: ${ops}`]);
    const config = parse(text);
    expect(config.stacks.filter((s: { Name: string }) => s.Name === 'ops')).toEqual([
      { Name: 'ops', Targets: ['us'], Tags: { team: 'ops' } },
      { Name: 'ops', Targets: ['eu'], Tags: { owner: 'ops' } },
    ]);
    // The subscription only one region has goes to that region.
    expect(config.usageReports).toEqual({ Targets: ['us'], Enabled: true });
    await plansAsAdoptionOnly(out, 2);
  });

  it('writes nothing when a target cannot be read, naming it', async () => {
    const out = join(dir, 'denied.yaml');
    const result = await cli('import', '--config', targets('wrong-id'), '--out', out);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = said(result.stderr);
    expect(lines[0]).toMatch(/^streamform: import: target ap could not be read: .*cannot assume role arn:aws:iam::222222222222:role\/streamform: AccessDenied/);
    expect(lines[1]).toBe('streamform: import: nothing written: without ap the config would lose what it has (import the others with --target us --target eu)');
    expect(lines).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --region with --config, and --target without it, in one line', async () => {
    const region = await cli('import', '--config', targets(), '--region', 'us-east-1');
    expect(region).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'streamform: import: --region does not go with --config: the config names the regions (choose targets with --target)\n',
    });
    const target = await cli('import', '--target', 'us');
    expect(target).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'streamform: import: --target needs --config FILE, the config that declares the targets\n',
    });
    const unknown = await cli('import', '--config', targets(), '--target', 'asia');
    expect(unknown.stderr).toMatch(/^streamform: --target asia: no such target; the config has us, eu, ap/);
    await emulators.us.clearCalls();
    const studio = await cli('import', '--config', targets(), '--target', 'us', '--studio', 'eu=stid-us');
    expect(studio.stderr).toBe('streamform: import: --studio eu=stid-us: no target eu among those read (us)\n');
    expect(await emulators.us.calls()).toEqual([]);
    // A studio is in one region: read in every target, it is named where it is not, and merged where it is.
    const everywhere = await cli('import', '--config', targets(), '--target', 'us', '--target', 'eu', '--studio', 'stid-us');
    expect(everywhere.code).toBe(1);
    expect(said(everywhere.stderr)[0]).toBe('streamform: import: eu:streamingImage/stid-us: ResourceNotFoundException: Studio stid-us does not exist.');
    expect(parse(everywhere.stdout).streamingImages).toEqual([expect.objectContaining({ StudioId: 'stid-us', Name: 'maya', Targets: ['us'] })]);
  });

  it('reads a config without targets in its region, and writes it as import without --config does', async () => {
    const plain = writeYaml(dir, 'plain.yaml', 'version: 1\nproject: plain\nregion: us-east-1\n');
    const result = await cli('import', '--config', plain, '--endpoint', emulators.us.url);
    expect(result.code).toBe(0);
    const config = parse(result.stdout);
    expect(config).toMatchObject({
      project: 'plain',
      region: 'us-east-1',
      usageReports: { Enabled: true },
    });
    expect(config.targets).toBeUndefined();
  });
});

describe('mergeImports', () => {
  const target = (name: string) => ({ name, region: 'us-east-1' });
  const imported = (stacks: object[], fleets: object[], notes: ImportNote[]) => ({ config: { version: 1, project: 'p', stacks, fleets } as unknown as Config, notes });
  const printing = (Permission: string) => [{ Action: 'PRINTING_TO_LOCAL_DEVICE', Permission }];
  const adopted = { address: 'stack/design', message: 'adopted', declared: true };
  const a = imported(
    [{ Name: 'design', Description: 'A', UserSettings: printing('ENABLED') }],
    [
      { Name: 'design', Description: 'fleet A' },
      { Name: 'nulled', Description: null },
    ],
    [adopted, { address: 'fleet/nulled', message: 'in a', declared: true }, { address: 'stack/gone', message: 'owned by another', declared: false }],
  );
  const b = imported(
    [{ Name: 'design', Description: 'B', UserSettings: printing('DISABLED') }],
    [
      { Name: 'design', Description: 'fleet B' },
      { Name: 'nulled', Description: 'set' },
    ],
    [adopted, { address: 'stack/design', message: 'only in b', declared: true }],
  );
  const merged = mergeImports(
    [
      { target: target('a'), result: a },
      { target: target('b'), result: b },
    ],
    'p',
  );
  const config = merged.config as unknown as { stacks: object[]; fleets: object[]; targets: Target[] };

  it('declares a usage report subscription once: a variable where the targets differ, Targets where only some have one', () => {
    const reports = (...enabled: (boolean | undefined)[]) =>
      mergeImports(
        enabled.map((Enabled, i) => ({
          target: target(`t${i}`),
          result: { config: { version: 1, project: 'p', ...(Enabled === undefined ? {} : { usageReports: { Enabled } }) } as unknown as Config, notes: [] },
        })),
        'p',
      );
    const differing = reports(true, false);
    expect(differing.config.usageReports).toEqual({ Enabled: '${vars.usage_report_enabled}' });
    expect((differing.config.targets as Target[]).map((t) => t.vars)).toEqual([{ usage_report_enabled: true }, { usage_report_enabled: false }]);
    expect(reports(undefined, true, true).config.usageReports).toEqual({ Targets: ['t1', 't2'], Enabled: true });
    expect(reports(undefined, undefined).config.usageReports).toBeUndefined();
  });

  it('names each variable from its resource and member, with the kind where two would share a name', () => {
    expect(config.stacks).toEqual([{ Name: 'design', Description: '${vars.stack_design_description}', UserSettings: printing('${vars.design_permission}') }]);
    expect(config.fleets[0]).toEqual({ Name: 'design', Description: '${vars.fleet_design_description}' });
    expect(config.targets[1].vars).toEqual({ stack_design_description: 'B', design_permission: 'DISABLED', fleet_design_description: 'fleet B' });
  });

  it('declares per target what a variable cannot hold, and gives back each target its own import', () => {
    expect(merged.unmerged).toEqual([
      { address: 'fleet/nulled', declared: true, message: 'declared once per target (Targets: [a]; Targets: [b]): Description is null in a, which a variable cannot be' },
    ]);
    for (const [i, own] of [a, b].entries()) {
      const view = forTarget({ yaml: { value: merged.config } }, config.targets, config.targets[i]);
      expect(view.problems).toEqual([]);
      const { targets: _, ...resources } = withoutTargetLists(view.value as Record<string, unknown>);
      expect(resources).toEqual(own.config);
    }
  });

  it('comments on each copy with the notes of its targets, naming them where they are not all', () => {
    const text = renderImportYaml(merged, { schema: 's.json', studios: [] });
    expect(text).toContain('# adopted\n  # target b: only in b\n  - Name: design\n');
    expect(text).toContain('# in a\n  - Name: nulled\n    Targets:\n      - a\n');
    expect(text).toContain('\n  - Name: nulled\n    Targets:\n      - b\n');
    expect(text.match(/# in a/g)).toHaveLength(1);
    expect(text).toContain('#   stack/gone (target a): owned by another\n');
    expect(text).toMatch(/# Not merged \(best effort\):\n#   fleet\/nulled: declared once per target/);
  });

  it('declares per target a resource whose merged declaration would not validate in a target', async () => {
    // a's import left Description out; what it has there would not validate (as no AWS value would).
    const long = 'x'.repeat(300);
    const own = (Description?: string) => ({ config: { version: 1, project: 'p', stacks: [{ Name: 's', ...(Description ? { Description } : {}) }] } as unknown as Config, notes: [] });
    const withComplete = { ...own(), complete: new Map([['stack/s', { Name: 's', Description: long }]]) };
    const result = await validMerge(
      [
        { target: target('a'), result: withComplete },
        { target: target('b'), result: own('short') },
      ],
      'p',
    );
    expect((result.config as unknown as { stacks: object[] }).stacks).toEqual([
      { Name: 's', Targets: ['a'] },
      { Name: 's', Targets: ['b'], Description: 'short' },
    ]);
    expect(result.unmerged).toEqual([
      {
        address: 'stack/s',
        declared: true,
        message: 'declared once per target (Targets: [a]; Targets: [b]): merged, it would not validate: Description: target a: expected at most 256 characters, found 300 characters',
      },
    ]);
  });
});

// Last in the file: it applies the merged import, so the targets' resources become this project's.
describe('streamform import --config, once the merged import is applied', () => {
  it('imports the same config again, a list one target declares empty included, and plans no changes', async () => {
    const out = join(dir, 'applied.yaml');
    expect((await cli('import', '--config', targets(), '--studio', 'us=stid-us', '--out', out)).code).toBe(0);
    const applied = await cli('apply', '-f', out, '--yes');
    expect(applied.code).toBe(0);
    const again = join(dir, 'again.yaml');
    const second = await cli('import', '--config', targets(), '--studio', 'us=stid-us', '--out', again);
    expect(second.code).toBe(0);
    // A record cannot tell ap's Fleets, declared empty, from Fleets not declared: the list is filled in as ap has it.
    expect(said(second.stderr)).toEqual(['streamform: import: not merged: stack/ops: declared once per target (Targets: [us]; Targets: [eu]): Tags.team is set in us, not in eu']);
    const [before, after] = [out, again].map((file) => parse(readFileSync(file, 'utf8')));
    expect(after.targets).toEqual(before.targets);
    for (const list of ['stacks', 'fleets', 'images', 'streamingImages', 'usageReports']) expect(after[list], list).toEqual(before[list]);
    const plan = await cli('plan', '-f', again, '--detailed-exitcode');
    expect(plan.stdout).toMatch(/Across 3 targets: No changes\.\n$/);
    expect(plan.code).toBe(0);
  });
});
