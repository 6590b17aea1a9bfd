/**
 * The usageReports section: one object, not a list; files of one config that state it must agree;
 * wrong shapes are errors at file:line:column; the offline config diff and the config digest see it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configDigest } from '../../src/config/digest.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { compareConfigs, declaredPointers } from '../../src/configdiff/compare.js';

const dir = mkdtempSync(join(tmpdir(), 'streamform-usage-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the files (name → text after the version and project lines) and loads them together. */
async function load(files: Record<string, string>) {
  const paths = Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, `version: 1\nproject: p\n${text}`);
    return path;
  });
  return loadConfig(paths);
}

async function problems(files: Record<string, string>): Promise<string[]> {
  const error = await load(files).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: d.file.slice(dir.length + 1) }));
}

describe('usageReports in the config', () => {
  it('is one object, located in the file that states it, also when another file leaves it out', async () => {
    const loaded = await load({ 'a.yaml': 'stacks: [{ Name: desk }]\n', 'b.yaml': 'region: us-east-1\nusageReports:\n  Enabled: true\n' });
    expect(loaded.config.usageReports).toEqual({ Enabled: true });
    expect(loaded.locate('/usageReports/Enabled')).toEqual({ file: join(dir, 'b.yaml'), line: 5, column: 3 });
    expect(declaredPointers(loaded.config).get('usageReport/subscription')).toBe('/usageReports');
  });

  it('may be stated by several files when they agree, and is an error where they do not', async () => {
    expect(await problems({ 'a.yaml': 'usageReports: { Enabled: true }\n', 'b.yaml': 'usageReports:\n  Enabled: true\n' })).toEqual([]);
    expect(await problems({ 'a.yaml': 'usageReports: { Enabled: true }\n', 'b.yaml': 'usageReports: { Enabled: false }\n' })).toEqual([
      `b.yaml:3:1: usageReports: usageReports {"Enabled":false} differs from {"Enabled":true} in ${join(dir, 'a.yaml')}; all files of a config must agree`,
    ]);
  });

  it('refuses a list, a missing or misspelt Enabled, null and other values, in one line each', async () => {
    const one = async (value: string) => problems({ 'u.yaml': `usageReports: ${value}\n` });
    expect(await one('[{ Enabled: true }]')).toEqual(['u.yaml:3:15: usageReports: expected a map, found a list']);
    expect(await one('{}')).toEqual(['u.yaml:3:15: usageReports.Enabled: required property is missing']);
    expect(await one('{ Enable: true }')).toEqual(['u.yaml:3:15: usageReports.Enabled: required property is missing', 'u.yaml:3:17: usageReports.Enable: unknown property (did you mean Enabled?)']);
    expect(await one('null')).toEqual(['u.yaml:3:15: usageReports: expected a map, found null']);
    expect(await one('{ Enabled: "yes" }')).toEqual(['u.yaml:3:26: usageReports.Enabled: expected true or false, found "yes"; YAML 1.2 reads this as a string, write true or false']);
  });

  it('changes the config digest and shows in the offline config diff as the subscription it is', async () => {
    const off = await load({ 'off.yaml': 'usageReports: { Enabled: false }\n' });
    const on = await load({ 'on.yaml': 'usageReports: { Enabled: true }\n' });
    const none = await load({ 'none.yaml': '' });
    expect(configDigest(on.config)).not.toBe(configDigest(off.config));
    expect(compareConfigs(off, on).changes).toEqual([expect.objectContaining({ address: 'usageReport/subscription', change: 'changed', diffs: [expect.objectContaining({ path: 'Enabled', before: false, after: true })] })]);
    expect(compareConfigs(none, on).changes).toEqual([expect.objectContaining({ address: 'usageReport/subscription', change: 'added' })]);
  });
});
