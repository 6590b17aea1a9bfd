/** `plan --base`: the base config recognises the last-applied declaration, so drift shows under a pull request's edits. */
import { UpdateStackCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLive } from '../../src/describe/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { parsePlanFile, renderPlanJson } from '../../src/render/json.js';
import type { Config } from '../../src/config/types.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { config, convergeClean, emulator, loaded, NOW } from '../plan/helpers.js';
import { runCli, tempDir, writeYaml } from '../drift/support.js';

const BASE = config({ stacks: [{ Name: 'design', DisplayName: 'Design', RedirectURL: 'https://intranet.example.com/bye' }, { Name: 'edit' }] });
// The pull request edits the display name and leaves RedirectURL as the base declares it.
const HEAD = config({ stacks: [{ Name: 'design', DisplayName: 'Design studio', RedirectURL: 'https://intranet.example.com/bye' }, { Name: 'edit' }] });
const HOTFIX = 'https://hotfix.example.com/';

let em: TestEmulator;
beforeAll(async () => {
  em = await emulator();
  await convergeClean(em, BASE);
  // A console hotfix after the base was applied.
  await em.clients.appstream.send(new UpdateStackCommand({ Name: 'design', RedirectURL: HOTFIX }));
});
afterAll(() => em.close());

async function planOf(cfg: Config, base?: Config) {
  const read = (c: Config) => describeLive(c, em.clients, { prune: false });
  return buildPlan({
    loaded: loaded(cfg),
    live: await read(cfg),
    ...(base ? { base: { config: base, live: await read(base) } } : {}),
    prune: false,
    region: em.clients.region,
    now: NOW,
  });
}

it('without a base, the edited resource hides the hotfix: its change is not drift', async () => {
  const plan = await planOf(HEAD);
  expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c.drift])).toEqual([['stack/design', false]]);
  expect(
    plan.changes
      .find((c) => c.address === 'stack/design')!
      .diffs.map((d) => d.path)
      .sort(),
  ).toEqual(['DisplayName', 'RedirectURL']);
  expect(plan.baseDrift).toBeUndefined();
});

it('with the base config, what AWS changed since is drift, attribute by attribute, and the calls stay those of the config', async () => {
  const plain = await planOf(HEAD);
  const plan = await planOf(HEAD, BASE);
  expect(plan.calls).toEqual(plain.calls);
  expect(plan.baseDrift).toEqual([
    { address: 'stack/design', diffs: [{ path: 'RedirectURL', impact: 'update', before: HOTFIX, after: 'https://intranet.example.com/bye' }] },
  ]);
  expect(parsePlanFile(renderPlanJson(plan)).baseDrift).toEqual(plan.baseDrift);
});

it('a base that is not what was applied last recognises nothing', async () => {
  const other = config({ stacks: [{ Name: 'design', DisplayName: 'Something else' }, { Name: 'edit' }] });
  expect((await planOf(HEAD, other)).baseDrift).toBeUndefined();
});

it('plan --base (or $STREAMFORM_BASE) shows it in the Markdown drift section and the text, and refuses a base of another project', async () => {
  const dir = tempDir('base');
  const yaml = (display: string) =>
    `version: 1\nproject: studio\nregion: us-east-1\nstacks:\n  - Name: design\n    DisplayName: ${display}\n    RedirectURL: https://intranet.example.com/bye\n  - Name: edit\n`;
  const base = writeYaml(dir, 'base.yaml', yaml('Design'));
  const head = writeYaml(dir, 'head.yaml', yaml('Design studio'));
  const markdown = await runCli(['plan', '-f', head, '--base', base, '--endpoint', em.url, '--format', 'markdown']);
  expect(markdown.stderr).toBe('');
  const section = markdown.stdout.split('#### Changed outside streamform (drift)\n\n')[1]?.split('\n\n')[0];
  expect(section).toBe(
    `- stack/design RedirectURL: AWS has "${HOTFIX}", the base config declares "https://intranet.example.com/bye" (changed outside streamform since the base config was applied)`,
  );
  // The pull-request workflow names it in the environment.
  const text = await runCli(['plan', '-f', head, '--endpoint', em.url], { env: { STREAMFORM_BASE: base } });
  expect(text.stdout).toContain(`drift: stack/design RedirectURL: AWS has "${HOTFIX}"`);
  const foreign = writeYaml(dir, 'foreign.yaml', yaml('Design').replace('project: studio', 'project: other'));
  const refused = await runCli(['plan', '-f', head, '--base', foreign, '--endpoint', em.url]);
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim()).toBe(`streamform: plan: --base ${foreign} is a config of project "other", not "studio"`);
});
