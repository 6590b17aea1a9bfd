import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { Plan } from '../../src/core/plan.js';
import { UpdateStackCommand } from '@aws-sdk/client-appstream';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { renderImportYaml } from '../../src/import/yaml.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyAll, planFile, runCli, tempDir, writeYaml } from '../drift/support.js';

/** An account built by hand: every kind of thing import must declare, leave out, or comment on. */
const ACCOUNT: EmulatorState = {
  account: '123456789012',
  region: 'us-east-1',
  appstream: {
    stacks: [
      {
        Name: 'design',
        DisplayName: 'Design',
        Description: 'Modelling',
        RedirectURL: 'https://intranet.example.com/bye',
        FeedbackURL: 'https://intranet.example.com/feedback',
        StorageConnectors: [{ ConnectorType: 'ONE_DRIVE', Domains: ['b.example.com', 'a.example.com'] }, { ConnectorType: 'HOMEFOLDERS' }],
        UserSettings: [
          { Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1024 },
          { Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' },
        ],
        ApplicationSettings: { Enabled: true, SettingsGroup: 'design' },
        EmbedHostDomains: ['studio.example.com'],
        AccessEndpoints: [{ EndpointType: 'STREAMING', VpceId: 'vpce-0123456789abcdef0' }],
        StreamingExperienceSettings: { PreferredProtocol: 'UDP' },
        ContentRedirection: { HostToClient: { Enabled: true, AllowedUrls: ['https://docs.example.com/*'] } },
        Tags: { team: 'design', cost: 'vfx' },
      },
      { Name: 'plain' },
      { Name: 'frontdesk', DisplayName: 'Kiosk', Tags: { 'streamform:project': 'other-project' } },
      { Name: 'skip-me', DisplayName: 'Not under the prefix' },
    ],
    fleets: [
      { Name: 'design-fleet', State: 'RUNNING', AssociatedStacks: ['design'] },
      { Name: 'spare-fleet', State: 'STOPPED' },
    ],
    images: [
      { Name: 'shared-base', SharedImagePermissions: [{ sharedAccountId: '210987654321', imagePermissions: { allowFleet: true, allowImageBuilder: false } }] },
      { Name: 'tagged-base', Tags: { team: 'design' } },
      { Name: 'unused-base' },
      { Name: 'broken-base', State: 'FAILED', Tags: { team: 'design' } },
      { Name: 'AppStream-WinServer2022-01-01-2026', Visibility: 'PUBLIC' },
    ],
  },
  nimble: {
    studios: [
      {
        studioId: 'stid-1',
        streamingImages: [
          { streamingImageId: 'si-maya', name: 'maya', ec2ImageId: 'ami-0123456789abcdef0', description: 'Maya 2026', tags: { team: 'design' } },
          { streamingImageId: 'si-nuke', name: 'nuke', ec2ImageId: 'ami-0123456789abcdef1' },
          { streamingImageId: 'si-dup1', name: 'twin', ec2ImageId: 'ami-0123456789abcdef2' },
          { streamingImageId: 'si-dup2', name: 'twin', ec2ImageId: 'ami-0123456789abcdef3' },
          { streamingImageId: 'si-aws', name: 'Windows Workstation', ec2ImageId: 'ami-0123456789abcdef4', owner: 'amazon' },
          { streamingImageId: 'si-bad', name: 'houdini', ec2ImageId: 'ami-0123456789abcdef5', state: 'CREATE_FAILED' },
        ],
      },
    ],
  },
};

/** Every change is either nothing or an adoption that only tags, and nothing is wrong. */
function onlyAdoptions(plan: Plan): void {
  expect(plan.diagnostics).toEqual([]);
  for (const change of plan.changes) {
    expect(change.diffs, change.address).toEqual([]);
    expect(change.action === 'no-op' || change.adopt, `${change.address} ${change.action}`).toBe(true);
  }
  for (const call of plan.calls) expect(call.operation, call.address).toBe('TagResource');
}

describe('streamform import', () => {
  let emulator: TestEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ state: ACCOUNT, transitionMs: 20 });
    dir = tempDir('import');
  });
  afterAll(() => emulator?.close());

  it('declares what exists with only non-default values, comments on what it leaves out, and plans as adoption only', async () => {
    const out = join(dir, 'imported.yaml');
    const args = ['import', '--endpoint', emulator.url, '--region', 'us-east-1', '--studio', 'stid-1', '--project', 'studio', '--out', out];
    const result = await runCli(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S*schema\/streamform\.schema\.json$/);
    expect(existsSync(join(dir, text.split('\n')[0].split('$schema=')[1]))).toBe(true);

    const config = parse(text);
    expect(config).toMatchObject({ version: 1, project: 'studio', region: 'us-east-1' });
    expect(config.stacks.map((s: { Name: string }) => s.Name)).toEqual(['design', 'plain', 'skip-me']);
    const design = config.stacks[0];
    expect(design).toEqual({
      Name: 'design',
      DisplayName: 'Design',
      Description: 'Modelling',
      RedirectURL: 'https://intranet.example.com/bye',
      FeedbackURL: 'https://intranet.example.com/feedback',
      StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }, { ConnectorType: 'ONE_DRIVE', Domains: ['a.example.com', 'b.example.com'] }],
      ApplicationSettings: { Enabled: true, SettingsGroup: 'design' },
      AccessEndpoints: [{ EndpointType: 'STREAMING', VpceId: 'vpce-0123456789abcdef0' }],
      EmbedHostDomains: ['studio.example.com'],
      StreamingExperienceSettings: { PreferredProtocol: 'UDP' },
      ContentRedirection: { HostToClient: { Enabled: true, AllowedUrls: ['https://docs.example.com/*'] } },
      UserSettings: [
        { Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1024 },
        { Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' },
      ],
      Fleets: ['design-fleet'],
      Tags: { cost: 'vfx', team: 'design' },
    });
    expect(config.stacks[1]).toEqual({ Name: 'plain' });
    expect(config.images).toEqual([
      { Name: 'shared-base', SharedWith: [{ AccountId: '210987654321', AllowFleet: true, AllowImageBuilder: false }] },
      { Name: 'tagged-base', Tags: { team: 'design' } },
    ]);
    expect(config.streamingImages).toEqual([
      { StudioId: 'stid-1', Name: 'maya', Ec2ImageId: 'ami-0123456789abcdef0', Description: 'Maya 2026', Tags: { team: 'design' } },
      { StudioId: 'stid-1', Name: 'nuke', Ec2ImageId: 'ami-0123456789abcdef1' },
    ]);
    expect(text).not.toContain('arn:aws');
    for (const leftOut of [
      'stack/frontdesk: owned by the streamform project "other-project"',
      'image/unused-base: neither shared nor tagged',
      'image/broken-base: state FAILED',
      'streamingImage/stid-1: 1 streaming image(s) provided by AWS',
      'streamingImage/stid-1/twin: 2 streaming images have this name',
      'streamingImage/stid-1/houdini: state CREATE_FAILED',
    ]) {
      expect(text).toContain(`#   ${leftOut}`);
    }
    expect(text).toMatch(/# no streamform project owns it yet: the first apply adopts it\n {2}- Name: design\n/);

    const plan = await planFile(out, emulator.clients, emulator.url);
    onlyAdoptions(plan);
    expect(plan.changes.filter((c) => c.adopt).map((c) => c.address)).toEqual([
      'image/shared-base',
      'image/tagged-base',
      'stack/design',
      'stack/plain',
      'stack/skip-me',
      'streamingImage/stid-1/maya',
      'streamingImage/stid-1/nuke',
    ]);
    const shown = await runCli(['plan', '-f', out, '--endpoint', emulator.url]);
    expect(shown.stdout).toContain('(adopt)');
  });

  it('after the adoption is applied, plan exits 0 and a second import of the owned account plans as "No changes."', async () => {
    const first = join(dir, 'first.yaml');
    expect((await runCli(['import', '--endpoint', emulator.url, '--studio', 'stid-1', '--project', 'studio', '--name-prefix', 'de', '--out', first])).code).toBe(0);
    expect(parse(readFileSync(first, 'utf8')).stacks.map((s: { Name: string }) => s.Name)).toEqual(['design']);
    const summary = await applyAll(await planFile(first, emulator.clients, emulator.url), emulator.url);
    expect(summary.failed).toBe(0);

    const again = await runCli(['plan', '-f', first, '--endpoint', emulator.url, '--detailed-exitcode']);
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);

    const second = await runCli(['import', '--endpoint', emulator.url, '--studio', 'stid-1', '--project', 'studio', '--name-prefix', 'de']);
    expect(second.code).toBe(0);
    expect(parse(second.stdout)).toEqual(parse(readFileSync(first, 'utf8')));
    expect(second.stdout).not.toContain('no streamform project owns it yet');
  });

  it('declares only what this project managed on a stack it owns, and names what else is set there', async () => {
    const managed = writeYaml(dir, 'plain.yaml', 'version: 1\nproject: studio\nstacks:\n  - Name: plain\n    DisplayName: Plain\n');
    expect((await applyAll(await planFile(managed, emulator.clients, emulator.url), emulator.url)).failed).toBe(0);
    await emulator.clients.appstream.send(new UpdateStackCommand({ Name: 'plain', FeedbackURL: 'https://example.com/feedback' }));

    const { config, notes } = buildImport(await describeAccount(emulator.clients, { studios: [], namePrefix: 'plain' }), { project: 'studio', region: 'us-east-1' });
    expect(config.stacks).toEqual([{ Name: 'plain', DisplayName: 'Plain' }]);
    expect(notes).toEqual([{ address: 'stack/plain', declared: true, message: 'also set, but not managed by this project (declare it to manage it): FeedbackURL' }]);
    const out = writeYaml(dir, 'plain-imported.yaml', renderImportYaml({ config, notes }, { schema: 'x.json', studios: [] }));
    const plan = await planFile(out, emulator.clients, emulator.url);
    expect(plan.calls).toEqual([]);
  });

  it('leaves out a studio it cannot read, naming it, and writes the rest', async () => {
    const result = await runCli(['import', '--endpoint', emulator.url, '--studio', 'stid-1', '--studio', 'stid-nope', '--project', 'studio']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('streamform: import: streamingImage/stid-nope: ResourceNotFoundException: Studio stid-nope does not exist.\n');
    const config = parse(result.stdout);
    expect(config.stacks.length).toBeGreaterThan(0);
    expect(new Set(config.streamingImages.map((image: { StudioId: string }) => image.StudioId))).toEqual(new Set(['stid-1']));
    expect(result.stdout).toContain('#   streamingImage/stid-nope: could not be read: ResourceNotFoundException: Studio stid-nope does not exist.');
  });

  it('refuses to overwrite without --force, and reports bad flags in one line', async () => {
    const out = join(dir, 'imported.yaml');
    const refused = await runCli(['import', '--endpoint', emulator.url, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`streamform: import: ${out} exists; pass --force to replace it\n`);
    const forced = await runCli(['import', '--endpoint', emulator.url, '--out', out, '--force', '--project', 'again']);
    expect(forced.code).toBe(0);
    expect(parse(readFileSync(out, 'utf8')).project).toBe('again');
    const unknown = await runCli(['import', '--studios', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("Unknown option '--studios'");
    const badProject = await runCli(['import', '--endpoint', emulator.url, '--project', 'a,b']);
    expect(badProject.code).toBe(1);
    expect(badProject.stderr).toBe("streamform: import: --project 'a,b' is not a valid project name (1 to 256 letters, digits, spaces and _.:/=+-@)\n");
  });
});
