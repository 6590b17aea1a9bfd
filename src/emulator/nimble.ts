/**
 * Nimble Studio streaming images and their tags. Images move through *_IN_PROGRESS states
 * asynchronously, and a deleted image stays visible with state DELETED so that waiters succeed.
 */
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { clone } from './checks.js';
import type { Store, StreamingImageRecord, Tags } from './state.js';

const conflict = (message: string) => new ServiceError('ConflictException', message);

function studioImages(store: Store, studioId: string): Map<string, StreamingImageRecord> {
  const images = store.studios.get(studioId);
  if (!images) throw notFound('Studio', studioId, { resourceId: studioId });
  return images;
}

function imageIn(store: Store, input: Json): StreamingImageRecord {
  const id = input.streamingImageId as string;
  const image = studioImages(store, input.studioId as string).get(id);
  if (!image) throw notFound('Streaming image', id, { resourceId: id });
  return store.streamingImageLifecycle.settle(image);
}

/** Tags can be read and changed on any image that is not deleted. */
function taggedImage(store: Store, arn: string): StreamingImageRecord {
  const image = store.streamingImageByArn(arn);
  if (!image || image.state === 'DELETED') throw notFound('Resource', arn, { resourceId: arn });
  return image;
}

const answer = (image: StreamingImageRecord): Json => ({ streamingImage: clone(image) });

function createStreamingImage(input: Json, { store }: Context): Json {
  const images = studioImages(store, input.studioId as string);
  const image = store.newStreamingImage(input.studioId as string, input as Parameters<Store['newStreamingImage']>[1], 'CREATE_IN_PROGRESS');
  images.set(image.streamingImageId, image);
  return answer(image);
}

function getStreamingImage(input: Json, { store }: Context): Json {
  return answer(imageIn(store, input));
}

function listStreamingImages(input: Json, { store, pageSize }: Context): Json {
  studioImages(store, input.studioId as string);
  const images = store.streamingImages(input.studioId as string).filter((i) => input.owner === undefined || i.owner === input.owner);
  const page = paginate(images, (i) => i.streamingImageId, input.nextToken as string | undefined, pageSize(50), 'ValidationException');
  return { streamingImages: page.items.map((i) => clone(i)), ...(page.next ? { nextToken: page.next } : {}) };
}

function updateStreamingImage(input: Json, { store }: Context): Json {
  const image = imageIn(store, input);
  if (image.state === 'DELETED') throw notFound('Streaming image', image.streamingImageId, { resourceId: image.streamingImageId });
  if (store.streamingImageLifecycle.isTransitional(image.state) || image.state === 'CREATE_FAILED') {
    throw conflict(`Another operation is in progress or the image can't be updated (state ${image.state}).`);
  }
  if (input.name !== undefined) image.name = input.name as string;
  if (input.description === '') delete image.description;
  else if (input.description !== undefined) image.description = input.description as string;
  store.streamingImageLifecycle.move(image, 'UPDATE_IN_PROGRESS');
  return answer(image);
}

/** Idempotent (as modelled): deleting an image that is being deleted or is gone answers its state. */
function deleteStreamingImage(input: Json, { store }: Context): Json {
  const image = imageIn(store, input);
  if (image.state === 'DELETE_IN_PROGRESS' || image.state === 'DELETED') return answer(image);
  if (store.streamingImageLifecycle.isTransitional(image.state)) throw conflict(`Another operation is in progress (state ${image.state}).`);
  store.streamingImageLifecycle.move(image, 'DELETE_IN_PROGRESS');
  return answer(image);
}

function tagResource(input: Json, { store }: Context): Json {
  const image = taggedImage(store, input.resourceArn as string);
  image.tags = { ...image.tags, ...((input.tags as Tags | undefined) ?? {}) };
  return {};
}

function untagResource(input: Json, { store }: Context): Json {
  const image = taggedImage(store, input.resourceArn as string);
  for (const key of input.tagKeys as string[]) delete image.tags[key];
  return {};
}

function listTagsForResource(input: Json, { store }: Context): Json {
  return { tags: { ...taggedImage(store, input.resourceArn as string).tags } };
}

const handlers: Record<string, Handler> = {
  CreateStreamingImage: createStreamingImage,
  GetStreamingImage: getStreamingImage,
  ListStreamingImages: listStreamingImages,
  UpdateStreamingImage: updateStreamingImage,
  DeleteStreamingImage: deleteStreamingImage,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};

/** JSON with sorted keys: clients order body members differently (the SDK alphabetically, the CLI as given). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * X-Amz-Client-Token: the same token with the same operation and request replays the first
 * response; with a different request it is a conflict. Without a token there is no deduplication.
 * Only successes are remembered, so a failed request may be retried with its token.
 */
function idempotent(operation: string, handler: Handler): Handler {
  return (input, ctx) => {
    const { clientToken, ...request } = input;
    if (typeof clientToken !== 'string') return handler(input, ctx);
    const key = canonical(request);
    const seen = ctx.store.clientTokens.get(clientToken);
    if (seen) {
      if (seen.operation !== operation || seen.request !== key) {
        throw conflict(`The client token ${clientToken} was already used with a different request.`);
      }
      return clone(seen.response) as Json;
    }
    const response = handler(input, ctx);
    ctx.store.clientTokens.set(clientToken, { operation, request: key, response: clone(response) });
    return response;
  };
}

export const nimbleHandlers: Record<string, Handler> = Object.fromEntries(
  Object.entries(handlers).map(([op, handler]) => [op, /^(Create|Update|Delete)/.test(op) ? idempotent(op, handler) : handler]),
);
