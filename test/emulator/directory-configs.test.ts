/** The emulator's directory configs and the two secret stores, through the real SDK clients. */
import {
  CreateDirectoryConfigCommand,
  DeleteDirectoryConfigCommand,
  DescribeDirectoryConfigsCommand,
  UpdateDirectoryConfigCommand,
} from '@aws-sdk/client-appstream';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const STATE: EmulatorState = {
  appstream: {
    directoryConfigs: [{ DirectoryName: 'old.example.com', OrganizationalUnitDistinguishedNames: ['OU=x,DC=old'], ServiceAccountCredentials: { AccountName: 'OLD\\svc', AccountPassword: 'seeded-pass' } }],
    fleets: [{ Name: 'joined', InstanceType: 'stream.standard.small', DomainJoinInfo: { DirectoryName: 'old.example.com' } }],
  },
  secretsmanager: { secrets: [{ Name: 'corp/ad', SecretString: '{"username":"CORP\\\\svc","password":"pw-from-sm"}' }] },
  ssm: { parameters: [{ Name: '/corp/ad/password', Type: 'SecureString', Value: 'pw-from-ssm' }] },
};

let em: TestEmulator;
beforeAll(async () => {
  em = await startTestEmulator({ transitionMs: 20 }, { maxAttempts: 1 });
});
afterAll(() => em.close());
beforeEach(() => em.setState(STATE));

const error = (promise: Promise<unknown>) => promise.then(() => undefined, (e: Error) => `${e.name}: ${e.message}`);

describe('directory configs', () => {
  it('creates, describes without the password, updates partially and deletes', async () => {
    const created = await em.clients.appstream.send(
      new CreateDirectoryConfigCommand({
        DirectoryName: 'corp.example.com',
        OrganizationalUnitDistinguishedNames: ['OU=a,DC=corp'],
        ServiceAccountCredentials: { AccountName: 'CORP\\svc', AccountPassword: 'pw-1' },
      }),
    );
    expect(created.DirectoryConfig?.ServiceAccountCredentials).toEqual({ AccountName: 'CORP\\svc' });
    await em.clients.appstream.send(new UpdateDirectoryConfigCommand({ DirectoryName: 'corp.example.com', CertificateBasedAuthProperties: { Status: 'DISABLED' } }));
    const [config] = (await em.clients.appstream.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ['corp.example.com'] }))).DirectoryConfigs!;
    expect(config).toMatchObject({ DirectoryName: 'corp.example.com', OrganizationalUnitDistinguishedNames: ['OU=a,DC=corp'], ServiceAccountCredentials: { AccountName: 'CORP\\svc' }, CertificateBasedAuthProperties: { Status: 'DISABLED' } });
    expect(JSON.stringify(config)).not.toContain('pw-1');
    // The emulator keeps what it was sent; its state shows it (never a Describe).
    const state = await em.getState();
    expect(state.appstream?.directoryConfigs?.find((c) => c.DirectoryName === 'corp.example.com')?.ServiceAccountCredentials?.AccountPassword).toBe('pw-1');
    await em.clients.appstream.send(new DeleteDirectoryConfigCommand({ DirectoryName: 'corp.example.com' }));
    expect(await error(em.clients.appstream.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ['corp.example.com'] })))).toBe(
      'ResourceNotFoundException: The directory configuration for corp.example.com does not exist.',
    );
  });

  it("answers AWS's errors: exists, not found, in use, a CA missing, a password too long", async () => {
    const appstream = em.clients.appstream;
    expect(await error(appstream.send(new CreateDirectoryConfigCommand({ DirectoryName: 'old.example.com', OrganizationalUnitDistinguishedNames: [] })))).toBe(
      'ResourceAlreadyExistsException: The directory configuration for old.example.com already exists.',
    );
    expect(await error(appstream.send(new UpdateDirectoryConfigCommand({ DirectoryName: 'nope.example.com' })))).toMatch(/^ResourceNotFoundException/);
    expect(await error(appstream.send(new DeleteDirectoryConfigCommand({ DirectoryName: 'old.example.com' })))).toBe(
      'ResourceInUseException: The directory configuration old.example.com is in use by joined.',
    );
    expect(await error(appstream.send(new UpdateDirectoryConfigCommand({ DirectoryName: 'old.example.com', CertificateBasedAuthProperties: { Status: 'ENABLED' } })))).toBe(
      'InvalidParameterCombinationException: CertificateAuthorityArn is required when certificate-based authentication is ENABLED.',
    );
    const long = 'x'.repeat(128);
    expect(await error(appstream.send(new UpdateDirectoryConfigCommand({ DirectoryName: 'old.example.com', ServiceAccountCredentials: { AccountName: 'a', AccountPassword: long } })))).toMatch(
      /^ValidationException: .*accountPassword/,
    );
  });

  it('pages DescribeDirectoryConfigs', async () => {
    for (const name of ['a.example.com', 'b.example.com']) {
      await em.clients.appstream.send(new CreateDirectoryConfigCommand({ DirectoryName: name, OrganizationalUnitDistinguishedNames: [] }));
    }
    const first = await em.clients.appstream.send(new DescribeDirectoryConfigsCommand({ MaxResults: 2 }));
    expect(first.DirectoryConfigs!.map((c) => c.DirectoryName)).toEqual(['a.example.com', 'b.example.com']);
    const second = await em.clients.appstream.send(new DescribeDirectoryConfigsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.DirectoryConfigs!.map((c) => c.DirectoryName)).toEqual(['old.example.com']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('secret stores', () => {
  it('GetSecretValue by name or ARN; an unknown secret is ResourceNotFoundException', async () => {
    const client = em.clients.secretsmanager;
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'corp/ad' }));
    expect(JSON.parse(byName.SecretString!)).toEqual({ username: 'CORP\\svc', password: 'pw-from-sm' });
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.VersionId).toBe(byName.VersionId);
    expect(byName.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:corp\/ad-\w{6}$/);
    expect(await error(client.send(new GetSecretValueCommand({ SecretId: 'nope' })))).toBe("ResourceNotFoundException: Secrets Manager can't find the specified secret.");
    expect(await error(client.send(new GetSecretValueCommand({ SecretId: '' })))).toMatch(/^ValidationException/);
  });

  it('GetParameter decrypts a SecureString only WithDecryption; an unknown one is ParameterNotFound', async () => {
    const client = em.clients.ssm;
    const plain = await client.send(new GetParameterCommand({ Name: '/corp/ad/password', WithDecryption: true }));
    expect(plain.Parameter).toMatchObject({ Name: '/corp/ad/password', Type: 'SecureString', Value: 'pw-from-ssm', Version: 1 });
    const encrypted = await client.send(new GetParameterCommand({ Name: '/corp/ad/password' }));
    expect(encrypted.Parameter?.Value).not.toBe('pw-from-ssm');
    expect(await error(client.send(new GetParameterCommand({ Name: '/nope' })))).toBe('ParameterNotFound: Parameter /nope not found.');
  });

  it('refuses a bad state section naming the member', async () => {
    await expect(em.setState({ secretsmanager: { secrets: [{ Name: 'x' }] } })).rejects.toThrow(/secretsmanager.secrets\[0\]: needs exactly one of SecretString and SecretBinary/);
    await expect(em.setState({ ssm: { parameters: [{ Name: 'p', Value: 'v', Type: 'Secret' as never }] } })).rejects.toThrow(/ssm.parameters\[0\].Type/);
  });
});
