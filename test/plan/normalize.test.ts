/** The normal forms: defaults, "no value", sets; pure, idempotent, never mutating. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalizeImage } from '../../src/kinds/image/normalize.js';
import { normalizeStreamingImage } from '../../src/kinds/streaming-image/normalize.js';
import { normalizeStack, STACK_ATTRIBUTES, type NormalStack, type StackValues } from '../../src/kinds/stack/normalize.js';
import { userTags } from '../../src/normalize/values.js';
import { USER_ACTIONS } from './live.js';

/** A normal form written back in the shape it came in, so it can be normalized again. */
const asValues = (normal: NormalStack): StackValues => ({
  ...normal.attributes,
  UserSettings: Object.values(normal.userSettings),
  ...(normal.fleets ? { Fleets: normal.fleets } : {}),
  Tags: normal.tags,
});

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const domain = fc.constantFrom('a.example.com', 'b.example.com', 'c.example.com', '');
const stackValues = fc.record(
  {
    Description: maybe(fc.constantFrom('', 'd', null)),
    RedirectURL: maybe(fc.constantFrom('', 'https://r', null)),
    EmbedHostDomains: maybe(fc.array(domain, { maxLength: 4 })),
    StorageConnectors: maybe(
      fc.uniqueArray(
        fc.record({ ConnectorType: fc.constantFrom('HOMEFOLDERS', 'GOOGLE_DRIVE', 'ONE_DRIVE'), Domains: maybe(fc.array(domain, { maxLength: 3 })) }),
        { selector: (c) => c.ConnectorType, maxLength: 3 },
      ),
    ),
    ApplicationSettings: maybe(fc.record({ Enabled: fc.boolean(), SettingsGroup: maybe(fc.constantFrom('', 'g')), S3BucketName: maybe(fc.constant('bucket')) })),
    UserSettings: maybe(
      fc.uniqueArray(
        fc.record({ Action: fc.constantFrom(...USER_ACTIONS), Permission: fc.constantFrom('ENABLED', 'DISABLED'), MaximumLength: maybe(fc.integer({ min: 1, max: 100 })) }),
        { selector: (s) => s.Action, maxLength: 4 },
      ),
    ),
    Fleets: maybe(fc.array(fc.constantFrom('f1', 'f2', 'f3'), { maxLength: 3 })),
    Tags: maybe(fc.dictionary(fc.constantFrom('team', 'cost', 'streamform:project', 'aws:x'), fc.string({ maxLength: 3 }))),
  },
  { requiredKeys: [] },
);

describe('normalizeStack', () => {
  test('is idempotent and does not change its input', () => {
    fc.assert(
      fc.property(stackValues, (values) => {
        const before = JSON.stringify(values);
        const once = normalizeStack(values as StackValues);
        expect(JSON.stringify(values)).toBe(before);
        expect(normalizeStack(asValues(once))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  test('the order of set-like lists never matters', () => {
    fc.assert(
      fc.property(stackValues, (values) => {
        const reversed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? [...v].reverse() : v]));
        expect(normalizeStack(reversed as StackValues)).toEqual(normalizeStack(values as StackValues));
      }),
      { numRuns: 200 },
    );
  });

  test('fills in the service defaults and drops what means "no value"', () => {
    const normal = normalizeStack({
      Description: '',
      DisplayName: null,
      StorageConnectors: [],
      ApplicationSettings: { Enabled: false, SettingsGroup: 'ignored while disabled', S3BucketName: 'b' },
      UserSettings: [
        { Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED' },
        { Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'DISABLED' },
        { Action: 'FILE_UPLOAD', Permission: 'ENABLED' },
      ],
      StreamingExperienceSettings: {},
    });
    expect(normal.attributes).toEqual({ ApplicationSettings: { Enabled: false } });
    expect(normal.userSettings).toEqual({
      CLIPBOARD_COPY_TO_LOCAL_DEVICE: { Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 20_971_520 },
      CLIPBOARD_COPY_FROM_LOCAL_DEVICE: { Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'DISABLED' },
      FILE_UPLOAD: { Action: 'FILE_UPLOAD', Permission: 'ENABLED' },
    });
    expect(normalizeStack({}).attributes).toEqual({ ApplicationSettings: { Enabled: false } });
    expect(normalizeStack({ ApplicationSettings: { Enabled: true, SettingsGroup: 'g', S3BucketName: 'b' } }).attributes.ApplicationSettings).toEqual({ Enabled: true, SettingsGroup: 'g' });
  });

  test('storage connectors are keyed by type, their domains sorted', () => {
    const normal = normalizeStack({
      StorageConnectors: [
        { ConnectorType: 'ONE_DRIVE', Domains: ['b.com', 'a.com', 'a.com'], DomainsRequireAdminConsent: [] },
        { ConnectorType: 'HOMEFOLDERS', ResourceIdentifier: '' },
      ],
    });
    expect(normal.attributes.StorageConnectors).toEqual([{ ConnectorType: 'HOMEFOLDERS' }, { ConnectorType: 'ONE_DRIVE', Domains: ['a.com', 'b.com'] }]);
  });

  test('covers every attribute UpdateStack can set', () => {
    expect([...STACK_ATTRIBUTES].sort()).toEqual(
      ['AccessEndpoints', 'AgentAccessConfig', 'ApplicationSettings', 'ContentRedirection', 'Description', 'DisplayName', 'EmbedHostDomains', 'FeedbackURL', 'RedirectURL', 'StorageConnectors', 'StreamingExperienceSettings'],
    );
  });
});

describe('tags and images', () => {
  test('the user\'s tags leave out streamform\'s and AWS\'s own keys; empty values are values', () => {
    expect(userTags({ b: '', a: '1', 'streamform:project': 'p', 'aws:cloudformation:stack-name': 's' })).toEqual({ a: '1', b: '' });
  });

  test('sharing is keyed by account, absent permissions are false', () => {
    expect(normalizeImage({ sharedWith: [{ AccountId: '2', AllowFleet: true, AllowImageBuilder: false }, { AccountId: '1', AllowFleet: false, AllowImageBuilder: true }] }).sharedWith).toEqual({
      1: { AccountId: '1', AllowFleet: false, AllowImageBuilder: true },
      2: { AccountId: '2', AllowFleet: true, AllowImageBuilder: false },
    });
    expect(normalizeImage({}).sharedWith).toBeUndefined();
    expect(normalizeImage({ sharedWith: null }).sharedWith).toEqual({});
  });

  test('a streaming image\'s empty description is no description', () => {
    expect(normalizeStreamingImage({ ec2ImageId: 'ami-1', description: '', tags: null })).toEqual({ Ec2ImageId: 'ami-1', tags: {} });
  });
});
