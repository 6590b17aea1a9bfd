/** Three-way diffs of an AppStream image's sharing and tags, and of a Nimble streaming image. Pure. */
import type { AttributeDiff } from '../plan/types.js';
import type { AppliedRecord } from '../plan/ownership.js';
import type { NormalImage, NormalShare, NormalStreamingImage } from '../normalize/image.js';
import { diffTags, keyedDiff, keyedTargets, type TagDelta } from './collections.js';

export interface DeclaredImage {
  normal: NormalImage;
  declared: ReadonlySet<string>;
}

export interface ImageDelta {
  diffs: AttributeDiff[];
  /** Accounts to share with or whose permissions change. */
  share: NormalShare[];
  /** Accounts to stop sharing with. */
  unshare: string[];
  tags: TagDelta;
}

/** SharedWith is managed per account: declared accounts, plus those streamform shared with before. */
export function diffImage(desired: DeclaredImage, live: NormalImage, record: AppliedRecord | undefined): ImageDelta {
  const liveShares = live.sharedWith ?? {};
  const declared = desired.declared.has('SharedWith') ? (desired.normal.sharedWith ?? {}) : undefined;
  const wanted = keyedTargets(liveShares, declared, record?.s);
  const { changed, removed, diff } = keyedDiff('SharedWith', liveShares, wanted);
  const tags = diffTags(live.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, record?.t);
  return {
    diffs: [diff, tags.diff].filter((d): d is AttributeDiff => d !== undefined),
    share: changed.map((account) => wanted.get(account)!),
    unshare: removed,
    tags,
  };
}

export interface DeclaredStreamingImage {
  normal: NormalStreamingImage;
  declared: ReadonlySet<string>;
}

export interface StreamingImageDelta {
  diffs: AttributeDiff[];
  /** The AMI differs: the image must be created anew (Ec2ImageId cannot change in place). */
  replace: boolean;
  /** A description to send ('' clears it); undefined: unchanged. */
  description?: string;
  tags: TagDelta;
}

export function diffStreamingImage(desired: DeclaredStreamingImage, live: NormalStreamingImage, record: AppliedRecord | undefined): StreamingImageDelta {
  const diffs: AttributeDiff[] = [];
  const replace = desired.normal.Ec2ImageId !== live.Ec2ImageId;
  if (replace) diffs.push({ path: 'Ec2ImageId', before: live.Ec2ImageId, after: desired.normal.Ec2ImageId });
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
  return { diffs, replace, ...(description !== undefined ? { description } : {}), tags };
}
