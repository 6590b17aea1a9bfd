/**
 * Fleets: the calls that make one fleet match its declaration, or delete it when pruned. What a
 * RUNNING fleet cannot take in place is done between StopFleet and StartFleet, each waited for; a
 * fleet on its way to RUNNING or STOPPED is waited for before it is changed; a new FleetType means a
 * new fleet.
 */
import type { Image } from '@aws-sdk/client-appstream';
import type { FleetConfig } from '../../config/types.js';
import { asSet } from '../../normalize/values.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, change, createInput, creation, declaration, declarationDigest, declaredKeys, found, ignoring, inPlace, managed, newestImage } from '../resource.js';
import { refused, replacement, resourceErrors, runningStateCalls, tagCalls, withDiagnostics } from '../resource.js';
import type { CallSpec, Declaration, DiffSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
import { DEFAULT_FLEET_TYPE, fleetTable, inPlaceWhileRunning, type FleetType } from './attributes.js';
import { diffFleet } from './diff.js';
import type { LiveFleet } from './live.js';
import { activeSessions, FLEET_ATTRIBUTES, IMAGE_NAMES, isRunning, normalizeFleet, normalizeLiveFleet, type FleetValues, type NormalFleet } from './normalize.js';

const call = appstreamCall;
const { start: startFleet, lifecycle, toStopped } = runningStateCalls({ start: 'StartFleet', stop: 'StopFleet', describe: 'DescribeFleets', running: 'FleetStarted', stopped: 'FleetStopped' });

/** A declared application associated with a fleet; `letsGo`: its own update disassociates the fleet. */
export interface FleetApplication {
  name: string;
  arn: string;
  letsGo: boolean;
}

/** What the fleet plans need beyond the fleet itself. */
export interface FleetPlanEnv {
  /** The account's AVAILABLE images LatestImage picks from (undefined: not read). */
  images?: Image[];
  /** The declared applications associated with a fleet. */
  applicationsOf(fleet: string): FleetApplication[];
  /** The declared applications that name a fleet in Fleets, for people ("application maya"). */
  naming(fleet: string): string[];
}

export function liveFleetNormal(live: LiveFleet): NormalFleet {
  return normalizeLiveFleet(live.fleet, live.tags);
}

/** Everything about the fleet that the plan depends on, so that a saved plan can tell it went stale. */
export function liveFleetDigest(live: LiveFleet, normal = liveFleetNormal(live)): string {
  const { fleet } = live;
  return digest({ attributes: normal.attributes, type: fleet.FleetType, state: fleet.State, errors: fleet.FleetErrors ?? [], tags: live.tags, stacks: live.stacks });
}

interface Desired extends Declaration<NormalFleet> {
  /** Declared and not ignored (LatestImage counts as ImageName). */
  compared: Set<string>;
  /** What IgnoreChanges names (every name of the image when it names one). */
  ignored: string[];
  /** Why the image is the one it is, when LatestImage chose it. */
  imageReason?: string;
}

/** The declaration in normal form, with LatestImage resolved, and the record an apply of it writes. */
function desiredFleet(ctx: PlanContext, config: FleetConfig, env: FleetPlanEnv): Desired | { problem: string } {
  let imageName = config.ImageName;
  let imageReason: string | undefined;
  if (config.LatestImage) {
    const prefix = config.LatestImage.NamePrefix;
    const { image, matching } = newestImage(env.images ?? [], prefix);
    if (!image) return { problem: `LatestImage: no AVAILABLE image of the account has a name starting with "${prefix}"` };
    imageName = image.Name!;
    imageReason = `ImageName ${imageName} from LatestImage "${prefix}": the newest of ${matching} matching AVAILABLE image${matching === 1 ? '' : 's'}`;
  }
  return { ...declaredFleet(config, ctx.project, imageName ?? ''), ...(imageReason ? { imageReason } : {}) };
}

/** The declaration with `imageName` for its image (none: ''), in normal form, and the record and tags an apply of it writes. */
const declaredFleet = perDeclaration((config: FleetConfig, project: string, imageName: string) => {
  const declared = declaredKeys(config);
  for (const key of ['Name', 'LatestImage']) declared.delete(key);
  if (config.LatestImage) declared.add('ImageName');
  // Ignoring any name of the image ignores the image.
  const ignored = config.IgnoreChanges?.some((name) => IMAGE_NAMES.includes(name)) ? [...config.IgnoreChanges, ...IMAGE_NAMES] : (config.IgnoreChanges ?? []);
  const { compared } = ignoring(ignored, declared, undefined);
  const normal = normalizeFleet({ ...(config as FleetValues), ImageName: imageName || undefined });
  const record: AppliedRecord = {
    // The image chosen is part of what was applied: a newer pipeline image is a change from the config, not drift.
    d: declarationDigest(compared, { ...normal.attributes, FleetType: config.FleetType, State: config.State, Tags: normal.tags, IgnoreChanges: asSet(config.IgnoreChanges) }),
    a: [...managed(FLEET_ATTRIBUTES, compared, normal.attributes), ...(['FleetType', 'State'] as const).filter((key) => compared.has(key))],
    t: compared.has('Tags') ? Object.keys(normal.tags) : [],
  };
  return { ...declaration(project, normal, declared, record), compared, ignored };
});

export function planDeclaredFleet(ctx: PlanContext, config: FleetConfig, live: LiveFleet | undefined, subject: Subject, env: FleetPlanEnv, liveNormal?: NormalFleet): ResourcePlan {
  const desired = desiredFleet(ctx, config, env);
  if ('problem' in desired) return refused(subject, [desired.problem]);
  if (!live) return planCreate(config, desired, subject);

  const { fleet } = live;
  const existing = found(ctx.project, live.tags, subject, fleetHealth(live, subject));
  if ('refusal' in existing) return existing.refusal;
  const { tags, owned, health } = existing;
  const { previous } = ignoring(desired.ignored, desired.declared, existing.previous);
  const type = (fleet.FleetType ?? DEFAULT_FLEET_TYPE) as FleetType;
  const running = isRunning(fleet.State);
  const table = fleetTable(type, running);
  const normal = liveNormal ?? liveFleetNormal(live);
  const wantedType = config.FleetType ?? DEFAULT_FLEET_TYPE;
  if (desired.compared.has('FleetType') && wantedType !== type) {
    if (!owned) return withDiagnostics(refused(subject, [`exists as a ${type} fleet and is not owned by this project; replacing it with a ${wantedType} fleet would delete it`]), health);
    // Only Elastic fleets offer applications: the application's plan is refused too, and the fleet it is offered on must not go.
    const naming = type === 'ELASTIC' ? env.naming(config.Name) : [];
    if (naming.length) {
      const names = `${naming.join(', ')} ${naming.length === 1 ? 'names' : 'name'}`;
      return withDiagnostics(refused(subject, [`FleetType ${wantedType} would replace this Elastic fleet, but ${names} it in Fleets, and only Elastic fleets offer applications: remove it from there, or keep FleetType ELASTIC`]), health);
    }
    return withDiagnostics(planReplace(config, desired, live, normal, subject, previous, env.applicationsOf(config.Name)), health);
  }

  const delta = diffFleet(config.Name, desired, normal, previous, table);
  const tagging = tagCalls('appstream', fleet.Arn!, tags, delta.tags, desired.tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);
  const stateDiff: DiffSpec[] = desired.compared.has('State') && config.State !== (running ? 'RUNNING' : 'STOPPED') ? [{ path: 'State', before: fleet.State, after: config.State }] : [];
  // Without State, the running state is not managed: a fleet an operator stopped stays stopped.
  const keepRunning = desired.compared.has('State') ? config.State === 'RUNNING' : running;
  const needsStop = delta.diffs.some((diff) => !inPlaceWhileRunning(type, diff.path));
  const steps = lifecycle(config.Name, fleet.State, { changes: delta.update ? [call('UpdateFleet', delta.update)] : [], needsStop, keepRunning });
  const calls = [...steps.calls, ...tagging.calls];
  const diffs = [...delta.diffs, ...stateDiff, ...(delta.tags.diff ? [delta.tags.diff] : [])];
  const imageChanged = delta.diffs.some((diff) => diff.path === 'ImageName');
  const plan = inPlace(
    subject,
    { calls, diffs, owned, previous, record: desired.record, diagnostics: health },
    {
      ...(imageChanged && desired.imageReason ? { reason: desired.imageReason } : {}),
      ...(steps.stops ? { interruption: stopping(config.Name, live) } : {}),
    },
  );
  return { ...plan, attributes: table };
}

/** What stopping the fleet does to its users, for the plan's interruption. */
function stopping(name: string, live: LiveFleet, what = 'stops'): string {
  const sessions = activeSessions(live.fleet);
  return `${what} fleet ${name}: ${sessions ? `ends its ${sessions} active session${sessions === 1 ? '' : 's'}` : 'no active sessions now'}`;
}

/** CreateFleet's input: every declared value (ignored ones included), the image chosen, and all tags. */
const createFleet = (subject: Subject, config: FleetConfig, desired: Desired) =>
  createInput(subject, { Name: config.Name, ...(config.FleetType ? { FleetType: config.FleetType } : {}) }, FLEET_ATTRIBUTES, {
    declared: desired.declared,
    values: desired.normal.attributes,
    tags: desired.normal.tags,
    tool: desired.tool,
  });

function planCreate(config: FleetConfig, desired: Desired, subject: Subject): ResourcePlan {
  const made = createFleet(subject, config, desired);
  if ('refusal' in made) return made.refusal;
  const more = config.State ? [{ path: 'State', after: config.State }] : [];
  // A fleet streamform creates is started, unless declared STOPPED.
  const calls = [call('CreateFleet', made.input), ...(config.State === 'STOPPED' ? [] : [startFleet(config.Name)])];
  return creation(subject, made.input, { tags: desired.normal.tags, more, ...(desired.imageReason ? { reason: desired.imageReason } : {}) }, calls);
}

/**
 * FleetType cannot change: the stacks and applications are disassociated, the fleet stopped and
 * deleted, created anew (started unless declared STOPPED) and the stacks associated again. The
 * applications are not: only an Elastic fleet has them, and the new one is of another type. Those
 * that name a fleet becoming Elastic associate it in their own update, which depends on this.
 */
function planReplace(
  config: FleetConfig,
  desired: Desired,
  live: LiveFleet,
  normal: NormalFleet,
  subject: Subject,
  previous: AppliedRecord | undefined,
  applications: readonly FleetApplication[],
): ResourcePlan {
  const name = config.Name;
  const made = createFleet(subject, config, desired);
  if ('refusal' in made) return made.refusal;
  const before = live.fleet.FleetType ?? DEFAULT_FLEET_TYPE;
  const after = config.FleetType ?? DEFAULT_FLEET_TYPE;
  const stacks = live.stacks ?? [];
  const delta = diffFleet(name, desired, normal, previous, fleetTable(after as FleetType, false));
  const offered = lettingGo(name, applications);
  const calls = [
    ...stacks.map((stack) => call('DisassociateFleet', { FleetName: name, StackName: stack })),
    ...offered.calls,
    ...toStopped(name, live.fleet.State),
    call('DeleteFleet', { Name: name }),
    call('CreateFleet', made.input),
    ...(config.State === 'STOPPED' ? [] : [startFleet(name)]),
    ...stacks.map((stack) => call('AssociateFleet', { FleetName: name, StackName: stack })),
  ];
  const users = stacks.length ? `; its stack${stacks.length === 1 ? '' : 's'} ${stacks.join(', ')} cannot stream until it is back` : '';
  const kept = offered.disassociated;
  const gone = kept.length ? `; application${kept.length === 1 ? '' : 's'} ${kept.join(', ')} ${kept.length === 1 ? 'is' : 'are'} no longer offered on it` : '';
  return {
    change: replacement(subject, {
      previous,
      record: desired.record,
      diffs: [{ path: 'FleetType', before, after }, ...delta.diffs, ...(delta.tags.diff ? [delta.tags.diff] : [])],
      reason: `FleetType cannot change in place: the fleet is deleted and created again as ${after}`,
      interruption: `${isRunning(live.fleet.State) ? stopping(name, live, 'replaces') : `replaces fleet ${name}`}${users}${gone}`,
      dependsOn: offered.dependsOn,
    }),
    calls,
    diagnostics: [],
    attributes: fleetTable(before as FleetType, isRunning(live.fleet.State)),
  };
}

/**
 * The declared applications of a fleet that goes: the fleet disassociates those that keep it, and
 * waits for the update of every one (one that lets go of it does so there; a failed one keeps it).
 */
function lettingGo(name: string, applications: readonly FleetApplication[]): { calls: CallSpec[]; disassociated: string[]; dependsOn: string[] } {
  const kept = applications.filter((application) => !application.letsGo);
  return {
    calls: kept.map((application) => call('DisassociateApplicationFleet', { FleetName: name, ApplicationArn: application.arn })),
    disassociated: kept.map((application) => application.name),
    dependsOn: applications.map((application) => `application/${application.name}`),
  };
}

/**
 * Prune: every stack is disassociated first (AWS refuses to delete an associated fleet), except
 * those the plan deletes, which let go of it themselves; so are the declared applications (see
 * lettingGo). Then the fleet is stopped and deleted.
 */
export function planFleetDeletion(live: LiveFleet, subject: Subject, deletedStacks: ReadonlySet<string>, applications: readonly FleetApplication[]): ResourcePlan {
  const name = live.fleet.Name!;
  const offered = lettingGo(name, applications);
  const calls = [
    ...(live.stacks ?? []).filter((stack) => !deletedStacks.has(stack)).map((stack) => call('DisassociateFleet', { FleetName: name, StackName: stack })),
    ...offered.calls,
    ...toStopped(name, live.fleet.State),
    call('DeleteFleet', { Name: name }),
  ];
  return {
    change: change(subject, {
      action: 'delete',
      dependsOn: offered.dependsOn,
      ...(isRunning(live.fleet.State) ? { interruption: stopping(name, live, 'stops and deletes') } : {}),
    }),
    calls,
    diagnostics: [],
  };
}

/** FleetErrors (a bad subnet, a missing role, …) are reported whether or not anything changes. */
function fleetHealth(live: LiveFleet, subject: Subject): Diagnostic[] {
  return resourceErrors(subject, 'fleet', live.fleet.FleetErrors, { state: live.fleet.State });
}
