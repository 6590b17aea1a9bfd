/**
 * `streamform import` of entitlements: each entitlement of a stack the import declares, as found;
 * the plan of the imported config only adopts the stacks, and a second import declares the same.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { renderImportYaml } from '../../src/import/yaml.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyAll, planOf, tempDir, writeYaml } from '../drift/support.js';
import { callList } from '../plan/helpers.js';
import { applicationsNamed } from './entitlement-fixtures.js';

const DESIGN = [{ Name: 'department', Value: 'design' }];
const ACCOUNT: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'desk' }, { Name: 'theirs', Tags: { [OWNER_TAG]: 'other' } }],
    ...applicationsNamed('maya', 'nuke'),
    entitlements: [
      { StackName: 'desk', Name: 'leads', AppVisibility: 'ALL', Attributes: [{ Name: 'title', Value: 'lead' }, ...DESIGN], Description: 'Team leads' },
      { StackName: 'desk', Name: 'artists', AppVisibility: 'ASSOCIATED', Attributes: DESIGN, Applications: ['nuke', 'maya'] },
      { StackName: 'theirs', Name: 'artists', AppVisibility: 'ALL', Attributes: DESIGN },
    ],
  },
};

let emulator: TestEmulator;
const dir = tempDir('entitlement-import');
beforeAll(async () => void (emulator = await startTestEmulator({ transitionMs: 10, state: ACCOUNT })));
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `streamform import` in-process: the account read, the config built, written as YAML and loaded back as a plan would load it. */
async function importAccount(file: string) {
  const live = await describeAccount(emulator.clients, { studios: [] });
  const result = buildImport(live, { project: 'shop', region: 'us-east-1' });
  const path = writeYaml(dir, file, renderImportYaml(result, { schema: 'streamform.schema.json', studios: [] }));
  return { result, loaded: await loadConfig([path]) };
}

it('imports the entitlements of the stacks it declares, plans nothing for them, and imports the same again', async () => {
  const first = await importAccount('first.yaml');
  expect(first.result.config.entitlements).toEqual([
    { StackName: 'desk', Name: 'artists', AppVisibility: 'ASSOCIATED', Attributes: DESIGN, Applications: ['maya', 'nuke'] },
    { StackName: 'desk', Name: 'leads', Description: 'Team leads', AppVisibility: 'ALL', Attributes: [...DESIGN, { Name: 'title', Value: 'lead' }] },
  ]);
  expect(first.result.notes.filter((n) => n.address.startsWith('entitlement/')).map((n) => `${n.address}${n.declared ? '' : ' (left out)'}: ${n.message}`)).toEqual([
    'entitlement/desk/artists: entitlements carry no tags: streamform manages this one through stack desk, and with prune deletes it once it is no longer declared',
    'entitlement/desk/leads: entitlements carry no tags: streamform manages this one through stack desk, and with prune deletes it once it is no longer declared',
    'entitlement/theirs/artists (left out): its stack theirs is owned by the streamform project "other"',
  ]);

  const adopted = await planOf(first.loaded, emulator.clients, emulator.url);
  expect(adopted.diagnostics).toEqual([]);
  // The app block, the stack and the applications are imported too, and adopted.
  expect(callList(adopted)).toEqual(['TagResource appBlock/apps', 'TagResource stack/desk', 'TagResource application/maya', 'TagResource application/nuke']);
  expect(adopted.changes.filter((c) => c.kind === 'entitlement').map((c) => `${c.address} ${c.action}${c.adopt ? ' (adopt)' : ''}`)).toEqual([
    'entitlement/desk/artists no-op (adopt)',
    'entitlement/desk/leads no-op (adopt)',
  ]);
  expect((await applyAll(adopted, emulator.url)).failed).toBe(0);
  expect(callList(await planOf(first.loaded, emulator.clients, emulator.url))).toEqual([]);
  expect((await importAccount('second.yaml')).result.config).toEqual(first.result.config);
});
