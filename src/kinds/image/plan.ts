/**
 * AppStream images: streamform never creates or deletes them (they are built with image
 * builders); it manages whom they are shared with and their tags, and checks their health.
 */
import type { ImageConfig } from '../../config/types.js';
import type { LiveImage } from './live.js';
import { diffImage } from './diff.js';
import { normalizeImage, shareFromLive } from './normalize.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import { ownerOf, ownRecord, type AppliedRecord } from '../../core/ownership.js';
import { declaration, declarationDigest, declaredKeys, inPlace, ownershipProblem, refused, tagCalls, type CallSpec, type PlanContext, type ResourcePlan, type Subject } from '../resource.js';
import type { Diagnostic } from '../../core/plan.js';

const DAY_MS = 86_400_000;

export function liveImageDigest(live: LiveImage): string {
  const { sharedWith } = normalizeImage({ sharedWith: live.sharedWith?.map(shareFromLive) });
  return digest({ state: live.image.State, sharedWith, tags: live.tags });
}

/** What an image declaration asks for, in normal form, and the record and tags an apply of it writes. */
const declaredImage = perDeclaration((config: ImageConfig, project: string) => {
  const declared = declaredKeys(config);
  for (const identityOrPolicy of ['Name', 'MaxBaseImageAgeDays']) declared.delete(identityOrPolicy);
  const normal = normalizeImage({ sharedWith: config.SharedWith, tags: config.Tags });
  const record: AppliedRecord = {
    d: declarationDigest(declared, { SharedWith: normal.sharedWith, Tags: normal.tags }),
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
    s: declared.has('SharedWith') ? Object.keys(normal.sharedWith ?? {}) : [],
  };
  return declaration(project, normal, declared, record);
});

export function planDeclaredImage(ctx: PlanContext, config: ImageConfig, live: LiveImage | undefined, subject: Subject): ResourcePlan {
  if (!live) {
    return refused(subject, [`no image named ${config.Name}: AppStream images cannot be created here (build one with an image builder), so the name must match an existing image`]);
  }
  const visibility = live.image.Visibility ?? 'PRIVATE';
  if (visibility !== 'PRIVATE') {
    return refused(subject, [`image is ${visibility}: only this account's own (PRIVATE) images can be shared and tagged`]);
  }
  if (live.image.State === 'FAILED') {
    const reason = live.image.StateChangeReason?.Message;
    return refused(subject, [`image is FAILED${reason ? `: ${reason}` : ''}`]);
  }
  const tags = live.tags ?? {};
  const problem = ownershipProblem(ctx.project, tags);
  if (problem) return refused(subject, [problem]);

  const { declared, normal, record, tool } = declaredImage(config, ctx.project);
  const owned = ownerOf(tags) === ctx.project;
  const previous = ownRecord(ctx.project, tags);
  const delta = diffImage({ normal, declared }, normalizeImage({ sharedWith: live.sharedWith?.map(shareFromLive), tags }), previous);
  const tagging = tagCalls('appstream', live.image.Arn!, tags, delta.tags, tool);
  if (tagging.problem) return refused(subject, [tagging.problem]);

  const name = config.Name;
  const calls: CallSpec[] = [
    ...delta.share.map(
      (share): CallSpec => ({
        service: 'appstream',
        operation: 'UpdateImagePermissions',
        input: { Name: name, SharedAccountId: share.AccountId, ImagePermissions: { allowFleet: share.AllowFleet, allowImageBuilder: share.AllowImageBuilder } },
      }),
    ),
    ...delta.unshare.map((account): CallSpec => ({ service: 'appstream', operation: 'DeleteImagePermissions', input: { Name: name, SharedAccountId: account } })),
    ...tagging.calls,
  ];
  return inPlace(subject, { calls, diffs: delta.diffs, owned, previous, record, diagnostics: baseImageAge(ctx.now, config, live, subject) });
}

/** Policy: an image built on a public base image older than MaxBaseImageAgeDays is a warning. */
function baseImageAge(now: Date, config: ImageConfig, live: LiveImage, subject: Subject): Diagnostic[] {
  const released = live.image.PublicBaseImageReleasedDate;
  if (config.MaxBaseImageAgeDays === undefined || !released) return [];
  const ageDays = Math.floor((now.getTime() - released.getTime()) / DAY_MS);
  if (ageDays <= config.MaxBaseImageAgeDays) return [];
  return [
    {
      severity: 'warning',
      address: subject.address,
      message: `base image released ${released.toISOString().slice(0, 10)} is ${ageDays} days old, more than MaxBaseImageAgeDays (${config.MaxBaseImageAgeDays}); rebuild it on a newer base image`,
      ...(subject.source ? { source: subject.source } : {}),
    },
  ];
}
