/** The entitlements section of the config: CreateEntitlement's members plus Applications, with the documented attribute names and sets. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEntitlementRequest$ } from '@aws-sdk/client-appstream';
import { afterAll, expect, it } from 'vitest';
import { buildSchema } from '../../scripts/gen-schema.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { compareConfigs } from '../../src/configdiff/compare.js';
import type { Config } from '../../src/config/types.js';

const defs = (buildSchema() as { $defs: Record<string, { properties: Record<string, unknown>; required?: string[] }> }).$defs;
const dir = mkdtempSync(join(tmpdir(), 'streamform-entitlements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems loading a config with these entitlements (YAML lines, indented as list items) reports. */
async function problems(entitlements: string): Promise<string[]> {
  const file = join(dir, 'entitlements.yaml');
  writeFileSync(file, `version: 1\nproject: p\nstacks:\n  - Name: desk\nentitlements:\n${entitlements}`);
  const error = await loadConfig([file]).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: 'entitlements.yaml' }));
}

it('has a property for every member of the SDK CreateEntitlementRequest, plus Applications and Targets, and requires what CreateEntitlement requires', () => {
  expect(Object.keys(defs.EntitlementConfig.properties).sort()).toEqual([...(CreateEntitlementRequest$[4] as string[]), 'Applications', 'Targets'].sort());
  expect(defs.EntitlementConfig.required!.sort()).toEqual(['AppVisibility', 'Attributes', 'Name', 'StackName']);
});

it('takes a declaration with every property', async () => {
  expect(
    await problems(`  - { StackName: desk, Name: designers, Description: null, AppVisibility: ASSOCIATED, Attributes: [{ Name: groups, Value: vfx }], Applications: [maya] }\n`),
  ).toEqual([]);
});

it('names a misspelt attribute name, an attribute or application given twice, and an empty attribute list', async () => {
  const found = await problems(
    [
      '  - StackName: desk',
      '    Name: a',
      '    AppVisibility: ALL',
      '    Attributes: [{ Name: departmnt, Value: x }, { Name: roles, Value: y }, { Name: roles, Value: y }]',
      '    Applications: [maya, maya]',
      '  - { StackName: desk, Name: b, AppVisibility: ALL, Attributes: [] }',
      '',
    ].join('\n'),
  );
  expect(found).toEqual([
    'entitlements.yaml:9:26: entitlements[0].Attributes[0].Name: expected one of roles, department, organization, groups, title, costCenter, userType, found "departmnt" (did you mean department?)',
    'entitlements.yaml:9:76: entitlements[0].Attributes[2]: attribute (Name/Value) "roles/y" is declared twice (first at line 9)',
    'entitlements.yaml:10:26: entitlements[0].Applications[1]: application "maya" is declared twice (first at line 10)',
    'entitlements.yaml:11:65: entitlements[1].Attributes: expected at least 1 item, found 0 items',
  ]);
});

it('compares attributes and applications as sets in the offline config diff', async () => {
  const loaded = (config: Config) => ({ config, files: ['c.yaml'], locate: () => ({ file: 'c.yaml', line: 1, column: 1 }) });
  const entitlement = { StackName: 'desk', Name: 'a', AppVisibility: 'ALL' as const, Attributes: [{ Name: 'roles' as const, Value: 'x' }, { Name: 'groups' as const, Value: 'y' }], Applications: ['b', 'a'] };
  const base: Config = { version: 1, project: 'p', entitlements: [entitlement] };
  const reordered: Config = { ...base, entitlements: [{ ...entitlement, Attributes: [...entitlement.Attributes].reverse(), Applications: ['a', 'b'] }] };
  expect(compareConfigs(loaded(base), loaded(reordered)).changes).toEqual([]);
  const changed: Config = { ...base, entitlements: [{ ...entitlement, Applications: ['a'] }] };
  expect(compareConfigs(loaded(base), loaded(changed)).changes.map((c) => [c.address, c.diffs.map((d) => [d.path, d.removed])])).toEqual([['entitlement/desk/a', [['Applications', ['b']]]]]);
});
