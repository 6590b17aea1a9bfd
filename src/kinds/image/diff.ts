/** Three-way diff of an AppStream image's sharing and tags. Pure. */
import type { DiffSpec } from '../../core/plan.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { NormalImage, NormalShare } from './normalize.js';
import { diffTags, keyedDiff, keyedTargets, type TagDelta } from '../../diff/collections.js';

export interface DeclaredImage {
  normal: NormalImage;
  declared: ReadonlySet<string>;
}

export interface ImageDelta {
  diffs: DiffSpec[];
  /** Accounts to share with or whose permissions change. */
  share: NormalShare[];
  /** Accounts to stop sharing with. */
  unshare: string[];
  tags: TagDelta;
}

/**
 * A declared SharedWith is the whole set: every other account's share is removed (a share granted
 * by hand is drift, like any other change). Undeclared, only the accounts streamform shared with
 * before are let go, and a SharedWith it never managed stays unmanaged.
 */
export function diffImage(desired: DeclaredImage, live: NormalImage, record: AppliedRecord | undefined): ImageDelta {
  const liveShares = live.sharedWith ?? {};
  const declared = desired.declared.has('SharedWith') ? (desired.normal.sharedWith ?? {}) : undefined;
  const wanted = keyedTargets(liveShares, declared, declared ? Object.keys(liveShares) : record?.s);
  const { changed, removed, diff } = keyedDiff('SharedWith', liveShares, wanted);
  const tags = diffTags(live.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, record?.t);
  return {
    diffs: [diff, tags.diff].filter((d): d is DiffSpec => d !== undefined),
    share: changed.map((account) => wanted.get(account)!),
    unshare: removed,
    tags,
  };
}
