/**
 * AppStream images: streamform never creates or deletes them (image builders make them); it
 * manages whom they are shared with and their tags, and checks their health. Identified by Name.
 */
import type { Image, SharedImagePermissions } from '@aws-sdk/client-appstream';
import { asSet, userTags } from '../../normalize/values.js';
import { ownerOf } from '../../core/ownership.js';
import { field } from '../../core/sets.js';
import { declaredValue, selectedTags, sortedBy } from '../resource.js';
import type { KindDefinition, Selection } from '../types.js';
import { imageAddress } from './live.js';
import { normalizeImage, shareFromLive, type NormalShare } from './normalize.js';
import { liveImageDigest, planDeclaredImage } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes images. */
const reads = () => import('./describe.js');

export const imageKind: KindDefinition = {
  name: 'image',
  list: 'images',
  noun: 'image',
  plural: 'images',
  service: 'appstream',
  identity: ['Name'],
  sets: [{ path: ['SharedWith'], noun: 'account', key: field('AccountId') }],
  attributes: {
    SharedWith: { compare: { set: 'AccountId' }, clear: 'none', impact: 'update' },
    MaxBaseImageAgeDays: { compare: 'scalar', clear: 'none', impact: 'update' },
    Tags: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
  },
  emptyLive: () => ({}),
  describe: {
    list: async (ctx) => (await reads()).listInto(ctx),
    tags: {
      resourceType: 'appstream:image',
      listing: 'declared',
      declared: (config) => config.images?.length ?? 0,
      // Declared images that exist; those that are not the account's own cannot carry its tags.
      needing: ({ live }) =>
        Object.entries(live.images)
          .filter(([, { image }]) => (image.Visibility ?? 'PRIVATE') === 'PRIVATE')
          .map(([name, target]) => ({ address: imageAddress(name), arn: target.image.Arn!, target })),
    },
    details: async (ctx) => (await reads()).readPermissions(ctx),
  },

  // Never pruned: images are made by image builders, not by streamform.
  plan({ ctx, config, live, wanted, subject, plan }) {
    (config.images ?? []).forEach((image, i) => {
      const address = imageAddress(image.Name);
      if (!wanted(address)) return;
      const found = live.images[image.Name];
      const at = subject(address, `/images/${i}`, () => (found ? liveImageDigest(found) : null));
      plan(at, () => planDeclaredImage(ctx, image, found, at));
    });
  },


  declaredValues: (resource) => {
    const image = resource as { SharedWith?: NormalShare[] | null; MaxBaseImageAgeDays?: number; Tags?: Record<string, string> | null };
    return {
      SharedWith: declaredValue(image.SharedWith, (list) => normalizeImage({ sharedWith: list ?? [] }).sharedWith),
      MaxBaseImageAgeDays: image.MaxBaseImageAgeDays,
      Tags: declaredValue(image.Tags, userTags),
    };
  },

  importDescribe: async (...args) => (await reads()).importImages(...args),
  import(live, { project, declare, leaveOut, unrecorded }) {
    const images: Record<string, unknown>[] = [];
    for (const { image, tags, sharedWith } of sortedBy(Object.values(live.images), (i) => i.image.Name!)) {
      const address = imageAddress(image.Name!);
      if (image.State !== 'AVAILABLE') {
        leaveOut(address, `state ${image.State ?? 'unknown'}: only AVAILABLE images can be declared`);
        continue;
      }
      const build = (select: Selection) => imageConfig(image, sharedWith ?? [], tags ?? {}, select);
      const full = build(unrecorded);
      if (!full.SharedWith && !full.Tags && ownerOf(tags) !== project) {
        leaveOut(address, 'neither shared nor tagged (declare it to manage its sharing or tags, or to check its base image age)');
        continue;
      }
      const declared = declare(address, tags, build);
      if (declared) images.push(declared);
    }
    return images;
  },

  reads: ['DescribeImages', 'DescribeImagePermissions'],
  operations: ['UpdateImagePermissions', 'DeleteImagePermissions', 'TagResource', 'UntagResource'],
};

function imageConfig(image: Image, sharedWith: SharedImagePermissions[], tags: Record<string, string>, select: Selection): Record<string, unknown> & { SharedWith?: unknown; Tags?: unknown } {
  const shares = asSet(sharedWith.map(shareFromLive), (share) => share.AccountId);
  const userTagMap = selectedTags(tags, select);
  return {
    Name: image.Name!,
    ...(shares && select.list('s') ? { SharedWith: shares } : {}),
    ...(userTagMap ? { Tags: userTagMap } : {}),
  };
}
