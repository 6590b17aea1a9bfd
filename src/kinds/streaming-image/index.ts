/**
 * Nimble streaming images, identified by (StudioId, Name). Only the name and description change
 * in place; a new Ec2ImageId means a new image: it is created and READY before the old is deleted.
 */
import type { StreamingImage } from '@aws-sdk/client-nimble';
import { clean, userTags } from '../../normalize/values.js';
import { ownerOf } from '../../core/ownership.js';
import { declaredValue, selectedTags, sortedBy } from '../resource.js';
import type { KindDefinition, Selection } from '../types.js';
import { STREAMING_IMAGE_ATTRIBUTES } from './attributes.js';
import { streamingImageAddress } from './live.js';
import { liveStreamingImageDigest, planDeclaredStreamingImage, planStreamingImageDeletion, streamingImagesByAddress } from './plan.js';

const FAILED = /_FAILED$/;

/** The reads, with the Nimble client code they need, load when a plan first describes streaming images. */
const reads = () => import('./describe.js');

export const streamingImageKind: KindDefinition = {
  name: 'streamingImage',
  list: 'streamingImages',
  noun: 'streaming image',
  plural: 'streaming images',
  service: 'nimble',
  identity: ['StudioId', 'Name'],
  sets: [],
  attributes: STREAMING_IMAGE_ATTRIBUTES,
  emptyLive: () => ({}),
  describe: {
    // Studios are known only from the config: without a declared streaming image there is nothing to list, prune or not.
    needed: (config) => Boolean(config.streamingImages?.length),
    list: async (ctx) => (await reads()).listInto(ctx),
  },

  plan({ ctx, config, live, wanted, subject, plan }) {
    const declared = new Set<string>();
    const candidates = streamingImagesByAddress(live);
    (config.streamingImages ?? []).forEach((image, i) => {
      const address = streamingImageAddress(image.StudioId, image.Name);
      declared.add(address);
      if (!wanted(address)) return;
      const { images: found = [], gone = [] } = candidates.get(address) ?? {};
      const at = subject(address, `/streamingImages/${i}`, () => (found.length ? liveStreamingImageDigest(found) : null));
      plan(at, () => planDeclaredStreamingImage(ctx, image, found, at, gone));
    });
    if (!ctx.prune) return;
    for (const [address, { studioId, images }] of candidates) {
      const owned = images.filter((image) => ownerOf(image.tags) === config.project);
      if (declared.has(address) || !owned.length || !wanted(address)) continue;
      const at = subject(address, undefined, () => liveStreamingImageDigest(images));
      plan(at, () => planStreamingImageDeletion(studioId, owned, at));
    }
  },


  declaredValues: (resource) => {
    const image = resource as { Ec2ImageId?: string; Description?: string | null; Tags?: Record<string, string> | null };
    return { Ec2ImageId: image.Ec2ImageId, Description: declaredValue(image.Description, clean), Tags: declaredValue(image.Tags, userTags) };
  },

  importDescribe: async (...args) => (await reads()).importStreamingImages(...args),
  import(live, { declare, leaveOut }) {
    const declarations: Record<string, unknown>[] = [];
    for (const [studioId, list] of sortedBy(Object.entries(live.streamingImages), ([id]) => id)) {
      const provided = list.filter((image) => image.owner !== studioId);
      if (provided.length > 0) leaveOut(`streamingImage/${studioId}`, `${provided.length} streaming image(s) provided by AWS (owner ${provided[0].owner}), not by the studio`);
      const byName = new Map<string, StreamingImage[]>();
      for (const image of list.filter((i) => i.owner === studioId)) byName.set(image.name ?? '', [...(byName.get(image.name ?? '') ?? []), image]);
      for (const [name, [image, ...others]] of sortedBy([...byName], ([n]) => n)) {
        const address = streamingImageAddress(studioId, name);
        if (others.length > 0) leaveOut(address, `${others.length + 1} streaming images have this name in the studio: rename all but one, then import again`);
        else if (FAILED.test(image.state ?? '') || image.state === 'DELETE_IN_PROGRESS') {
          leaveOut(address, `state ${image.state}${image.statusMessage ? ` (${image.statusMessage})` : ''}`);
        } else {
          const declared = declare(address, image.tags, (select) => streamingImageConfig(studioId, image, select));
          if (declared) declarations.push(declared);
        }
      }
    }
    return declarations;
  },

  reads: ['ListStreamingImages'],
  operations: ['CreateStreamingImage', 'UpdateStreamingImage', 'DeleteStreamingImage', 'GetStreamingImage', 'TagResource', 'UntagResource'],
  // The SDK's StreamingImageReady / StreamingImageDeleted waiters, as data. A deleted image may also
  // disappear altogether, which a delete wait accepts; a new one may briefly be unknown, which a ready
  // wait outlasts. An image being deleted or deleted never becomes READY (a replayed create token
  // answers with such an image), so a ready wait fails on it at once.
  waiters: {
    StreamingImageReady: {
      resource: (input) => `streaming image ${String(input.streamingImageId)}`,
      operation: 'GetStreamingImage',
      input: pollInput,
      state: 'streamingImage.state',
      success: ['READY'],
      failure: ['CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETED', 'DELETE_FAILED'],
      goneIsSuccess: false,
      errors: 'streamingImage.statusMessage',
      delayMs: 5_000,
      maxWaitMs: 600_000,
    },
    StreamingImageDeleted: {
      resource: (input) => `streaming image ${String(input.streamingImageId)}`,
      operation: 'GetStreamingImage',
      input: pollInput,
      state: 'streamingImage.state',
      success: ['DELETED'],
      failure: ['DELETE_FAILED'],
      goneIsSuccess: true,
      errors: 'streamingImage.statusMessage',
      delayMs: 5_000,
      maxWaitMs: 600_000,
    },
  },
};

/** The image a call made (its id from the create's answer) or acted on. */
function pollInput(call: { input: Record<string, unknown> }, output: unknown): Record<string, unknown> | undefined {
  const made = (output as { streamingImage?: { streamingImageId?: string } } | undefined)?.streamingImage?.streamingImageId;
  const streamingImageId = made ?? (call.input.streamingImageId as string | undefined);
  return streamingImageId ? { studioId: call.input.studioId, streamingImageId } : undefined;
}

function streamingImageConfig(studioId: string, image: StreamingImage, select: Selection): Record<string, unknown> {
  const description = clean(image.description) as string | undefined;
  const userTagMap = selectedTags(image.tags ?? {}, select);
  return {
    StudioId: studioId,
    Name: image.name ?? '',
    Ec2ImageId: image.ec2ImageId ?? '',
    ...(select.attribute('Description', description) ? { Description: description ?? null } : {}),
    ...(userTagMap ? { Tags: userTagMap } : {}),
  };
}
