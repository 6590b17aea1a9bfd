import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { renderImportYaml } from '../../src/import/yaml.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyAll, planOf, tempDir, writeYaml } from '../drift/support.js';

const PROJECT = 'roundtrip';
const FLEETS = ['f1', 'f2', 'f3'];
const ACTIONS = [
  'CLIPBOARD_COPY_FROM_LOCAL_DEVICE',
  'CLIPBOARD_COPY_TO_LOCAL_DEVICE',
  'FILE_UPLOAD',
  'FILE_DOWNLOAD',
  'PRINTING_TO_LOCAL_DEVICE',
  'DOMAIN_PASSWORD_SIGNIN',
  'DOMAIN_SMART_CARD_SIGNIN',
  'AUTO_TIME_ZONE_REDIRECTION',
];

const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ]{0,9}$/);
const tags = fc.dictionary(fc.constantFrom('team', 'cost', 'env', 'owner'), fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,8}$/), { maxKeys: 3 });
/** No owner, or another project: resources of this project come from an apply, below. */
const ownerTag = fc.option(fc.constant({ 'streamform:project': 'someone-else' }), { nil: undefined, freq: 4 });
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const userSetting = fc.constantFrom(...ACTIONS).chain((Action) =>
  fc.oneof(
    fc.constant({ Action, Permission: 'DISABLED' }),
    Action.startsWith('CLIPBOARD_')
      ? fc.record({ Action: fc.constant(Action), Permission: fc.constant('ENABLED'), MaximumLength: optional(fc.constantFrom(1, 4096, 20_971_520)) }, { requiredKeys: ['Action', 'Permission'] })
      : fc.constant({ Action, Permission: 'ENABLED' }),
  ),
);

const stack = fc.record(
  {
    Name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
    DisplayName: text,
    Description: text,
    RedirectURL: fc.constantFrom('https://intranet.example.com/', 'https://example.com/bye'),
    FeedbackURL: fc.constant('https://example.com/feedback'),
    StorageConnectors: fc.uniqueArray(
      fc.oneof(
        fc.constant({ ConnectorType: 'HOMEFOLDERS' }),
        fc.record({ ConnectorType: fc.constantFrom('GOOGLE_DRIVE', 'ONE_DRIVE'), Domains: fc.uniqueArray(fc.constantFrom('a.example.com', 'b.example.com'), { minLength: 1 }) }),
      ),
      { selector: (c) => c.ConnectorType, maxLength: 3 },
    ),
    UserSettings: fc.uniqueArray(userSetting, { selector: (s) => s.Action, maxLength: 4 }),
    ApplicationSettings: fc.constantFrom({ Enabled: false }, { Enabled: true, SettingsGroup: 'profiles' }),
    EmbedHostDomains: fc.uniqueArray(fc.constantFrom('studio.example.com', 'apps.example.com'), { minLength: 1 }),
    AccessEndpoints: fc.constant([{ EndpointType: 'STREAMING', VpceId: 'vpce-0123456789abcdef0' }]),
    StreamingExperienceSettings: fc.record({ PreferredProtocol: fc.constantFrom('TCP', 'UDP') }),
    Tags: tags,
    owner: ownerTag,
    fleets: fc.subarray(FLEETS),
  },
  { requiredKeys: ['Name', 'Tags', 'fleets'] },
);

const image = fc.record(
  {
    Name: fc.stringMatching(/^img-[a-z0-9]{1,6}$/),
    State: fc.constantFrom('AVAILABLE', 'AVAILABLE', 'FAILED'),
    SharedImagePermissions: fc.uniqueArray(
      fc.record({ sharedAccountId: fc.constantFrom('210987654321', '111122223333'), imagePermissions: fc.record({ allowFleet: fc.boolean(), allowImageBuilder: fc.boolean() }) }),
      { selector: (p) => p.sharedAccountId, maxLength: 2 },
    ),
    Tags: tags,
    owner: ownerTag,
  },
  { requiredKeys: ['Name', 'State', 'SharedImagePermissions', 'Tags'] },
);

const streamingImage = fc.record(
  {
    name: fc.constantFrom('maya', 'nuke', 'houdini', 'blender'),
    ec2ImageId: fc.stringMatching(/^ami-[0-9a-f]{8}$/),
    description: text,
    tags,
    owner: ownerTag,
    state: fc.constantFrom('READY', 'READY', 'READY', 'CREATE_FAILED'),
    amazon: fc.boolean(),
  },
  { requiredKeys: ['name', 'ec2ImageId', 'tags', 'state', 'amazon'] },
);

/** The service refuses empty lists where it wants at least one element: leave them out. */
function withoutEmptyLists<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => !(Array.isArray(value) && value.length === 0))) as T;
}

const account = fc
  .record({
    stacks: fc.uniqueArray(stack, { selector: (s) => s.Name, maxLength: 4 }),
    images: fc.uniqueArray(image, { selector: (i) => i.Name, maxLength: 3 }),
    streamingImages: fc.array(streamingImage, { maxLength: 4 }),
  })
  .map(({ stacks, images, streamingImages }): EmulatorState => ({
    region: 'us-east-1',
    appstream: {
      stacks: stacks.map(({ owner, fleets: _, Tags, ...fields }) => ({ ...withoutEmptyLists(fields), Tags: { ...Tags, ...owner } })),
      fleets: FLEETS.map((Name) => ({ Name, AssociatedStacks: stacks.filter((s) => s.fleets.includes(Name)).map((s) => s.Name) })),
      images: images.map(({ owner, Tags, ...fields }) => ({ ...fields, Tags: { ...Tags, ...owner } })),
    },
    nimble: {
      studios: [
        {
          studioId: 'st-1',
          streamingImages: streamingImages.map(({ owner, tags, amazon, ...fields }, i) => ({
            ...fields,
            streamingImageId: `si-${i}`,
            tags: { ...tags, ...owner },
            ...(amazon ? { owner: 'amazon' } : {}),
          })),
        },
      ],
    },
  }));

describe('import round trip (property)', () => {
  let emulator: TestEmulator;
  let dir: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ transitionMs: 10 });
    dir = tempDir('roundtrip');
  });
  afterAll(() => emulator?.close());

  /** import in-process, as the command does, and load the written file back through the config loader. */
  const importAccount = async (file: string) => {
    const result = buildImport(await describeAccount(emulator.clients, { studios: ['st-1'] }), { project: PROJECT, region: 'us-east-1' });
    writeYaml(dir, file, renderImportYaml(result, { schema: 'streamform.schema.json', studios: ['st-1'] }));
    return { result, loaded: await loadConfig([join(dir, file)]) };
  };

  it('plans an imported account as adoption only; after it is applied, as no changes; and imports it again the same', async () => {
    let declared = 0;
    await fc.assert(
      fc.asyncProperty(account, async (state) => {
        await emulator.setState(state);
        const first = await importAccount('first.yaml');
        const { stacks = [], images = [], streamingImages = [] } = first.result.config;
        declared += stacks.length + images.length + streamingImages.length;
        const plan = await planOf(first.loaded, emulator.clients, emulator.url);
        expect(plan.diagnostics).toEqual([]);
        for (const change of plan.changes) {
          expect(change.diffs, change.address).toEqual([]);
          expect(change.adopt, change.address).toBe(true);
        }
        expect(new Set(plan.calls.map((call) => call.operation))).toEqual(new Set(plan.calls.length ? ['TagResource'] : []));

        expect((await applyAll(plan, emulator.url)).failed).toBe(0);
        const after = await planOf(first.loaded, emulator.clients, emulator.url);
        expect(after.calls).toEqual([]);
        expect(after.changes.every((change) => change.action === 'no-op' && !change.adopt)).toBe(true);

        const second = await importAccount('second.yaml');
        expect(second.result.config).toEqual(first.result.config);
        expect(second.result.notes.filter((note) => note.declared)).toEqual([]);
      }),
      { numRuns: 15 },
    );
    // The generated accounts must give import something to declare, or the property proves nothing.
    expect(declared).toBeGreaterThan(0);
  });
});
