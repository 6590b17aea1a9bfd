import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';

const CORPUS = 'test/fixtures/config/invalid';

/** One expected diagnostic: "line:column", the JSON pointer of the property at fault, and what the message must say. */
type Expected = [at: string, path: string, message: RegExp];

const ANY_STACK_PROPERTY = /unknown property \(expected one of Name, Description, .*, Fleets, Targets\)/;
const CLIPBOARD_RULE = /^MaximumLength applies only to CLIPBOARD_COPY_FROM_LOCAL_DEVICE and CLIPBOARD_COPY_TO_LOCAL_DEVICE with Permission ENABLED$/;

/** Every file of the corpus, and every diagnostic it must produce: no more, no fewer. */
const EXPECTED: Record<string, Expected[]> = {
  // YAML syntax and safety
  'syntax-unclosed-flow.yaml': [
    ['4:43', '', /Flow sequence .* end with a \]/],
    ['4:44', '', /Flow map .* end with a \}/],
  ],
  'syntax-bad-indentation.yaml': [['5:1', '', /Sequence item without - indicator/]],
  'syntax-tab-indentation.yaml': [['4:1', '', /Tabs are not allowed as indentation/]],
  'syntax-multiple-documents.yaml': [['3:1', '', /multiple documents/]],
  'duplicate-key.yaml': [['6:5', '', /^duplicate key Name$/]],
  'custom-tag.yaml': [['4:20', '/stacks/0/Name', /^tag !include is not allowed/]],
  'python-tag.yaml': [['5:37', '/stacks/0/Tags', /^tag !!python\/object:os.system is not allowed/]],
  'unknown-alias.yaml': [['5:19', '/stacks/0/UserSettings', /^alias \*standard-settings refers to no anchor$/]],
  'merge-key.yaml': [['6:5', '/stacks/1/<<', /^merge keys \(<<\) are not supported/]],
  'billion-laughs.yaml': [['7:36', '', /^aliases expand to more than 100000 values; refusing a possible billion-laughs file$/]],
  'self-referencing-alias.yaml': [
    ['5:20', '/stacks/0/Fleets' + '/1'.repeat(61) + '/0', /^nested more than 64 levels deep$/],
    ['5:23', '/stacks/0/Fleets/1', /^expected a string, found a list$/],
  ],
  'deep-nesting.yaml': [
    ['5:14', '/stacks/0/Fleets/0', /^expected a string, found a list$/],
    ['5:75', '/stacks/0/Fleets' + '/0'.repeat(62), /^nested more than 64 levels deep$/],
  ],
  'empty.yaml': [['1:1', '', /^the file is empty; it needs at least version and project$/]],
  'comments-only.yaml': [['1:1', '', /^the file is empty/]],
  'top-level-list.yaml': [['1:1', '', /^expected a map, found a list$/]],
  'not-utf8.yaml': [['5:21', '', /^file is not UTF-8 text$/]],
  'binary-garbage.yaml': [['1:1', '', /^file is not UTF-8 text$/]],
  'nul-byte.yaml': [['5:23', '', /^control character U\+0000 is not allowed in YAML \(is this a binary file\?\)$/]],
  'proto-key.yaml': [['5:5', '/stacks/0/__proto__', /^__proto__ is not allowed as a key$/]],
  'constructor-tag-key.yaml': [
    ['6:7', '/stacks/0/Tags/constructor', /^constructor is not allowed as a key$/],
    ['7:7', '/stacks/0/Tags/prototype', /^prototype is not allowed as a key$/],
  ],
  'infinite-number.yaml': [['6:87', '/stacks/0/UserSettings/0/MaximumLength', /^\.inf is not a finite number$/]],

  // Schema: required, unknown, types, enums, patterns, sizes, null
  'missing-version.yaml': [['1:1', '/version', /^required property is missing$/]],
  'wrong-version.yaml': [['1:10', '/version', /^expected 1, found the number 2$/]],
  'missing-project.yaml': [['1:1', '/project', /^required property is missing$/]],
  'empty-project.yaml': [['2:10', '/project', /^expected at least 1 character, found an empty string$/]],
  'unknown-top-level-key.yaml': [['3:1', '/stack', /^unknown property \(did you mean stacks\?\)$/]],
  'unknown-stack-key.yaml': [
    ['5:5', '/stacks/0/Nmae', /^unknown property \(did you mean Name\?\)$/],
    ['6:5', '/stacks/0/FleetNames', ANY_STACK_PROPERTY],
  ],
  'unknown-nested-key.yaml': [['7:9', '/stacks/0/StorageConnectors/0/Domain', /^unknown property \(did you mean Domains\?\)$/]],
  'wrong-type-name.yaml': [['4:11', '/stacks/0/Name', /^expected a string, found the number 2026; put it in quotes/]],
  'wrong-type-list.yaml': [['5:24', '/stacks/0/StorageConnectors', /^expected a list or null, found "HOMEFOLDERS"$/]],
  'wrong-type-map.yaml': [['5:26', '/stacks/0/ApplicationSettings', /^expected a map or null, found "enabled"$/]],
  'yaml11-boolean.yaml': [['5:37', '/stacks/0/ApplicationSettings/Enabled', /^expected true or false, found "yes"; YAML 1.2 reads this as a string/]],
  'stacks-not-a-list.yaml': [['4:3', '/stacks', /^expected a list, found a map$/]],
  'null-resource-list.yaml': [['3:8', '/stacks', /^expected a list, found null$/]],
  'bad-enum-connector.yaml': [
    ['6:24', '/stacks/0/StorageConnectors/0/ConnectorType', /^expected one of HOMEFOLDERS, GOOGLE_DRIVE, ONE_DRIVE, found "HOMEFOLDER" \(did you mean HOMEFOLDERS\?\)$/],
  ],
  'bad-enum-case.yaml': [['6:44', '/stacks/0/UserSettings/0/Permission', /^expected one of ENABLED, DISABLED, found "enabled" \(did you mean ENABLED\?\)$/]],
  'bad-enum-action.yaml': [['6:19', '/stacks/0/UserSettings/0/Action', /found "CLIPBOARD_COPY_TO_LOCAL" \(did you mean CLIPBOARD_COPY_TO_LOCAL_DEVICE\?\)$/]],
  'bad-pattern-stack-name.yaml': [['4:11', '/stacks/0/Name', /^expected a value matching \^\[a-zA-Z0-9\]\[a-zA-Z0-9_.-\]\{0,100\}\$, found "design team"$/]],
  'bad-pattern-ami.yaml': [['6:17', '/streamingImages/0/Ec2ImageId', /^expected a value matching \^ami-.*, found "ami-0123 456"$/]],
  'bad-pattern-embed-domain.yaml': [['5:24', '/stacks/0/EmbedHostDomains/0', /^expected a value matching .*, found "Example.COM"$/]],
  'bad-pattern-url.yaml': [['8:23', '/stacks/0/ContentRedirection/HostToClient/AllowedUrls/0', /found "intranet.example.com"$/]],
  'bad-region.yaml': [['3:9', '/region', /found "us-east"$/]],
  'too-long-description.yaml': [['5:18', '/stacks/0/Description', /^expected at most 256 characters, found 257 characters$/]],
  'too-many-access-endpoints.yaml': [['6:7', '/stacks/0/AccessEndpoints', /^expected at most 4 items, found 5 items$/]],
  'too-many-tags.yaml': [['6:7', '/stacks/0/Tags', /^expected at most 50 entries, found 51 entries$/]],
  'maximum-length-out-of-range.yaml': [['6:87', '/stacks/0/UserSettings/0/MaximumLength', /^expected at most 20971520, found the number 30000000$/]],
  'null-stack-name.yaml': [['4:11', '/stacks/0/Name', /^expected a string, found null$/]],
  'null-ec2-image-id.yaml': [['6:17', '/streamingImages/0/Ec2ImageId', /^expected a string, found null$/]],
  'null-nested-member.yaml': [['7:18', '/stacks/0/StorageConnectors/0/Domains', /^expected a list, found null$/]],
  'tag-aws-prefix.yaml': [['5:13', '/stacks/0/Tags/aws:team', /^expected a key matching \^\(\^\(\?!aws:\)/]],
  'tag-reserved-prefix.yaml': [['5:13', '/images/0/Tags/streamform:project', /^tag keys starting with streamform: are reserved for streamform$/]],
  'tag-value-number.yaml': [['5:26', '/stacks/0/Tags/cost-center', /^expected a string, found the number 4200; put it in quotes/]],
  'account-id-number.yaml': [['6:22', '/images/0/SharedWith/0/AccountId', /^expected a string, found the number 210987654321; put it in quotes/]],
  'account-id-short.yaml': [['6:22', '/images/0/SharedWith/0/AccountId', /^AWS account IDs have 12 digits, found 8$/]],
  'missing-required-member.yaml': [
    ['6:9', '/images/0/SharedWith/0/AllowFleet', /^required property is missing$/],
    ['6:9', '/images/0/SharedWith/0/AllowImageBuilder', /^required property is missing$/],
  ],

  // Cross-field rules
  'maximum-length-non-clipboard.yaml': [['6:53', '/stacks/0/UserSettings/0/MaximumLength', CLIPBOARD_RULE]],
  'maximum-length-disabled.yaml': [['6:73', '/stacks/0/UserSettings/0/MaximumLength', CLIPBOARD_RULE]],
  'settings-group-missing.yaml': [['6:7', '/stacks/0/ApplicationSettings/SettingsGroup', /^SettingsGroup is required when Enabled is true$/]],
  'settings-group-when-disabled.yaml': [['7:7', '/stacks/0/ApplicationSettings/SettingsGroup', /^SettingsGroup must be left out when Enabled is false$/]],
  'admin-consent-not-onedrive.yaml': [
    ['7:9', '/stacks/0/StorageConnectors/0/DomainsRequireAdminConsent', /^DomainsRequireAdminConsent applies only to ConnectorType ONE_DRIVE$/],
  ],
  'computer-input-without-vision.yaml': [['7:9', '/stacks/0/AgentAccessConfig/Settings', /^COMPUTER_INPUT can be ENABLED only when COMPUTER_VISION is ENABLED too$/]],
  'screenshots-without-bucket.yaml': [['6:7', '/stacks/0/AgentAccessConfig/S3BucketArn', /^S3BucketArn is required when ScreenshotsUploadEnabled is true$/]],

  // Duplicates
  'duplicate-stack-names.yaml': [['6:5', '/stacks/2', /^stack "design" is declared twice \(first at line 4\)$/]],
  'duplicate-image-names.yaml': [['5:5', '/images/1', /^image "base" is declared twice \(first at line 4\)$/]],
  'duplicate-streaming-images.yaml': [['6:5', '/streamingImages/2', /"stid-a\/maya" is declared twice \(first at line 4\)$/]],
  'duplicate-connector-types.yaml': [['8:9', '/stacks/0/StorageConnectors/2', /^connector type "HOMEFOLDERS" is declared twice \(first at line 6\)$/]],
  'duplicate-user-setting-actions.yaml': [['7:9', '/stacks/0/UserSettings/1', /^action "FILE_UPLOAD" is declared twice \(first at line 6\)$/]],
  'duplicate-fleet.yaml': [['5:42', '/stacks/0/Fleets/2', /^fleet "design-fleet" is declared twice \(first at line 5\)$/]],
  'duplicate-shared-account.yaml': [['7:9', '/images/0/SharedWith/1', /^account "210987654321" is declared twice \(first at line 6\)$/]],

  // Several problems in one file: all of them, in file order
  'many-problems.yaml': [
    ['3:9', '/region', /found "mars-1"$/],
    ['6:18', '/stacks/0/DisplayName', /^expected a string or null, found the number 42/],
    ['7:17', '/stacks/0/Fleets/1', /^fleet "a" is declared twice/],
    ['8:5', '/stacks/1', /^stack "design" is declared twice \(first at line 5\)$/],
    ['9:18', '/stacks/1/RedirectURL', /^expected a string or null, found a list$/],
    ['11:5', '/images/0/Name', /^required property is missing$/],
    ['11:5', '/images/0/Nam', /^unknown property \(did you mean Name\?\)$/],
  ],
};

async function diagnosticsOf(paths: string[]): Promise<ConfigDiagnostic[]> {
  const error = await loadConfig(paths).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics;
}

describe('the corpus of invalid configs', () => {
  it('has at least 40 files, each with its expectations', () => {
    const files = readdirSync(CORPUS).sort();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`rejects ${name} with every problem at its place`, async () => {
      const file = join(CORPUS, name);
      const diagnostics = await diagnosticsOf([file]);
      expect(diagnostics.map((d) => [`${d.line}:${d.column}`, d.path])).toEqual(expected.map(([at, path]) => [at, path]));
      diagnostics.forEach((d, i) => {
        expect(d.file).toBe(file);
        expect(d.message).toMatch(expected[i][2]);
      });
    });
  }
});

describe('input too large to read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamform-huge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file over 5 MB', async () => {
    const file = join(dir, 'huge.yaml');
    const stack = '  - Name: stack\n    Description: ' + 'x'.repeat(200) + '\n';
    writeFileSync(file, 'version: 1\nproject: huge\nstacks:\n' + stack.repeat(Math.ceil((5.5 * 1024 * 1024) / stack.length)));
    const diagnostics = await diagnosticsOf([file]);
    expect(diagnostics).toEqual([{ file, line: 1, column: 1, path: '', message: 'file is 5.5 MB; the limit is 5 MB' }]);
  });
});
