/**
 * The property the product rests on: whatever the config, after its plan is applied the next plan
 * has nothing to do. Random configs are applied one after another to one emulator (so creates,
 * updates, clears, replaces and prunes all happen), and each is followed by a plan that must be empty.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { AgentAccessSetting, Config, ImageConfig, StackConfig, StreamingImageConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { callList, config, converge, emulator } from './helpers.js';
import { USER_ACTIONS } from './live.js';

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Declared, cleared (null) or left out. */
const threeWay = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const word = fc.constantFrom('alpha', 'beta', 'gamma');
const domains = fc.uniqueArray(fc.constantFrom('a.example.com', 'b.example.com', 'c.example.com'), { minLength: 1, maxLength: 3 });
const tags = fc.dictionary(fc.constantFrom('team', 'cost', 'env'), word, { maxKeys: 3 });

const userSetting = fc.constantFrom(...USER_ACTIONS).chain((Action) =>
  fc.oneof(
    fc.constant({ Action, Permission: 'DISABLED' as const }),
    Action.startsWith('CLIPBOARD_')
      ? fc.record({ Action: fc.constant(Action), Permission: fc.constant('ENABLED' as const), MaximumLength: maybe(fc.integer({ min: 1, max: 20_971_520 })) }, { requiredKeys: ['Action', 'Permission'] })
      : fc.constant({ Action, Permission: 'ENABLED' as const }),
  ),
);

const connector = fc.constantFrom('HOMEFOLDERS', 'GOOGLE_DRIVE', 'ONE_DRIVE').chain((ConnectorType) =>
  fc.record(
    {
      ConnectorType: fc.constant(ConnectorType),
      Domains: domains,
      ...(ConnectorType === 'ONE_DRIVE' ? { DomainsRequireAdminConsent: domains } : {}),
    },
    { requiredKeys: ['ConnectorType'] },
  ),
);

const stack = (Name: string): fc.Arbitrary<StackConfig> =>
  fc.record(
    {
      Name: fc.constant(Name),
      Description: threeWay(word),
      DisplayName: threeWay(word),
      RedirectURL: threeWay(fc.constantFrom('https://r.example.com', 'https://s.example.com')),
      FeedbackURL: threeWay(fc.constantFrom('https://f.example.com')),
      EmbedHostDomains: threeWay(domains),
      StorageConnectors: threeWay(fc.uniqueArray(connector, { selector: (c) => c.ConnectorType, maxLength: 3 })),
      UserSettings: threeWay(fc.uniqueArray(userSetting, { selector: (s) => s.Action, minLength: 1, maxLength: 4 })),
      ApplicationSettings: threeWay(fc.constantFrom({ Enabled: true, SettingsGroup: 'group' }, { Enabled: false })),
      AccessEndpoints: threeWay(fc.constant([{ EndpointType: 'STREAMING' as const, VpceId: 'vpce-0123456789abcdef0' }])),
      StreamingExperienceSettings: threeWay(fc.record({ PreferredProtocol: fc.constantFrom('TCP' as const, 'UDP' as const) })),
      ContentRedirection: threeWay(fc.record({ HostToClient: fc.record({ Enabled: fc.boolean(), AllowedUrls: fc.constant(['https://*.example.com']) }) })),
      // Bucket and user control mode come and go: UpdateStack merges this attribute, so the plan must clear what is dropped.
      AgentAccessConfig: threeWay(
        fc
          .record(
            {
              Settings: fc.constantFrom<AgentAccessSetting[]>([{ AgentAction: 'COMPUTER_VISION', Permission: 'ENABLED' }], [{ AgentAction: 'FORWARD_MCP_TOOLS', Permission: 'DISABLED' }]),
              ScreenResolution: fc.constant('W_1280xH_720' as const),
              ScreenImageFormat: fc.constantFrom('PNG' as const, 'JPEG' as const),
              ScreenshotsUploadEnabled: fc.boolean(),
              S3BucketArn: fc.constant('arn:aws:s3:::screenshots-bucket'),
              UserControlMode: fc.constantFrom('VIEW_ONLY' as const, 'VIEW_STOP' as const, 'DISABLED' as const),
            },
            { requiredKeys: ['Settings', 'ScreenResolution', 'ScreenImageFormat'] },
          )
          // Uploading screenshots needs a bucket.
          .map(({ ScreenshotsUploadEnabled, ...config }): NonNullable<StackConfig['AgentAccessConfig']> => ({ ...config, ...(config.S3BucketArn ? { ScreenshotsUploadEnabled } : {}) })),
      ),
      Fleets: threeWay(fc.uniqueArray(fc.constantFrom('fleet-a', 'fleet-b'), { maxLength: 2 })),
      Tags: threeWay(tags),
    },
    { requiredKeys: ['Name'] },
  );

const image = (Name: string): fc.Arbitrary<ImageConfig> =>
  fc.record(
    {
      Name: fc.constant(Name),
      SharedWith: threeWay(
        fc.uniqueArray(
          fc.record({ AccountId: fc.constantFrom('111111111111', '222222222222'), AllowFleet: fc.boolean(), AllowImageBuilder: fc.boolean() }),
          { selector: (s) => s.AccountId, maxLength: 2 },
        ),
      ),
      Tags: threeWay(tags),
    },
    { requiredKeys: ['Name'] },
  );

const streamingImage = (Name: string): fc.Arbitrary<StreamingImageConfig> =>
  fc.record(
    {
      StudioId: fc.constant('studio-1'),
      Name: fc.constant(Name),
      Ec2ImageId: fc.constantFrom('ami-1', 'ami-2'),
      Description: threeWay(word),
      Tags: threeWay(tags),
    },
    { requiredKeys: ['StudioId', 'Name', 'Ec2ImageId'] },
  );

/** A subset of the names, each with its own random declaration. */
const some = <T>(names: string[], of: (name: string) => fc.Arbitrary<T>) => fc.subarray(names).chain((chosen) => fc.tuple(...chosen.map(of)));

const configs: fc.Arbitrary<Config> = fc
  .record({
    stacks: some(['design', 'review', 'legacy'], stack),
    images: some(['img-a', 'img-b'], image),
    streamingImages: some(['render', 'comp'], streamingImage),
  })
  .map((parts) => config(parts));

/** Fleets and images exist beforehand; "legacy" is an existing stack nobody owns yet (adopted when declared). */
const SEED: EmulatorState = {
  appstream: {
    fleets: [{ Name: 'fleet-a' }, { Name: 'fleet-b' }],
    images: [{ Name: 'img-a' }, { Name: 'img-b' }],
    stacks: [{ Name: 'legacy', Description: 'made by hand', RedirectURL: 'https://legacy.example.com', Tags: { team: 'ops' } }],
  },
  nimble: { studios: [{ studioId: 'studio-1' }] },
};

test('after applying any plan, the next plan has nothing to do', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(configs, { minLength: 2, maxLength: 3 }), fc.boolean(), async (sequence, prune) => {
      const em = await emulator({ state: SEED });
      try {
        for (const cfg of sequence) {
          const { second } = await converge(em, cfg, prune);
          expect(callList(second), JSON.stringify(second.changes.filter((c) => c.action !== 'no-op'))).toEqual([]);
          expect(second.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        }
      } finally {
        await em.close();
      }
    }),
    { numRuns: 15, seed: 4242 },
  );
});
