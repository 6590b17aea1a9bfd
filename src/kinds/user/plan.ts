/**
 * Users: the calls that create a declared user, enable or disable it, or replace it when a name
 * changed (there is no UpdateUser); and the one resource that batches every assignment change of
 * the pool into BatchAssociateUserStack / BatchDisassociateUserStack calls of at most 25 entries.
 * Users carry no tags: nothing proves a user is this project's, so no user is ever deleted.
 */
import type { User, UserStackAssociation } from '@aws-sdk/client-appstream';
import type { Config, UserConfig } from '../../config/types.js';
import { digest } from '../../core/digest.js';
import { ownerOf } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import type { LiveState } from '../../core/live.js';
import { appstreamCall, change, sortedBy, type CallSpec, type DiffSpec, type PlanContext, type ResourcePlan, type Subject } from '../resource.js';
import { USERPOOL } from './live.js';

/** BatchAssociateUserStack and BatchDisassociateUserStack take 1 to 25 entries. */
export const BATCH = 25;
export const NAMES = ['FirstName', 'LastName'] as const;

const call = appstreamCall;
const ident = (user: { UserName: string; AuthenticationType: string }) => ({ UserName: user.UserName, AuthenticationType: user.AuthenticationType });

/** The declared names and Enabled, in the form DescribeUsers gives them. */
export function liveUserValues(user: User): Record<string, unknown> {
  return { FirstName: user.FirstName, LastName: user.LastName, Enabled: user.Enabled ?? true };
}

export const liveUserDigest = (user: User | undefined) => (user ? digest(liveUserValues(user)) : null);

function diagnostic(subject: Subject, severity: Diagnostic['severity'], message: string): Diagnostic {
  return { severity, address: subject.address, message, ...(subject.source ? { source: subject.source } : {}) };
}

/** A declared user: created, enabled or disabled, or replaced (deleted and created) when a name changed. */
export function planUser(config: UserConfig, live: User | undefined, subject: Subject): ResourcePlan & { replaced: boolean } {
  const email = config.MessageAction === 'SUPPRESS' ? undefined : `AWS emails ${config.UserName} a welcome message with a temporary password (MessageAction: SUPPRESS sends none)`;
  const create = (names: Record<string, unknown>): CallSpec =>
    call('CreateUser', { ...ident(config), ...names, ...(config.MessageAction ? { MessageAction: config.MessageAction } : {}) });
  if (!live) {
    const names = Object.fromEntries(NAMES.filter((name) => config[name] !== undefined).map((name) => [name, config[name]]));
    const diffs: DiffSpec[] = [...Object.entries(names).map(([path, after]) => ({ path, after })), ...(config.Enabled === false ? [{ path: 'Enabled', after: false }] : [])];
    return {
      change: change(subject, { action: 'create', diffs, ...(email ? { reason: email } : {}) }),
      calls: [create(names), ...(config.Enabled === false ? [call('DisableUser', ident(config))] : [])],
      diagnostics: [],
      replaced: false,
    };
  }
  const before = liveUserValues(live);
  const diffs: DiffSpec[] = [];
  for (const name of NAMES) if (config[name] !== undefined && config[name] !== before[name]) diffs.push({ path: name, before: before[name], after: config[name] });
  const enabled = config.Enabled ?? (before.Enabled as boolean);
  if (config.Enabled !== undefined && config.Enabled !== before.Enabled) diffs.push({ path: 'Enabled', before: before.Enabled, after: config.Enabled });
  if (diffs.some((diff) => diff.path !== 'Enabled')) {
    // No UpdateUser: the user is deleted and created again, keeping the names the config leaves undeclared.
    const names = Object.fromEntries(NAMES.map((name) => [name, config[name] ?? before[name]]).filter(([, value]) => value !== undefined));
    const plan = change(subject, { action: 'replace', diffs, reason: `there is no UpdateUser: a name change deletes the user and creates it again${email ? `; ${email}` : ''}` });
    plan.interruption = `deletes and recreates user ${config.UserName}: ends their sessions and removes their stack assignments (assigned again after)${email ? ', and sends a new welcome email' : ''}`;
    return {
      change: plan,
      calls: [call('DeleteUser', ident(config)), create(names), ...(enabled ? [] : [call('DisableUser', ident(config))])],
      diagnostics: [],
      replaced: true,
    };
  }
  const calls = diffs.length ? [call(enabled ? 'EnableUser' : 'DisableUser', ident(config))] : [];
  return { change: change(subject, { action: calls.length ? 'update' : 'no-op', diffs }), calls, diagnostics: [], replaced: false };
}

/** Warnings about user names that differ only in case: AWS treats them as different users. */
export function caseWarnings(config: Config, live: LiveState, subjects: Map<string, Subject>): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const declared = new Map<string, string>();
  const liveByLower = new Map<string, string[]>();
  for (const name of Object.keys(live.users.users)) liveByLower.set(name.toLowerCase(), [...(liveByLower.get(name.toLowerCase()) ?? []), name]);
  for (const user of config.users ?? []) {
    const subject = subjects.get(user.UserName);
    if (!subject) continue;
    const lower = user.UserName.toLowerCase();
    const other = declared.get(lower);
    if (other !== undefined && other !== user.UserName) {
      warnings.push(diagnostic(subject, 'warning', `${user.UserName} and ${other} differ only in case; user names are case-sensitive, so these are two users`));
    }
    declared.set(lower, user.UserName);
    for (const name of liveByLower.get(lower) ?? []) {
      if (name !== user.UserName && !config.users!.some((u) => u.UserName === name)) {
        warnings.push(diagnostic(subject, 'warning', `the user pool has ${name}, which differs from ${user.UserName} only in case; user names are case-sensitive, so this declares another user`));
      }
    }
  }
  return warnings;
}

interface Entry {
  StackName: string;
  UserName: string;
  SendEmailNotification?: boolean;
}
const entryKey = (e: { StackName?: string; UserName?: string }) => `${e.StackName}\0${e.UserName}`;

/** Per-user stack entries of the config: a name, or { Name, SendEmailNotification }. */
function declaredEntries(user: UserConfig): Entry[] {
  return (user.Stacks ?? []).map((entry) => {
    const { Name, SendEmailNotification } = typeof entry === 'string' ? { Name: entry, SendEmailNotification: undefined } : entry;
    const notify = SendEmailNotification ?? user.SendEmailNotification;
    return { StackName: Name, UserName: user.UserName, ...(notify !== undefined ? { SendEmailNotification: notify } : {}) };
  });
}

export interface AssignmentFacts {
  ctx: PlanContext;
  config: Config;
  live: LiveState;
  subject: Subject;
  /** Users created or replaced in this plan: their assignments are made after them (a replaced user lost them). */
  fresh: ReadonlySet<string>;
  /** Where each declared user is written, for its diagnostics. */
  userSubjects: Map<string, Subject>;
  /** Fleets joined to a domain, by name, as far as this plan knows them. */
  domainJoined: ReadonlySet<string>;
}

/** The stacks the project manages: declared, and not owned by another project. */
function projectStacks(ctx: PlanContext, config: Config, live: LiveState): Set<string> {
  return new Set((config.stacks ?? []).map((s) => s.Name).filter((name) => [undefined, ctx.project].includes(ownerOf(live.stacks[name]?.tags))));
}

/** Each stack's fleets: the declared ones where the config names them, else the live associations. */
function fleetsOfStacks(config: Config, live: LiveState): (stack: string) => string[] {
  const declared = new Map((config.stacks ?? []).map((s) => [s.Name, s.Fleets]));
  return (stack) => declared.get(stack) ?? live.stacks[stack]?.fleets ?? [];
}

/**
 * Every assignment change of the pool, batched: for the project's stacks the declared users are
 * the whole truth (any other USERPOOL user is unassigned); on other stacks, declared assignments
 * are added and nothing is removed. Problems are errors before any call.
 */
export function planAssignments({ ctx, config, live, subject, fresh, userSubjects, domainJoined }: AssignmentFacts): ResourcePlan {
  const managed = projectStacks(ctx, config, live);
  const declaredStacks = new Set((config.stacks ?? []).map((s) => s.Name));
  const fleetsOf = fleetsOfStacks(config, live);
  const diagnostics: Diagnostic[] = [];
  const desired = new Map<string, Entry>();
  for (const user of config.users ?? []) {
    const at = userSubjects.get(user.UserName) ?? subject;
    for (const entry of declaredEntries(user)) {
      const stack = live.stacks[entry.StackName];
      const owner = ownerOf(stack?.tags);
      if (!stack && !declaredStacks.has(entry.StackName)) {
        diagnostics.push(diagnostic(at, 'error', `stack ${entry.StackName} does not exist and this config does not declare it`));
        continue;
      }
      if (owner !== undefined && owner !== ctx.project) {
        diagnostics.push(diagnostic(at, 'error', `stack ${entry.StackName} is owned by project "${owner}" (tag streamform:project); its users are left alone`));
        continue;
      }
      const joined = fleetsOf(entry.StackName).find((fleet) => domainJoined.has(fleet));
      if (joined) {
        diagnostics.push(diagnostic(at, 'error', `users in a user pool cannot be assigned to stack ${entry.StackName}: its fleet ${joined} is joined to an Active Directory domain`));
        continue;
      }
      desired.set(entryKey(entry), entry);
    }
  }
  const current = new Map<string, UserStackAssociation>();
  for (const [stack, list] of Object.entries(live.users.stacks)) {
    for (const a of list) if (a.AuthenticationType === USERPOOL && a.StackName === stack) current.set(entryKey(a), a);
  }
  const declaredUsers = new Set((config.users ?? []).map((u) => u.UserName));
  const associate = sortedBy([...desired.values()].filter((e) => fresh.has(e.UserName) || !current.has(entryKey(e))), entryKey);
  const disassociate = sortedBy(
    [...current.values()].filter((a) => managed.has(a.StackName!) && !desired.has(entryKey(a)) && !fresh.has(a.UserName!)),
    entryKey,
  ) as Entry[];
  if (diagnostics.some((d) => d.severity === 'error')) {
    return { change: change(subject, { action: 'no-op', reasonCode: 'refused' }), calls: [], diagnostics };
  }
  const diffs = assignmentDiffs(associate, disassociate);
  const undeclared = [...new Set(disassociate.filter((a) => !declaredUsers.has(a.UserName)).map((a) => a.UserName))].sort();
  const notes = [
    ...(disassociate.length ? [`the users of the stacks this config declares are exactly the users it assigns to them: unassigns ${disassociate.length}`] : []),
    ...(undeclared.length ? [`${undeclared.join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not declared (assigned by hand, or removed from the config): unassigned, but kept in the user pool (streamform never deletes users)`] : []),
  ];
  const entry = (e: Entry) => ({ StackName: e.StackName, UserName: e.UserName, AuthenticationType: USERPOOL, ...(e.SendEmailNotification !== undefined ? { SendEmailNotification: e.SendEmailNotification } : {}) });
  const calls = [
    ...chunks(disassociate).map((batch) => call('BatchDisassociateUserStack', { UserStackAssociations: batch.map((e) => ({ StackName: e.StackName, UserName: e.UserName, AuthenticationType: USERPOOL })) })),
    ...chunks(associate).map((batch) => call('BatchAssociateUserStack', { UserStackAssociations: batch.map(entry) })),
  ];
  const dependsOn = [...new Set([...associate.map((e) => e.StackName)])].map((s) => `stack/${s}`).concat([...fresh].map((u) => userSubjects.get(u)?.address ?? ''));
  return {
    change: change(subject, { action: calls.length ? 'update' : 'no-op', diffs, dependsOn: dependsOn.filter(Boolean), ...(notes.length ? { reason: notes.join('; ') } : {}) }),
    calls,
    diagnostics,
  };
}

/** One diff per stack: the users assigned and unassigned. */
function assignmentDiffs(associate: Entry[], disassociate: Entry[]): DiffSpec[] {
  const stacks = [...new Set([...associate, ...disassociate].map((e) => e.StackName))].sort();
  return stacks.map((stack) => {
    const added = associate.filter((e) => e.StackName === stack).map((e) => e.UserName);
    const removed = disassociate.filter((e) => e.StackName === stack).map((e) => e.UserName);
    return { path: `Stacks.${stack}`, ...(added.length ? { added } : {}), ...(removed.length ? { removed } : {}) };
  });
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** What the assignment change was computed from: the USERPOOL assignments of the stacks read. */
export function liveAssignmentsDigest(live: LiveState): string {
  const list = Object.values(live.users.stacks).flat().filter((a) => a.AuthenticationType === USERPOOL).map(entryKey).sort();
  return digest(list);
}
