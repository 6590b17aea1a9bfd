/** Per-target configs as the loader makes them: the singleton usageReports goes where its Targets say, as list elements do. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadTargets } from '../../src/config/load.js';

const root = mkdtempSync(join(tmpdir(), 'streamform-targets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function configFile(text: string): string {
  const file = join(root, `${++count}.yaml`);
  writeFileSync(file, text);
  return file;
}

const TARGETS = `version: 1
project: studio
targets:
  - name: us
    region: us-east-1
    vars: { reports: true }
  - name: eu
    region: eu-west-1
    vars: { reports: false }
`;

describe('usageReports across targets', () => {
  it('goes to the targets its Targets name, and to none other, without its Targets list', async () => {
    const loaded = await loadTargets([configFile(`${TARGETS}usageReports:\n  Enabled: true\n  Targets: [eu]\n`)]);
    expect(loaded.map(({ target, loaded }) => [target?.name, loaded.config.usageReports])).toEqual([
      ['us', undefined],
      ['eu', { Enabled: true }],
    ]);
  });

  it("takes each target's variables, keeping their type", async () => {
    const loaded = await loadTargets([configFile(`${TARGETS}usageReports:\n  Enabled: \${vars.reports}\n`)]);
    expect(loaded.map(({ loaded }) => loaded.config.usageReports)).toEqual([{ Enabled: true }, { Enabled: false }]);
  });

  it('refuses a target it names that the config lacks, at its line', async () => {
    const file = configFile(`${TARGETS}usageReports:\n  Enabled: true\n  Targets: [ap]\n`);
    const error = await loadTargets([file]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).diagnostics.map(formatDiagnostic)).toEqual([`${file}:12:13: usageReports.Targets[0]: no target named ap; the config has us, eu`]);
  });
});

describe('declarations the targets do not vary', () => {
  const STACKS = `stacks:
  - Name: shared
    Description: the same everywhere
  - Name: varied
    Description: reports \${vars.reports}
`;

  it('are the same objects in every target, and the varied ones are each target\'s own', async () => {
    const [us, eu] = await loadTargets([configFile(`${TARGETS}${STACKS}`)]);
    const [usShared, usVaried] = us.loaded.config.stacks!;
    const [euShared, euVaried] = eu.loaded.config.stacks!;
    expect(usShared).toBe(euShared);
    expect(usVaried).not.toBe(euVaried);
    expect([usVaried.Description, euVaried.Description]).toEqual(['reports true', 'reports false']);
  });

  it('found wrong in a config that no target varies, are said once, at their line', async () => {
    const error = await loadTargets([configFile(`${TARGETS}stacks:\n  - Name: shared\n    Description: 7\n`)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).diagnostics.map(formatDiagnostic);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/:12:18: stacks\[0\]\.Description: expected a string or null, found the number 7/);
    expect(lines[0]).not.toMatch(/target (us|eu)/);
  });
});
