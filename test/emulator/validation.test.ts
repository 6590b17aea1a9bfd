import { AppStreamServiceException, CreateStackCommand, DescribeImagePermissionsCommand, DescribeImagesCommand, UpdateStackCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ state: { appstream: { stacks: [{ Name: 'design' }], images: [{ Name: 'img' }] } } }, { maxAttempts: 1 });
});
afterAll(() => t.close());

/** The AppStream error a request gets; the SDK sends whatever it is given, so wrong types reach the server too. */
async function rejection(command: { input: object }): Promise<AppStreamServiceException> {
  const error = await t.clients.appstream.send(command as CreateStackCommand).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppStreamServiceException);
  return error as AppStreamServiceException;
}

describe('request validation against the model', () => {
  it.each([
    ['a missing required member', new CreateStackCommand({} as never), "Value null at 'name' failed to satisfy constraint: Member must not be null"],
    ['a pattern', new CreateStackCommand({ Name: '-dash-first' }), "Value '-dash-first' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['a maximum length', new CreateStackCommand({ Name: 's', Description: 'd'.repeat(257) }), "at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"],
    [
      'an enum in a list item',
      new CreateStackCommand({ Name: 's', UserSettings: [{ Action: 'TELEPORT' as never, Permission: 'ENABLED' }] }),
      "Value 'TELEPORT' at 'userSettings.1.member.action' failed to satisfy constraint: Member must satisfy enum value set: [CLIPBOARD_COPY_FROM_LOCAL_DEVICE",
    ],
    ['a list minimum', new UpdateStackCommand({ Name: 'design', UserSettings: [] }), "Value [] at 'userSettings' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [
      'a list maximum',
      new CreateStackCommand({ Name: 's', AccessEndpoints: Array(5).fill({ EndpointType: 'STREAMING' }) }),
      "at 'accessEndpoints' failed to satisfy constraint: Member must have length less than or equal to 4",
    ],
    ['an integer range', new DescribeImagesCommand({ MaxResults: 26 }), "Value 26 at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 25"],
    ['a type', new DescribeImagesCommand({ MaxResults: '5' as never }), "Value '5' at 'maxResults' failed to satisfy constraint: Member must be an integer"],
    ['a unicode tag pattern', new CreateStackCommand({ Name: 's', Tags: { 'équipe': 'vfx', bad: 'semi;colon' } }), "at 'tags.bad' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['an account id pattern', new DescribeImagePermissionsCommand({ Name: 'img', SharedAwsAccountIds: ['12ab'] }), "Value '12ab' at 'sharedAwsAccountIds.1.member'"],
  ])('rejects %s with a ValidationException naming the member', async (_, command, message) => {
    const error = await rejection(command);
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(message);
  });

  it('reports every violation of a request in one message', async () => {
    const error = await rejection(new CreateStackCommand({ Name: 's', DisplayName: 'x'.repeat(101), RedirectURL: 'u'.repeat(1001) }));
    expect(error.message).toMatch(/^2 validation errors detected: .*'displayName'.*; .*'redirectURL'/);
  });

  it('accepts unicode letters where the model pattern allows them, and empty tag values', async () => {
    const { Stack } = await t.clients.appstream.send(new CreateStackCommand({ Name: 'unicode', Tags: { 'équipe': 'effets spéciaux', empty: '' } }));
    expect(Stack!.Name).toBe('unicode');
  });

  it('answers a body that is not JSON with a typed JSON error, never a text body', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'x-amz-target': 'PhotonAdminProxyService.DescribeStacks', 'content-type': 'application/x-amz-json-1.1' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ __type: 'SerializationException', message: 'The request body is not valid JSON.' });
  });

  it('types Nimble errors by the X-Amzn-ErrorType header and the model status, with no body code to mislead clients', async () => {
    const res = await fetch(`${t.url}/2020-08-01/studios/st%2D1/streaming-images/si-404`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await res.json()).toEqual({ message: 'Studio st-1 does not exist.', context: { resourceId: 'st-1' } });
  });

  it('answers an operation it does not emulate with UnknownOperationException', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'x-amz-target': 'PhotonAdminProxyService.CreateImageBuilderStreamingURL' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});
