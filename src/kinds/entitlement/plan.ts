/**
 * Entitlements: the calls that create a declared entitlement, bring it in line (UpdateEntitlement,
 * then its applications), or delete one that its stack no longer declares (prune). They carry no
 * tags: an entitlement is this project's through its stack, which the config must declare and which
 * no other project may own. Its applications are the whole truth: an application associated outside
 * the config is disassociated.
 */
import type { Config, EntitlementConfig } from '../../config/types.js';
import type { LiveState } from '../../core/live.js';
import { digest } from '../../core/digest.js';
import { ownerOf } from '../../core/ownership.js';
import { setDiff } from '../../diff/collections.js';
import { asSet, clean, sameValue } from '../../normalize/values.js';
import { appstreamCall, change, mine, refused, type CallSpec, type DiffSpec, type PlanContext, type ResourcePlan, type Subject } from '../resource.js';
import type { LiveEntitlement } from './live.js';

const call = appstreamCall;
const stackAddress = (name: string) => `stack/${name}`;
const applicationAddress = (name: string) => `application/${name}`;

interface NormalEntitlement {
  /** Undefined: none (live), or not managed (declared). */
  Description?: string;
  AppVisibility: string;
  Attributes: { Name: string; Value: string }[];
  Applications: string[];
}

/** Attributes as a set of Name and Value pairs. */
export function normalAttributes(attributes: readonly { Name?: string; Value?: string }[] | undefined): { Name: string; Value: string }[] {
  return asSet((attributes ?? []).map(({ Name, Value }) => ({ Name: Name!, Value: Value! }))) ?? [];
}

export const normalApplications = (names: readonly string[] | null | undefined): string[] => asSet(names) ?? [];

function liveEntitlementNormal(found: LiveEntitlement): NormalEntitlement {
  const { Description, AppVisibility, Attributes } = found.entitlement;
  return { Description: clean(Description) as string | undefined, AppVisibility: AppVisibility!, Attributes: normalAttributes(Attributes), Applications: normalApplications(found.applications) };
}

/** Everything about the entitlement that the plan depends on, so that a saved plan can tell it went stale. */
export const liveEntitlementDigest = (found: LiveEntitlement) => digest(liveEntitlementNormal(found));

/** Why the plan must leave an entitlement of this stack alone, if it must. */
function stackProblem(project: string, config: Config, live: LiveState, stackName: string): string | undefined {
  if (!(config.stacks ?? []).some((stack) => stack.Name === stackName)) {
    return `stack ${stackName} is not declared in this config: an entitlement belongs to its stack, which this project must own; declare the stack`;
  }
  const stack = live.stacks[stackName];
  if (!stack || mine(project, stack.tags)) return undefined;
  const owner = ownerOf(stack.tags);
  return owner === undefined
    ? `the tags of stack ${stackName} could not be read, so its owner is unknown; its entitlements are left alone`
    : `stack ${stackName} is owned by project "${owner}" (tag streamform:project); its entitlements are left alone`;
}

/**
 * The stacks whose undeclared entitlements prune deletes: the declared ones this project owns or
 * adopts now, and those it owns and no longer declares, which prune deletes after their entitlements.
 */
export function prunedStacks(project: string, config: Config, live: LiveState): string[] {
  const declared = new Set((config.stacks ?? []).map((stack) => stack.Name));
  return Object.keys(live.entitlements ?? {}).filter((name) =>
    declared.has(name) ? !stackProblem(project, config, live, name) : ownerOf(live.stacks[name]?.tags) === project,
  );
}

const ident = (stackName: string, name: string) => ({ StackName: stackName, Name: name });
const association = (stackName: string, name: string, application: string) => ({ StackName: stackName, EntitlementName: name, ApplicationIdentifier: application });

export function planDeclaredEntitlement(ctx: PlanContext, config: Config, declared: EntitlementConfig, live: LiveState, subject: Subject): ResourcePlan {
  const { StackName: stackName, Name: name } = declared;
  const problem = stackProblem(ctx.project, config, live, stackName);
  if (problem) return refused(subject, [problem]);
  const found = live.entitlements?.[stackName]?.[name];
  const want: NormalEntitlement = {
    Description: clean(declared.Description) as string | undefined,
    AppVisibility: declared.AppVisibility,
    Attributes: normalAttributes(declared.Attributes),
    Applications: normalApplications(declared.Applications),
  };
  // Created after its stack and the declared applications it grants, deleted before them.
  const dependsOn = [stackAddress(stackName), ...want.Applications.map(applicationAddress)];
  const associate = (names: string[]) => names.map((application) => call('AssociateApplicationToEntitlement', association(stackName, name, application)));
  if (!found) {
    const input = { ...ident(stackName, name), ...(want.Description !== undefined ? { Description: want.Description } : {}), AppVisibility: want.AppVisibility, Attributes: want.Attributes };
    const diffs: DiffSpec[] = [
      ...(want.Description !== undefined ? [{ path: 'Description', after: want.Description }] : []),
      { path: 'AppVisibility', after: want.AppVisibility },
      { path: 'Attributes', after: want.Attributes },
      ...(want.Applications.length ? [{ path: 'Applications', after: want.Applications }] : []),
    ];
    return { change: change(subject, { action: 'create', diffs, dependsOn }), calls: [call('CreateEntitlement', input), ...associate(want.Applications)], diagnostics: [] };
  }

  const have = liveEntitlementNormal(found);
  const diffs: DiffSpec[] = [];
  const update: Record<string, unknown> = {};
  // Description is managed where declared (null or "" clears it); AppVisibility and Attributes always are.
  if (declared.Description !== undefined && want.Description !== have.Description) {
    diffs.push({ path: 'Description', ...(have.Description !== undefined ? { before: have.Description } : {}), after: want.Description ?? null });
    update.Description = want.Description ?? '';
  }
  if (want.AppVisibility !== have.AppVisibility) {
    diffs.push({ path: 'AppVisibility', before: have.AppVisibility, after: want.AppVisibility });
    update.AppVisibility = want.AppVisibility;
  }
  if (!sameValue(want.Attributes, have.Attributes)) {
    diffs.push(setDiff('Attributes', have.Attributes, want.Attributes));
    update.Attributes = want.Attributes;
  }
  const applications = setDiff('Applications', have.Applications, want.Applications);
  const added = applications.added as string[];
  const removed = applications.removed as string[];
  if (added.length || removed.length) diffs.push(applications);
  // Access is granted before any is taken away, so no user loses an application the config keeps.
  const calls: CallSpec[] = [
    ...(Object.keys(update).length ? [call('UpdateEntitlement', { ...ident(stackName, name), ...update })] : []),
    ...associate(added),
    ...removed.map((application) => call('DisassociateApplicationFromEntitlement', association(stackName, name, application))),
  ];
  // streamform associates only what a config names: an application it does not name was associated outside it.
  const drift = removed.length > 0;
  return {
    change: change(subject, {
      action: calls.length ? 'update' : 'no-op',
      drift,
      adopt: ownerOf(live.stacks[stackName]?.tags) === undefined,
      diffs,
      dependsOn,
      ...(drift
        ? { reason: `${removed.join(', ')} ${removed.length === 1 ? 'is' : 'are'} associated but not declared (associated by hand, or removed from the config; entitlements carry no record to tell): disassociated, since an entitlement's applications are exactly those it declares` }
        : {}),
    }),
    calls,
    diagnostics: [],
  };
}

/** Prune: an entitlement its managed stack no longer declares lets go of its applications, then goes. */
export function planEntitlementDeletion(stackName: string, found: LiveEntitlement, subject: Subject): ResourcePlan {
  const name = found.entitlement.Name!;
  const applications = normalApplications(found.applications);
  return {
    change: change(subject, { action: 'delete', dependsOn: [stackAddress(stackName), ...applications.map(applicationAddress)] }),
    calls: [
      // AWS does not say whether DeleteEntitlement takes its associations along: they go first, so it cannot be refused for them.
      ...applications.map((application) => call('DisassociateApplicationFromEntitlement', association(stackName, name, application))),
      call('DeleteEntitlement', ident(stackName, name)),
    ],
    diagnostics: [],
  };
}
