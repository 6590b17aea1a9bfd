import {
  ConflictException,
  CreateStreamingImageCommand,
  DeleteStreamingImageCommand,
  GetStreamingImageCommand,
  ListStreamingImagesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStreamingImageCommand,
  ValidationException,
  paginateListStreamingImages,
  waitUntilStreamingImageDeleted,
  waitUntilStreamingImageReady,
  type StreamingImage,
} from '@aws-sdk/client-nimble';
import { describe, expect, it } from 'vitest';
import { startTestEmulator, useFixtureEmulator } from '../helpers/emulator.js';

const studioId = 'stid-1';
// Long enough that a request right after a change sees the *_IN_PROGRESS state.
const TRANSITION_MS = 400;

const emulator = useFixtureEmulator({ transitionMs: TRANSITION_MS });

const nimble = () => emulator().clients.nimble;
const create = async (fields: Partial<StreamingImage> & { clientToken?: string } = {}) =>
  (await nimble().send(new CreateStreamingImageCommand({ studioId, name: 'houdini', ec2ImageId: 'ami-0fedcba987654321', ...fields }))).streamingImage!;
const get = async (streamingImageId: string) => (await nimble().send(new GetStreamingImageCommand({ studioId, streamingImageId }))).streamingImage!;
const waitFor = { minDelay: 1, maxDelay: 1, maxWaitTime: 10 };

describe('streaming image lifecycle', () => {
  it('creates CREATE_IN_PROGRESS, becomes READY (the waiter succeeds), and is served by Get and List', async () => {
    const image = await create({ description: 'FX', tags: { team: 'fx' } });
    expect(image).toMatchObject({ name: 'houdini', description: 'FX', owner: studioId, state: 'CREATE_IN_PROGRESS', statusCode: 'STREAMING_IMAGE_CREATE_IN_PROGRESS', tags: { team: 'fx' } });
    expect(image.streamingImageId).toMatch(/^[a-zA-Z0-9-_]{1,22}$/);
    expect(image.arn).toBe(`arn:aws:nimble:us-east-1:123456789012:streaming-image/${image.streamingImageId}`);
    const ready = await waitUntilStreamingImageReady({ client: nimble(), ...waitFor }, { studioId, streamingImageId: image.streamingImageId });
    expect(ready.state).toBe('SUCCESS');
    expect(await get(image.streamingImageId!)).toMatchObject({ state: 'READY', statusCode: 'STREAMING_IMAGE_READY' });
    const { streamingImages } = await nimble().send(new ListStreamingImagesCommand({ studioId }));
    expect(streamingImages!.map((i) => i.streamingImageId).sort()).toEqual(['si-1', image.streamingImageId].sort());
  });

  it('updates name and description through UPDATE_IN_PROGRESS and refuses changes meanwhile (409)', async () => {
    const updated = (await nimble().send(new UpdateStreamingImageCommand({ studioId, streamingImageId: 'si-1', name: 'maya-2026', description: 'new' }))).streamingImage!;
    expect(updated).toMatchObject({ name: 'maya-2026', description: 'new', state: 'UPDATE_IN_PROGRESS' });
    const error = await nimble().send(new DeleteStreamingImageCommand({ studioId, streamingImageId: 'si-1' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).$metadata.httpStatusCode).toBe(409);
    await expect(nimble().send(new UpdateStreamingImageCommand({ studioId, streamingImageId: 'si-1', name: 'again' }))).rejects.toBeInstanceOf(ConflictException);
    await waitUntilStreamingImageReady({ client: nimble(), ...waitFor }, { studioId, streamingImageId: 'si-1' });
    expect(await get('si-1')).toMatchObject({ name: 'maya-2026', state: 'READY' });
  });

  it('deletes through DELETE_IN_PROGRESS to DELETED, still served by Get and List so the waiter succeeds', async () => {
    const deleting = (await nimble().send(new DeleteStreamingImageCommand({ studioId, streamingImageId: 'si-1' }))).streamingImage!;
    expect(deleting).toMatchObject({ state: 'DELETE_IN_PROGRESS', statusCode: 'STREAMING_IMAGE_DELETE_IN_PROGRESS' });
    const again = (await nimble().send(new DeleteStreamingImageCommand({ studioId, streamingImageId: 'si-1' }))).streamingImage!;
    expect(again.state).toBe('DELETE_IN_PROGRESS'); // DeleteStreamingImage is idempotent
    const deleted = await waitUntilStreamingImageDeleted({ client: nimble(), ...waitFor }, { studioId, streamingImageId: 'si-1' });
    expect(deleted.state).toBe('SUCCESS');
    expect(await get('si-1')).toMatchObject({ state: 'DELETED', statusCode: 'STREAMING_IMAGE_DELETED' });
    const { streamingImages } = await nimble().send(new ListStreamingImagesCommand({ studioId }));
    expect(streamingImages!.find((i) => i.streamingImageId === 'si-1')?.state).toBe('DELETED');
    await expect(nimble().send(new UpdateStreamingImageCommand({ studioId, streamingImageId: 'si-1', name: 'x' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('ends in CREATE_FAILED with a status message for an AMI listed in failingAmis, failing the waiter', async () => {
    const image = await create({ ec2ImageId: 'ami-0badbadbadbadbad0' });
    const result = await waitUntilStreamingImageReady({ client: nimble(), ...waitFor }, { studioId, streamingImageId: image.streamingImageId }).catch((e: Error) => e);
    expect(result).toBeInstanceOf(Error);
    expect(String((result as Error).message)).toContain('FAILURE');
    const failed = await get(image.streamingImageId!);
    expect(failed).toMatchObject({ state: 'CREATE_FAILED', statusCode: 'INTERNAL_ERROR' });
    expect(failed.statusMessage).toContain('ami-0badbadbadbadbad0');
  });

  it('filters List by owner and pages it with tokens absent on the last page', async () => {
    const images = Array.from({ length: 5 }, (_, i) => ({ streamingImageId: `si-${i}`, name: `n${i}`, ec2ImageId: 'ami-1', ...(i === 4 ? { owner: 'amazon' } : {}) }));
    const paged = await startTestEmulator({ pageSize: 2, state: { nimble: { studios: [{ studioId, streamingImages: images }] } } });
    try {
      const pages: string[][] = [];
      for await (const page of paginateListStreamingImages({ client: paged.clients.nimble }, { studioId })) pages.push(page.streamingImages!.map((i) => i.streamingImageId!));
      expect(pages).toEqual([['si-0', 'si-1'], ['si-2', 'si-3'], ['si-4']]);
      const amazon = await paged.clients.nimble.send(new ListStreamingImagesCommand({ studioId, owner: 'amazon' }));
      expect(amazon.streamingImages!.map((i) => i.streamingImageId)).toEqual(['si-4']);
      expect(amazon.nextToken).toBeUndefined();
    } finally {
      await paged.close();
    }
  });
});

describe('client tokens', () => {
  it('replays the first response for the same token and request, instead of creating twice', async () => {
    const first = await create({ clientToken: 'token-1' });
    const replay = await create({ clientToken: 'token-1' });
    expect(replay).toEqual(first);
    const { streamingImages } = await nimble().send(new ListStreamingImagesCommand({ studioId }));
    expect(streamingImages).toHaveLength(2);
  });

  it('answers ConflictException when the token comes back with a different request', async () => {
    await create({ clientToken: 'token-2' });
    await expect(create({ clientToken: 'token-2', name: 'other' })).rejects.toBeInstanceOf(ConflictException);
  });

  it('creates every time when no token is sent', async () => {
    const a = await create();
    const b = await create();
    expect(a.streamingImageId).not.toBe(b.streamingImageId);
  });
});

describe('errors', () => {
  it('answers ResourceNotFoundException (404, typed by header) for an unknown studio or image', async () => {
    const error = await nimble().send(new GetStreamingImageCommand({ studioId, streamingImageId: 'si-nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((error as ResourceNotFoundException).context).toEqual({ resourceId: 'si-nope' });
    await expect(nimble().send(new ListStreamingImagesCommand({ studioId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(create({ studioId: 'nope' } as never)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers ValidationException (400) naming the member', async () => {
    const error = await create({ ec2ImageId: 'not-an-ami', name: 'x'.repeat(65) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    expect((error as Error).message).toMatch(/^2 validation errors detected: .*at 'ec2ImageId'.*at 'name'.*less than or equal to 64/);
    const missing = await nimble().send(new CreateStreamingImageCommand({ studioId } as never)).catch((e: unknown) => e);
    expect((missing as Error).message).toContain("Value null at 'ec2ImageId' failed to satisfy constraint: Member must not be null");
  });
});

describe('tags', () => {
  const arn = 'arn:aws:nimble:us-east-1:123456789012:streaming-image/si-1';

  it('tags, lists and untags by percent-encoded ARN', async () => {
    await nimble().send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod', team: 'fx' } }));
    expect((await nimble().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ env: 'prod', team: 'fx' });
    await nimble().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env', 'absent'] }));
    expect((await nimble().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'fx' });
    const calls = await emulator().calls();
    expect(calls.slice(-4).map((c) => [c.operation, c.status])).toEqual([
      ['TagResource', 204],
      ['ListTagsForResource', 200],
      ['UntagResource', 204],
      ['ListTagsForResource', 200],
    ]);
  });

  it('fails with ResourceNotFoundException for unknown ARNs and deleted images', async () => {
    await expect(nimble().send(new ListTagsForResourceCommand({ resourceArn: `${arn}x` }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await emulator().setState({ nimble: { studios: [{ studioId, streamingImages: [{ streamingImageId: 'si-1', name: 'gone', ec2ImageId: 'ami-1', state: 'DELETED' }] }] } });
    await expect(nimble().send(new TagResourceCommand({ resourceArn: arn, tags: { a: 'b' } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('requires tagKeys on UntagResource', async () => {
    await expect(nimble().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [] }))).rejects.toBeInstanceOf(ValidationException);
  });
});
