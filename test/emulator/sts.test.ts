/**
 * STS over the AWS Query protocol, driven by @aws-sdk/client-sts and by hand-built requests.
 * The SDK client is the one installed with @aws-sdk/client-nimble (its credential providers use it).
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const DEPLOY = 'arn:aws:iam::210987654321:role/deploy';
const AUDIT = 'arn:aws:iam::333344445555:role/team/audit';
const declared: EmulatorState = { sts: { roles: [{ RoleArn: DEPLOY, ExternalId: 'streamform-1' }, { RoleArn: AUDIT }] } };

let t: TestEmulator;
const clients: STSClient[] = [];
beforeAll(async () => {
  t = await startTestEmulator({}, { maxAttempts: 1 });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await t.close();
});
beforeEach(() => t.setState({}));
afterEach(() => void vi.useRealTimers());

function sts(credentials = { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'emulator' } as { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const client = new STSClient({ endpoint: t.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

const assume = (input: Partial<AssumeRoleCommandInput> = {}, client = sts()) =>
  client.send(new AssumeRoleCommand({ RoleArn: DEPLOY, RoleSessionName: 'ci', ...input } as AssumeRoleCommandInput));
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as STSServiceException);

async function session(input: Partial<AssumeRoleCommandInput> = {}) {
  const { Credentials } = await assume(input);
  return sts({ accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! });
}

describe('GetCallerIdentity', () => {
  it("answers the emulated account's user for credentials the emulator did not issue", async () => {
    const identity = await sts().send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/emulator' });
    expect(identity.UserId).toMatch(/^AIDA[0-9A-F]{17}$/);
    await t.setState({ account: '111122223333' });
    expect((await sts().send(new GetCallerIdentityCommand({}))).Account).toBe('111122223333');
  });
});

describe('AssumeRole', () => {
  it('issues temporary credentials and the assumed-role user, in the account of the role', async () => {
    const before = Date.now();
    const answer = await assume({ DurationSeconds: 900 });
    expect(answer.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(answer.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(answer.Credentials!.SessionToken!.length).toBeGreaterThan(100);
    const expires = answer.Credentials!.Expiration!.getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 899_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(answer.AssumedRoleUser).toEqual({ Arn: 'arn:aws:sts::210987654321:assumed-role/deploy/ci', AssumedRoleId: expect.stringMatching(/^AROA[0-9A-F]{17}:ci$/) });
    const again = await assume({ RoleSessionName: 'other' });
    expect(again.Credentials!.AccessKeyId).not.toBe(answer.Credentials!.AccessKeyId);
    expect(again.AssumedRoleUser!.AssumedRoleId!.split(':')[0]).toBe(answer.AssumedRoleUser!.AssumedRoleId!.split(':')[0]);
  });

  it("recognizes calls signed with the issued credentials as the role's session", async () => {
    const client = await session({ RoleArn: AUDIT, RoleSessionName: 'nightly' });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '333344445555', Arn: 'arn:aws:sts::333344445555:assumed-role/audit/nightly' });
    expect(identity.UserId).toMatch(/^AROA[0-9A-F]{17}:nightly$/);
  });

  it('refuses the issued key with a session token not its own (InvalidClientTokenId, 403)', async () => {
    const { Credentials } = await assume();
    const forged = sts({ accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: 'x', sessionToken: 'not-the-token' });
    const error = await failure(forged.send(new GetCallerIdentityCommand({})));
    expect(error!.name).toBe('InvalidClientTokenId');
    expect(error!.$metadata.httpStatusCode).toBe(403);
  });

  it('refuses expired credentials with ExpiredToken', async () => {
    const client = await session({ DurationSeconds: 900 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 901_000 });
    const error = await failure(client.send(new GetCallerIdentityCommand({})));
    expect(error!.name).toBe('ExpiredToken');
    expect(error!.message).toBe('The security token included in the request is expired');
  });

  it('limits a role chained from a role session to one hour', async () => {
    const client = await session();
    const error = await failure(assume({ RoleArn: AUDIT, DurationSeconds: 7200 }, client));
    expect(error!.name).toBe('ValidationError');
    expect(error!.message).toContain('1 hour session limit for roles assumed by role chaining');
    const chained = await assume({ RoleArn: AUDIT, DurationSeconds: 3600 }, client);
    expect(chained.AssumedRoleUser!.Arn).toBe('arn:aws:sts::333344445555:assumed-role/audit/ci');
  });

  it('grants only the roles the state declares, with their ExternalId (AccessDenied, 403, otherwise)', async () => {
    await t.setState(declared);
    const undeclared = await failure(assume({ RoleArn: 'arn:aws:iam::210987654321:role/admin' }));
    expect(undeclared!.name).toBe('AccessDenied');
    expect(undeclared!.$metadata.httpStatusCode).toBe(403);
    expect(undeclared!.message).toBe(
      'User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/admin',
    );
    expect((await failure(assume({ ExternalId: 'wrong-id' })))!.name).toBe('AccessDenied');
    expect((await failure(assume()))!.name).toBe('AccessDenied');
    expect((await assume({ ExternalId: 'streamform-1' })).AssumedRoleUser!.Arn).toBe('arn:aws:sts::210987654321:assumed-role/deploy/ci');
    // A role declared without ExternalId takes any, or none.
    await assume({ RoleArn: AUDIT });
    await assume({ RoleArn: AUDIT, ExternalId: 'anything' });
    expect((await t.getState()).sts).toEqual(declared.sts);
  });

  it.each<[string, Partial<AssumeRoleCommandInput>, string, string]>([
    ['a short session name', { RoleSessionName: 'a' }, 'ValidationError', "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"],
    ['a duration under 15 minutes', { DurationSeconds: 60 }, 'ValidationError', "Value 60 at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"],
    ['a missing role', { RoleArn: undefined }, 'ValidationError', "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"],
    ['an ARN that is no role', { RoleArn: 'arn:aws:iam::210987654321:user/someone' }, 'ValidationError', 'is not a valid role ARN'],
    // The SDK names a modelled error by its shape, MalformedPolicyDocument on the wire.
    ['a policy that is no JSON', { Policy: '{"Statement": [' }, 'MalformedPolicyDocumentException', 'The policy is not in the valid JSON format.'],
  ])('answers %s with %s', async (_, input, name, message) => {
    const error = await failure(assume(input));
    expect(error).toBeInstanceOf(STSServiceException);
    expect(error!.name).toBe(name);
    expect(error!.$metadata.httpStatusCode).toBe(400);
    expect(error!.message).toContain(message);
  });
});

describe('the Query protocol by hand', () => {
  const post = (body: string) => fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });

  it('answers a form POST and a GET with the XML result and the request id of the response', async () => {
    const res = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const text = await res.text();
    expect(text).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/);
    expect(text).toContain('<Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/emulator</Arn>');
    expect(text).toContain(`<ResponseMetadata><RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ResponseMetadata>`);
    const get = await fetch(`${t.url}/?Action=GetCallerIdentity&Version=2011-06-15`);
    expect(await get.text()).toContain('<Account>123456789012</Account>');
  });

  it('reads nested list members and writes timestamps in ISO 8601', async () => {
    const res = await post(
      `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(DEPLOY)}&RoleSessionName=hand&Tags.member.1.Key=team&Tags.member.1.Value=fx&TransitiveTagKeys=&SourceIdentity=alice`,
    );
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/<Expiration>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/Expiration>/);
    expect(text).toContain('<SourceIdentity>alice</SourceIdentity>');
    const bad = await post(`Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(DEPLOY)}&RoleSessionName=hand&Tags.member.1.Key=team`);
    expect(await bad.text()).toContain("Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null");
  });

  it('answers an unknown action or version with InvalidAction in an XML error', async () => {
    for (const body of ['Action=GetSessionToken&Version=2011-06-15', 'Action=GetCallerIdentity&Version=2020-01-01']) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toMatch(/^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation/);
    }
    expect((await t.calls()).slice(-2).map((c) => [c.service, c.operation, c.error])).toEqual([
      ['sts', 'GetSessionToken', 'InvalidAction'],
      ['sts', 'GetCallerIdentity', 'InvalidAction'],
    ]);
  });
});
