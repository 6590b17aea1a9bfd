/** Three-way diff of a Nimble streaming image. Pure. */
import type { AppliedRecord } from '../../core/ownership.js';
import { diffTags, type TagDelta } from '../../diff/collections.js';
import type { DiffSpec } from '../resource.js';
import { replacing } from '../resource.js';
import { STREAMING_IMAGE_ATTRIBUTES } from './attributes.js';
import type { NormalStreamingImage } from './normalize.js';

export interface DeclaredStreamingImage {
  normal: NormalStreamingImage;
  declared: ReadonlySet<string>;
}

export interface StreamingImageDelta {
  diffs: DiffSpec[];
  /** An attribute that cannot change in place differs (the AMI): the image must be created anew. */
  replace: boolean;
  /** A description to send ('' clears it); undefined: unchanged. */
  description?: string;
  tags: TagDelta;
}

export function diffStreamingImage(desired: DeclaredStreamingImage, live: NormalStreamingImage, record: AppliedRecord | undefined): StreamingImageDelta {
  const diffs: DiffSpec[] = [];
  if (desired.normal.Ec2ImageId !== live.Ec2ImageId) diffs.push({ path: 'Ec2ImageId', before: live.Ec2ImageId, after: desired.normal.Ec2ImageId });
  let description: string | undefined;
  if (desired.declared.has('Description') || record?.a?.includes('Description')) {
    const want = desired.declared.has('Description') ? desired.normal.Description : undefined;
    if (want !== live.Description) {
      diffs.push({ path: 'Description', ...(live.Description !== undefined ? { before: live.Description } : {}), after: want ?? null });
      description = want ?? '';
    }
  }
  const tags = diffTags(live.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, record?.t);
  if (tags.diff) diffs.push(tags.diff);
  return { diffs, replace: replacing(STREAMING_IMAGE_ATTRIBUTES, diffs) !== undefined, ...(description !== undefined ? { description } : {}), tags };
}
