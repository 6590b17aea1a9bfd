import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { configDigest } from '../../src/config/digest.js';
import { canonicalJson } from '../../src/core/digest.js';
import { loadConfig } from '../../src/config/load.js';
import { schemaProblems } from '../../src/config/schema.js';
import { SET_LISTS, listsAt } from '../../src/config/sets.js';
import type { Config } from '../../src/config/types.js';
import appstreamFacts from '../../src/facts/appstream.json' with { type: 'json' };

const shapes = appstreamFacts.shapes as Record<string, { enum?: string[] }>;
const enumOf = (shape: string) => fc.constantFrom(...shapes[shape].enum!);

// Valid values, built from the same facts the schema is.
const name = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,30}$/);
const domain = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/).map((label) => `${label}.example.com`);
const text = (max: number) => fc.string({ maxLength: max, unit: fc.constantFrom(...'abcé XYZ-_.:0123'.split('')) });
const tagKey = fc
  .stringMatching(/^[\p{L}0-9][\p{L}0-9 _.:/=+@-]{0,20}$/u)
  .filter((k) => !/^(aws:|streamform:)/.test(k) && !['__proto__', 'constructor', 'prototype', '<<'].includes(k));
const tags = fc.dictionary(tagKey, fc.stringMatching(/^[\p{L}0-9 _.:/=+@-]{0,20}$/u), { maxKeys: 5 });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const unique = <T>(arb: fc.Arbitrary<T>, key: (t: T) => string, maxLength: number) => fc.uniqueArray(arb, { selector: key, maxLength });

const storageConnector = enumOf('StorageConnectorType').chain((type) =>
  fc.record(
    {
      ConnectorType: fc.constant(type),
      ResourceIdentifier: fc.constant('arn:aws:s3:::example-bucket'),
      Domains: unique(domain, (d) => d, 3),
      ...(type === 'ONE_DRIVE' ? { DomainsRequireAdminConsent: unique(domain, (d) => d, 2) } : {}),
    },
    { requiredKeys: ['ConnectorType'] },
  ),
);
const userSetting = fc.tuple(enumOf('Action'), enumOf('Permission'), fc.integer({ min: 1, max: 20_971_520 })).map(([Action, Permission, max]) =>
  Action.startsWith('CLIPBOARD_') && Permission === 'ENABLED' ? { Action, Permission, MaximumLength: max } : { Action, Permission },
);
const applicationSettings = fc.oneof(fc.constant({ Enabled: false }), text(20).map((group) => ({ Enabled: true, SettingsGroup: group })));
const agentAccess = fc.record({
  Settings: fc.constant([
    { AgentAction: 'COMPUTER_VISION', Permission: 'ENABLED' },
    { AgentAction: 'COMPUTER_INPUT', Permission: 'ENABLED' },
  ]),
  ScreenResolution: enumOf('ScreenResolution'),
  ScreenImageFormat: enumOf('ScreenImageFormat'),
  UserControlMode: enumOf('UserControlMode'),
});

const stack = fc.record(
  {
    Name: name,
    DisplayName: nullable(text(100)),
    Description: nullable(text(256)),
    StorageConnectors: nullable(unique(storageConnector, (c) => c.ConnectorType, 3)),
    RedirectURL: nullable(domain.map((d) => `https://${d}/`)),
    FeedbackURL: nullable(domain.map((d) => `https://${d}/feedback`)),
    UserSettings: nullable(unique(userSetting, (s) => s.Action, 8)),
    ApplicationSettings: nullable(applicationSettings),
    Tags: nullable(tags),
    AccessEndpoints: nullable(unique(fc.stringMatching(/^vpce-[0-9a-f]{8}$/).map((VpceId) => ({ EndpointType: 'STREAMING', VpceId })), (e) => e.VpceId, 4)),
    EmbedHostDomains: nullable(unique(domain, (d) => d, 5)),
    StreamingExperienceSettings: nullable(enumOf('PreferredProtocol').map((p) => ({ PreferredProtocol: p }))),
    ContentRedirection: nullable(fc.record({ HostToClient: fc.record({ Enabled: fc.boolean(), AllowedUrls: unique(domain.map((d) => `https://${d}`), (u) => u, 3) }) })),
    AgentAccessConfig: nullable(agentAccess),
    Fleets: nullable(unique(name, (f) => f, 3)),
  },
  { requiredKeys: ['Name'] },
);
const image = fc.record(
  {
    Name: name,
    SharedWith: nullable(
      unique(
        fc.record({ AccountId: fc.stringMatching(/^[0-9]{12}$/), AllowFleet: fc.boolean(), AllowImageBuilder: fc.boolean() }),
        (s) => s.AccountId,
        3,
      ),
    ),
    MaxBaseImageAgeDays: fc.integer({ min: 1, max: 3650 }),
    Tags: nullable(tags),
  },
  { requiredKeys: ['Name'] },
);
const streamingImage = fc.record(
  {
    StudioId: fc.constantFrom('stid-a', 'stid-b'),
    Name: text(64),
    Ec2ImageId: fc.stringMatching(/^ami-[0-9a-f]{8,17}$/),
    Description: nullable(text(256)),
    Tags: nullable(fc.dictionary(tagKey, text(30), { maxKeys: 3 })),
  },
  { requiredKeys: ['StudioId', 'Name', 'Ec2ImageId'] },
);
const config: fc.Arbitrary<Config> = fc.record(
  {
    version: fc.constant(1 as const),
    project: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    region: fc.constantFrom('us-east-1', 'eu-central-2', 'us-gov-west-1'),
    prune: fc.boolean(),
    stacks: unique(stack, (s) => s.Name, 4),
    images: unique(image, (i) => i.Name, 3),
    streamingImages: unique(streamingImage, (i) => `${i.StudioId}/${i.Name}`, 3),
  },
  { requiredKeys: ['version', 'project'] },
) as fc.Arbitrary<Config>;

const root = mkdtempSync(join(tmpdir(), 'streamform-property-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

describe('generated valid configs', () => {
  it('pass the schema', () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(schemaProblems(c)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('load from YAML to exactly what was written, with no problem', async () => {
    await fc.assert(
      fc.asyncProperty(config, async (c) => {
        const file = join(root, `config-${++runs}.yaml`);
        writeFileSync(file, stringify(c));
        expect((await loadConfig([file])).config).toEqual(c);
      }),
      { numRuns: 60 },
    );
  });
});

/** The config with every set-like list, the resource lists and every map's keys in another order. */
function reordered(c: Config, seed: number): Config {
  const copy = structuredClone(c);
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const set of SET_LISTS) {
    for (const { list } of listsAt(copy, set.path)) list.sort(() => random() - 0.5);
  }
  const shuffleKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(shuffleKeys);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value).sort(() => random() - 0.5);
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v)]));
  };
  return shuffleKeys(copy) as Config;
}

describe('configDigest', () => {
  it('is the same for a reordered config', () => {
    fc.assert(
      fc.property(config, fc.integer({ min: 1, max: 2 ** 30 }), (c, seed) => {
        expect(configDigest(reordered(c, seed))).toBe(configDigest(c));
      }),
      { numRuns: 200 },
    );
  });

  it('is the same from one release to the next, so that a saved plan stays valid (sha256 of the sorted canonical JSON)', () => {
    const c: Config = {
      version: 1,
      project: 'p',
      prune: false,
      stacks: [
        {
          Name: 'b',
          Description: '',
          Fleets: ['f2', 'f1'],
          UserSettings: [
            { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' },
            { Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'ENABLED' },
          ],
          StorageConnectors: [{ ConnectorType: 'ONE_DRIVE', Domains: ['z.example.com', 'a.example.com'] }, { ConnectorType: 'HOMEFOLDERS' }],
          Tags: { team: 'x', a: 'y' },
        },
        { Name: 'a', EmbedHostDomains: [], Tags: {} },
      ],
      images: [
        {
          Name: 'img',
          SharedWith: [
            { AccountId: '222222222222', AllowFleet: true, AllowImageBuilder: false },
            { AccountId: '111111111111', AllowFleet: false, AllowImageBuilder: true },
          ],
        },
      ],
    };
    expect(configDigest(c)).toBe('42439c3b8e9728736feb2511de6b89da46af938b4c3a1b55c3d1ef1d11023247');
  });

  it('is the same whichever way an attribute is cleared, or pruning left off', () => {
    const base: Config = { version: 1, project: 'p', stacks: [{ Name: 'a', Description: null, Fleets: null, Tags: null }] };
    const spelled: Config = { version: 1, project: 'p', prune: false, stacks: [{ Name: 'a', Description: '', Fleets: [], Tags: {} }] };
    expect(configDigest(spelled)).toBe(configDigest(base));
  });

  it('changes when the config asks for something else', () => {
    fc.assert(
      fc.property(config, (c) => {
        const digest = configDigest(c);
        expect(configDigest({ ...c, project: `${c.project}-x` })).not.toBe(digest);
        expect(configDigest({ ...c, stacks: [...(c.stacks ?? []), { Name: 'added-stack-that-is-new-' }] })).not.toBe(digest);
        const first = c.stacks?.[0];
        if (first) {
          const declared = first.Fleets === undefined ? { ...first, Fleets: null } : { ...first, Fleets: undefined };
          expect(configDigest({ ...c, stacks: [declared, ...c.stacks!.slice(1)] }), 'declared vs left out').not.toBe(digest);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('does not depend on how the config is split into files', async () => {
    const dir = join(root, 'split');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.yaml'), 'version: 1\nproject: p\nstacks:\n  - Name: b\n    Fleets: [y, x]\nimages: [{ Name: i }]\n');
    writeFileSync(join(dir, 'b.yaml'), 'version: 1\nproject: p\nstacks:\n  - Name: a\n');
    const whole = join(root, 'whole.yaml');
    writeFileSync(whole, 'version: 1\nproject: p\nimages: [{ Name: i }]\nstacks:\n  - Name: a\n  - Fleets: [x, y]\n    Name: b\n');
    expect(configDigest((await loadConfig([dir])).config)).toBe(configDigest((await loadConfig([whole])).config));
  });
});

describe('canonical JSON', () => {
  /** The value with every object's keys in the reverse of the order they had. */
  const reversedKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reversedKeys);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reversedKeys(member)]));
  };
  const values = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.option(tie('value'), { nil: undefined }), { maxKeys: 5 })),
  })).value;

  it('reads back as the value (undefined members left out), and is the same text whatever the order of its keys', () => {
    fc.assert(
      fc.property(values, (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value) ?? 'null'));
        expect(canonicalJson(reversedKeys(value))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('writes keys in code-point order, numeric ones among them', () => {
    expect(canonicalJson({ b: 1, '': { z: [{ y: 1, x: undefined, a: 2 }] }, '10': 0, '9': 0 })).toBe('{"":{"z":[{"a":2,"y":1}]},"10":0,"9":0,"b":1}');
  });
});
