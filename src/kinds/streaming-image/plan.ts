/**
 * Nimble streaming images, identified by (StudioId, Name). Only the name and description change
 * in place; a new Ec2ImageId means a new image: it is created and READY before the old is deleted.
 */
import type { StreamingImage } from '@aws-sdk/client-nimble';
import type { StreamingImageConfig } from '../../config/types.js';
import type { LiveState } from '../../core/live.js';
import { streamingImageAddress } from './live.js';
import { diffStreamingImage } from './diff.js';
import { normalizeStreamingImage } from './normalize.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import { ownerOf, ownRecord, type AppliedRecord } from '../../core/ownership.js';
import { change, declaration, declarationDigest, declaredKeys, diagnosticAt, inPlace, ownershipProblem, refused, replacement, tagCalls, tagLimitProblem } from '../resource.js';
import type { CallSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
import type { Diagnostic } from '../../core/plan.js';

/** Images on their way out do not count: a deleted name may be used again. */
const GONE = new Set(['DELETED', 'DELETE_IN_PROGRESS']);

/** The live images one address may refer to (several when a name is used twice), in id order. */
export interface StreamingImageCandidates {
  studioId: string;
  images: StreamingImage[];
  /** Ids of the copies on their way out or gone (earlier attempts, or replaced copies), sorted. */
  gone: string[];
}

/** Candidates by address: the studios' own images, not Amazon's; those on their way out only as `gone`. */
export function streamingImagesByAddress(live: LiveState): Map<string, StreamingImageCandidates> {
  const byAddress = new Map<string, StreamingImageCandidates>();
  for (const [studioId, images] of Object.entries(live.streamingImages)) {
    for (const image of images) {
      if (image.owner?.toLowerCase() === 'amazon') continue;
      const address = streamingImageAddress(studioId, image.name ?? '');
      const found = byAddress.get(address) ?? { studioId, images: [], gone: [] };
      byAddress.set(address, found);
      if (GONE.has(image.state ?? '')) found.gone.push(image.streamingImageId ?? '');
      else found.images.push(image);
    }
  }
  for (const { images, gone } of byAddress.values()) {
    images.sort((a, b) => ((a.streamingImageId ?? '') < (b.streamingImageId ?? '') ? -1 : 1));
    gone.sort();
  }
  return byAddress;
}

export function liveStreamingImageDigest(candidates: readonly StreamingImage[]): string {
  return digest(candidates.map((i) => ({ id: i.streamingImageId, ec2ImageId: i.ec2ImageId, description: i.description, state: i.state, tags: i.tags })));
}

const nimble = (operation: string, input: Record<string, unknown>, extra: Partial<CallSpec> = {}): CallSpec => ({ service: 'nimble', operation, input, ...extra });

const deleteCall = (studioId: string, image: StreamingImage) =>
  nimble('DeleteStreamingImage', { studioId, streamingImageId: image.streamingImageId }, { wait: 'StreamingImageDeleted' });

/** What a streaming image declaration asks for, in normal form, and the record and tags an apply of it writes. */
const declaredStreamingImage = perDeclaration((config: StreamingImageConfig, project: string) => {
  const declared = declaredKeys(config);
  for (const identity of ['StudioId', 'Name']) declared.delete(identity);
  const normal = normalizeStreamingImage({ ec2ImageId: config.Ec2ImageId, description: config.Description, tags: config.Tags });
  const record: AppliedRecord = {
    d: declarationDigest(declared, { ...normal, Tags: normal.tags }),
    a: declared.has('Description') && normal.Description !== undefined ? ['Description'] : [],
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
  };
  return declaration(project, normal, declared, record);
});

/** `gone`: ids of this address's copies that are deleted or being deleted (see StreamingImageCandidates). */
export function planDeclaredStreamingImage(ctx: PlanContext, config: StreamingImageConfig, candidates: StreamingImage[], subject: Subject, gone: readonly string[] = []): ResourcePlan {
  const { declared, normal, record, tool } = declaredStreamingImage(config, ctx.project);
  const tags = { ...normal.tags, ...tool };
  const tagProblem = tagLimitProblem(Object.keys(tags), tool);
  if (tagProblem) return refused(subject, [tagProblem]);
  const create = () =>
    nimble(
      'CreateStreamingImage',
      {
        studioId: config.StudioId,
        name: config.Name,
        ec2ImageId: normal.Ec2ImageId,
        ...(normal.Description !== undefined ? { description: normal.Description } : {}),
        tags,
        // Deterministic, so a retried or re-run create of this plan never makes a second image. The
        // copies gone since count: once an earlier attempt failed and was deleted, a token it used
        // would only replay that attempt's answer (an image that is DELETED).
        clientToken: digest({
          project: ctx.project,
          address: subject.address,
          configDigest: ctx.configDigest(),
          liveDigest: subject.liveDigest,
          ...(gone.length ? { gone } : {}),
        }),
      },
      { wait: 'StreamingImageReady' },
    );
  const desired = { normal, declared };
  if (!candidates.length) {
    const diffs = diffStreamingImage(desired, { Ec2ImageId: '', tags: {} }, undefined).diffs.map(({ path, after }) => ({ path, after }));
    return { change: change(subject, { action: 'create', diffs }), calls: [create()], diagnostics: [] };
  }

  const foreign = candidates.filter((image) => ownerOf(image.tags) !== ctx.project);
  if (candidates.length > 1 && foreign.length) {
    const ids = candidates.map((image) => image.streamingImageId).join(', ');
    return refused(subject, [`ambiguous: ${candidates.length} streaming images named "${config.Name}" in studio ${config.StudioId} (${ids}); delete all but one`]);
  }
  const problem = ownershipProblem(ctx.project, candidates[0].tags);
  if (problem) return refused(subject, [problem]);

  // Several owned copies are what an interrupted replace leaves: keep one with the declared AMI (READY first).
  const matching = candidates.filter((image) => image.ec2ImageId === normal.Ec2ImageId).sort((a, b) => Number(b.state === 'READY') - Number(a.state === 'READY'));
  const [kept, ...extra] = matching.length ? [matching[0], ...candidates.filter((image) => image !== matching[0])] : [undefined, ...candidates];
  const shown = kept ?? candidates[0];
  const owned = ownerOf(shown.tags) === ctx.project;
  const previous = ownRecord(ctx.project, shown.tags);
  const delta = diffStreamingImage(desired, normalizeStreamingImage(shown), previous);

  if (!kept) {
    if (!owned) {
      return refused(subject, [
        `exists with Ec2ImageId ${shown.ec2ImageId} and is not owned by this project; replacing it would delete it (declare its current Ec2ImageId to adopt it first)`,
      ]);
    }
    return {
      change: replacement(subject, {
        previous,
        record,
        diffs: delta.diffs,
        reason: 'Ec2ImageId cannot change in place: the new image is created and READY before the old one is deleted',
      }),
      calls: [create(), ...extra.map((image) => deleteCall(config.StudioId, image))],
      diagnostics: [],
    };
  }
  const health = failedState(kept, subject);
  if (health.length) return { ...refused(subject, []), diagnostics: health };

  const tagging = tagCalls('nimble', kept.arn!, kept.tags ?? {}, delta.tags, tool);
  if (tagging.problem) return refused(subject, [tagging.problem]);
  // The kept copy may still be on its way (an apply stopped while waiting for it): it must be READY
  // before another copy, perhaps the last READY one, is deleted, and before it can be updated.
  const mustBeReady = kept.state !== 'READY' && (extra.length > 0 || delta.description !== undefined);
  const calls = [
    ...(mustBeReady ? [nimble('GetStreamingImage', { studioId: config.StudioId, streamingImageId: kept.streamingImageId }, { wait: 'StreamingImageReady' })] : []),
    ...(delta.description !== undefined
      ? [nimble('UpdateStreamingImage', { studioId: config.StudioId, streamingImageId: kept.streamingImageId, description: delta.description }, { wait: 'StreamingImageReady' })]
      : []),
    ...tagging.calls,
    ...extra.map((image) => deleteCall(config.StudioId, image)),
  ];
  const extraCopies = extra.length
    ? {
        action: 'replace' as const,
        reason: `${mustBeReady ? `waits for ${kept.streamingImageId} to be READY, then ` : ''}deletes ${extra.length} older cop${extra.length === 1 ? 'y' : 'ies'} left by an interrupted replace`,
        reasonCode: 'cleanup_interrupted_replace' as const,
      }
    : {};
  return inPlace(subject, { calls, diffs: delta.diffs, owned, previous, record, diagnostics: [] }, extraCopies);
}

/** Prune: every owned image of an undeclared (studio, name). */
export function planStreamingImageDeletion(studioId: string, images: StreamingImage[], subject: Subject): ResourcePlan {
  return { change: change(subject, { action: 'delete' }), calls: images.map((image) => deleteCall(studioId, image)), diagnostics: [] };
}

/** A streaming image in a *_FAILED state is reported whether or not anything changes. */
function failedState(image: StreamingImage, subject: Subject): Diagnostic[] {
  if (!image.state?.endsWith('_FAILED')) return [];
  return [diagnosticAt(subject, 'error', `streaming image ${image.streamingImageId} is ${image.state}${image.statusMessage ? `: ${image.statusMessage}` : ''}`)];
}
