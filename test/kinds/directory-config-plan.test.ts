/**
 * Directory configs against the emulator with the real SDK: create, adopt, converge to an empty plan,
 * change detection by reference and by keyed fingerprint, literal secrets refused, import as
 * placeholders, and no secret client loaded for a config without directory configs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config, DirectoryConfigConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { describeAccount } from '../../src/import/describe.js';
import { buildImport } from '../../src/import/build.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { fingerprint } from '../../src/kinds/directory-config/secrets.js';
import { describeLive } from '../../src/describe/index.js';
import { apply, callList, config, converge, emulator, planWith } from '../plan/helpers.js';
import type { TestEmulator } from '../helpers/emulator.js';

const SECRETS: EmulatorState = {
  secretsmanager: { secrets: [{ Name: 'corp/ad', SecretString: '{"username":"CORP\\\\svc-join","password":"Sm-Pass-1"}' }] },
  ssm: { parameters: [{ Name: '/corp/ad/password', Type: 'SecureString', Value: 'Ssm-Pass-1' }] },
};

const corp = (parts: Partial<DirectoryConfigConfig> = {}): DirectoryConfigConfig => ({
  DirectoryName: 'corp.example.com',
  OrganizationalUnitDistinguishedNames: ['OU=a,DC=corp'],
  ServiceAccountCredentials: { AccountName: { FromSecretsManager: 'corp/ad', Key: 'username' }, AccountPassword: { FromSecretsManager: 'corp/ad', Key: 'password' } },
  ...parts,
});

let em: TestEmulator;
let dir: string;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streamform-dirconf-'));
  process.env.STREAMFORM_RECORDS = join(dir, 'records.json');
  await em.setState(SECRETS);
});
afterEach(() => {
  delete process.env.STREAMFORM_RECORDS;
  delete process.env.DC_PASSWORD;
  rmSync(dir, { recursive: true, force: true });
});

/** The loader's messages for one file, named streamform.yaml in a folder of its own. */
async function loadConfigText(text: string): Promise<string[]> {
  const folder = mkdtempSync(join(tmpdir(), 'streamform-dirconf-config-'));
  const cwd = process.cwd();
  try {
    writeFileSync(join(folder, 'streamform.yaml'), text);
    process.chdir(folder);
    await loadConfig(['streamform.yaml']);
    return [];
  } catch (error) {
    return (error as ConfigError).diagnostics.map(formatDiagnostic);
  } finally {
    process.chdir(cwd);
    rmSync(folder, { recursive: true, force: true });
  }
}

const withConfigs = (...directoryConfigs: DirectoryConfigConfig[]): Config => config({ directoryConfigs });
const passwordOf = async (name: string) => (await em.getState()).appstream?.directoryConfigs?.find((c) => c.DirectoryName === name)?.ServiceAccountCredentials?.AccountPassword;

describe('directory configs', () => {
  it('creates one with credentials from Secrets Manager, then plans nothing', async () => {
    const { first, second } = await converge(em, withConfigs(corp()));
    expect(callList(first)).toEqual(['CreateDirectoryConfig directoryConfig/corp.example.com']);
    expect(first.calls[0].input.ServiceAccountCredentials).toEqual({
      AccountName: { $secret: { FromSecretsManager: 'corp/ad', Key: 'username' } },
      AccountPassword: { $secret: { FromSecretsManager: 'corp/ad', Key: 'password' } },
    });
    expect(second.calls).toEqual([]);
    expect(await passwordOf('corp.example.com')).toBe('Sm-Pass-1');
  });

  it('adopts an existing config: sets the credentials once (AWS never returns the password), then nothing', async () => {
    await em.setState({ ...SECRETS, appstream: { directoryConfigs: [{ DirectoryName: 'corp.example.com', OrganizationalUnitDistinguishedNames: ['OU=a,DC=corp'], ServiceAccountCredentials: { AccountName: 'CORP\\svc-join', AccountPassword: 'unknown' } }] } });
    const { first, second } = await converge(em, withConfigs(corp()));
    expect(first.changes[0]).toMatchObject({ action: 'update', adopt: true, reasonCode: 'adopt' });
    expect(first.changes[0].diffs.map((d) => d.path)).toEqual(['ServiceAccountCredentials.AccountPassword']);
    expect(second.calls).toEqual([]);
    expect(await passwordOf('corp.example.com')).toBe('Sm-Pass-1');
  });

  it('tells a rotated secret by its keyed fingerprint and a new reference by the record, without the value', async () => {
    await converge(em, withConfigs(corp()));
    const state = await em.getState();
    await em.setState({ ...state, secretsmanager: { secrets: [{ Name: 'corp/ad', SecretString: '{"username":"CORP\\\\svc-join","password":"Sm-Pass-2"}' }] } });
    const rotated = (await planWith(em, withConfigs(corp()))).plan;
    expect(rotated.changes[0].diffs).toEqual([{ path: 'ServiceAccountCredentials.AccountPassword', impact: 'update', after: 'changed (from secret corp/ad (key password))' }]);
    await apply(em, rotated);
    expect(await passwordOf('corp.example.com')).toBe('Sm-Pass-2');

    const fromSsm = withConfigs(corp({ ServiceAccountCredentials: { AccountName: { FromSecretsManager: 'corp/ad', Key: 'username' }, AccountPassword: { FromSsmParameter: '/corp/ad/password' } } }));
    const moved = (await planWith(em, fromSsm)).plan;
    expect(moved.changes[0].diffs[0].after).toBe('changed (from SSM parameter /corp/ad/password, was secret corp/ad (key password))');
    await apply(em, moved);
    expect(await passwordOf('corp.example.com')).toBe('Ssm-Pass-1');
    expect((await planWith(em, fromSsm)).plan.calls).toEqual([]);
    expect(JSON.stringify([rotated, moved])).not.toMatch(/Sm-Pass|Ssm-Pass/);
  });

  it('keeps a keyed hash: it depends on the project and the reference, and is no plain SHA-256', async () => {
    await converge(em, withConfigs(corp()));
    const record = JSON.parse(readFileSync(process.env.STREAMFORM_RECORDS!, 'utf8'));
    const kept = record.directoryConfigs['studio/us-east-1/corp.example.com'].password;
    expect(kept).toEqual({ reference: { FromSecretsManager: 'corp/ad', Key: 'password' }, fingerprint: fingerprint('studio', kept.reference, 'Sm-Pass-1') });
    expect(fingerprint('other', kept.reference, 'Sm-Pass-1')).not.toBe(kept.fingerprint);
    expect(fingerprint('studio', { FromEnv: 'X' }, 'Sm-Pass-1')).not.toBe(kept.fingerprint);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update('Sm-Pass-1').digest('hex')).not.toContain(kept.fingerprint);
    expect(readFileSync(process.env.STREAMFORM_RECORDS!, 'utf8')).not.toContain('Sm-Pass');
  });

  it('updates OUs as a set and certificate-based authentication; a renamed directory is a new config, the old one stays', async () => {
    await converge(em, withConfigs(corp()));
    const reordered = withConfigs(corp({ OrganizationalUnitDistinguishedNames: ['OU=b,DC=corp', 'OU=a,DC=corp'] }));
    const { first, second } = await converge(em, reordered);
    expect(first.changes[0].diffs).toEqual([expect.objectContaining({ path: 'OrganizationalUnitDistinguishedNames', added: ['OU=b,DC=corp'], removed: [] })]);
    expect(second.calls).toEqual([]);
    expect((await planWith(em, withConfigs(corp({ OrganizationalUnitDistinguishedNames: ['OU=a,DC=corp', 'OU=b,DC=corp'] })))).plan.calls).toEqual([]);
    const cba = withConfigs(corp({ CertificateBasedAuthProperties: { Status: 'ENABLED', CertificateAuthorityArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/ca' } }));
    expect((await converge(em, cba)).second.calls).toEqual([]);
    const off = withConfigs(corp({ CertificateBasedAuthProperties: null }));
    const { first: turnedOff, second: quiet } = await converge(em, off);
    expect(turnedOff.calls[0].input).toEqual({ DirectoryName: 'corp.example.com', CertificateBasedAuthProperties: { Status: 'DISABLED' } });
    expect(quiet.calls).toEqual([]);

    const renamed = (await planWith(em, withConfigs(corp({ DirectoryName: 'new.example.com' })), true)).plan;
    expect(callList(renamed)).toEqual(['CreateDirectoryConfig directoryConfig/new.example.com']);
  });

  it('never deletes one, prune included', async () => {
    await converge(em, withConfigs(corp()));
    const { plan } = await planWith(em, config({ prune: true, stacks: [] }), true);
    expect(plan.changes.filter((c) => c.kind === 'directoryConfig')).toEqual([]);
  });

  it('resolves a saved plan again when applying it: the plan holds the reference, the value sent is the one of now', async () => {
    process.env.DC_PASSWORD = 'Env-Pass-1';
    const fromEnv = withConfigs(corp({ ServiceAccountCredentials: { AccountName: { FromSecretsManager: 'corp/ad', Key: 'username' }, AccountPassword: { FromEnv: 'DC_PASSWORD' } } }));
    const { plan } = await planWith(em, fromEnv);
    process.env.DC_PASSWORD = 'Env-Pass-2';
    await apply(em, JSON.parse(JSON.stringify(plan)));
    expect(await passwordOf('corp.example.com')).toBe('Env-Pass-2');
    expect((await planWith(em, fromEnv)).plan.calls).toEqual([]);
  });

  it('a reference that cannot be resolved refuses that config in one line naming the reference', async () => {
    const { plan } = await planWith(em, withConfigs(corp({ ServiceAccountCredentials: { AccountName: { FromEnv: 'DC_NAME_MISSING' }, AccountPassword: { FromFile: join(dir, 'none') } } })));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics.map((d) => d.message)).toEqual(['resolving a secret failed: AccountName (from env DC_NAME_MISSING): the environment variable DC_NAME_MISSING is not set']);
    const missing = (await planWith(em, withConfigs(corp({ ServiceAccountCredentials: { AccountName: { FromSecretsManager: 'nope' }, AccountPassword: { FromSsmParameter: '/nope' } } })))).plan;
    expect(missing.diagnostics.map((d) => d.message)).toEqual([
      "resolving a secret failed: AccountName (from secret nope): GetSecretValue failed: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    ]);
  });

  it('converges whatever the declared values (apply, then the plan is empty)', async () => {
    const ous = fc.uniqueArray(fc.constantFrom('OU=a,DC=corp', 'OU=b,DC=corp', 'OU=c,DC=corp'), { maxLength: 3 });
    const password = fc.constantFrom<DirectoryConfigConfig['ServiceAccountCredentials']>(
      { AccountName: { FromSecretsManager: 'corp/ad', Key: 'username' }, AccountPassword: { FromSecretsManager: 'corp/ad', Key: 'password' } },
      { AccountName: { FromFile: join(dir, 'name') }, AccountPassword: { FromSsmParameter: '/corp/ad/password' } },
      undefined,
    );
    const cba = fc.constantFrom(undefined, null, { Status: 'ENABLED' as const, CertificateAuthorityArn: 'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/ca' });
    writeFileSync(join(dir, 'name'), 'CORP\\other\n');
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.record({ ous, password, cba, name: fc.constantFrom('a.example.com', 'b.example.com') }), { minLength: 1, maxLength: 2, selector: (d) => d.name }), async (declared) => {
        const cfg = withConfigs(
          ...declared.map((d) => JSON.parse(JSON.stringify({ DirectoryName: d.name, OrganizationalUnitDistinguishedNames: d.ous, ServiceAccountCredentials: d.password, CertificateBasedAuthProperties: d.cba })) as DirectoryConfigConfig),
        );
        const { second } = await converge(em, cfg);
        expect(second.calls).toEqual([]);
      }),
      { numRuns: 12, seed: 11 },
    );
  });
});

describe('config and import', () => {
  it('refuses a literal secret, saying why, without quoting it', async () => {
    const problems = await loadConfigText(`version: 1
project: studio
directoryConfigs:
  - DirectoryName: corp.example.com
    OrganizationalUnitDistinguishedNames: []
    ServiceAccountCredentials:
      AccountName: { FromEnv: NAME }
      AccountPassword: Literal-Pass-9
`);
    expect(problems).toEqual([
      'streamform.yaml:8:24: directoryConfigs[0].ServiceAccountCredentials.AccountPassword: a secret is never written in the config: give a reference, {FromEnv: VAR}, {FromFile: path}, {FromSecretsManager: name-or-ARN, Key: json-key} or {FromSsmParameter: name}',
    ]);
  });

  it('validates the example', async () => {
    const { config: example } = await loadConfig(['examples/directory-config/streamform.yaml']);
    expect(example.directoryConfigs?.map((c) => c.DirectoryName)).toEqual(['corp.example.com', 'lab.example.com']);
  });

  it('imports directory configs with FromEnv placeholders named in the header', async () => {
    await em.setState({
      appstream: {
        directoryConfigs: [{ DirectoryName: 'corp.example.com', OrganizationalUnitDistinguishedNames: ['OU=b', 'OU=a'], ServiceAccountCredentials: { AccountName: 'CORP\\svc', AccountPassword: 'x' } }],
      },
    });
    const live = await describeAccount(em.clients, { studios: [] });
    const { config: imported, notes } = buildImport(live, { project: 'studio', region: 'us-east-1' });
    expect(imported.directoryConfigs).toEqual([
      {
        DirectoryName: 'corp.example.com',
        OrganizationalUnitDistinguishedNames: ['OU=a', 'OU=b'],
        ServiceAccountCredentials: { AccountName: { FromEnv: 'STREAMFORM_CORP_EXAMPLE_COM_ACCOUNT_NAME' }, AccountPassword: { FromEnv: 'STREAMFORM_CORP_EXAMPLE_COM_PASSWORD' } },
      },
    ]);
    expect(notes).toContainEqual(expect.objectContaining({ address: 'directoryConfig/corp.example.com', message: expect.stringContaining('set STREAMFORM_CORP_EXAMPLE_COM_ACCOUNT_NAME and STREAMFORM_CORP_EXAMPLE_COM_PASSWORD') }));
  });

  // That no secret store client is loaded for such a config is checked in test/architecture/loading.test.ts.
  it('reads no directory config for a config without directory configs, even with prune', async () => {
    const cfg = config({ stacks: [{ Name: 'design' }] });
    await em.clearCalls();
    await describeLive(cfg, em.clients, { prune: true });
    const calls = (await em.calls()).map((c) => c.operation);
    expect(calls).not.toContain('DescribeDirectoryConfigs');
  });
});
