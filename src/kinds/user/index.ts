/**
 * Users of the AppStream user pool, identified by (AuthenticationType, UserName), and their stack
 * assignments. Users carry no tags, so ownership cannot be proven on them: a user is created,
 * enabled, disabled or replaced (a name change), never deleted. Assignment changes of all users are
 * one plan resource, `user/USERPOOL`, so that they share BatchAssociateUserStack and
 * BatchDisassociateUserStack calls of at most 25 entries.
 */
import type { BatchAssociateUserStackCommandOutput } from '@aws-sdk/client-appstream';
import type { UserConfig } from '../../config/types.js';
import { sortedBy } from '../resource.js';
import type { AttributeTable, KindDefinition } from '../types.js';
import { assignmentsAddress, USERPOOL, userAddress } from './live.js';
import { caseWarnings, liveAssignmentsDigest, liveUserDigest, planAssignments, planUser } from './plan.js';
import type { Subject } from '../resource.js';

const reads = () => import('./describe.js');

const ATTRIBUTES: AttributeTable = {
  FirstName: { compare: 'scalar', clear: 'none', impact: 'replace' },
  LastName: { compare: 'scalar', clear: 'none', impact: 'replace' },
  Enabled: { compare: 'scalar', clear: 'none', impact: 'update' },
  // Used at creation only: nothing live to compare.
  MessageAction: { compare: 'scalar', clear: 'none', impact: 'update' },
  SendEmailNotification: { compare: 'scalar', clear: 'none', impact: 'update' },
  Stacks: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
};

/**
 * Fleets joined to a domain, as far as this plan knows them: a declared DomainJoinInfo wins, else
 * what DescribeFleets showed (the fleet kind's reads, when they are in the live state).
 */
function domainJoinedFleets(config: object, live: object): Set<string> {
  type FleetLike = { Name?: string; DomainJoinInfo?: { DirectoryName?: string } | null };
  const declared = new Map(((config as { fleets?: FleetLike[] }).fleets ?? []).map((fleet) => [fleet.Name, fleet]));
  const listed = Object.entries((live as { fleets?: Record<string, { fleet?: FleetLike }> }).fleets ?? {}).map(([name, found]) => ({ ...found.fleet, Name: name }));
  const joined = new Set<string>();
  for (const fleet of [...declared.values(), ...listed]) {
    const info = declared.get(fleet.Name)?.DomainJoinInfo !== undefined ? declared.get(fleet.Name)!.DomainJoinInfo : fleet.DomainJoinInfo;
    if (fleet.Name && info?.DirectoryName) joined.add(fleet.Name);
  }
  return joined;
}

const stackName = (entry: NonNullable<UserConfig['Stacks']>[number]) => (typeof entry === 'string' ? entry : entry.Name);

export const userKind: KindDefinition = {
  name: 'user',
  list: 'users',
  noun: 'user',
  plural: 'users',
  service: 'appstream',
  identity: ['AuthenticationType', 'UserName'],
  sets: [{ path: ['Stacks'], noun: 'stack', key: (entry) => (typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? ((entry as { Name?: string }).Name ?? undefined) : undefined) }],
  attributes: ATTRIBUTES,
  emptyLive: () => ({ listed: false, users: {}, stacks: {} }),
  describe: {
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
  },

  plan({ ctx, config, live, wanted, subject, plan }) {
    const users = config.users ?? [];
    if (!users.length) return;
    const fresh = new Set<string>();
    const subjects = new Map<string, Subject>();
    users.forEach((user, i) => {
      const address = userAddress(user.AuthenticationType, user.UserName);
      const found = live.users.users[user.UserName];
      const at = subject(address, `/users/${i}`, () => liveUserDigest(found));
      subjects.set(user.UserName, at);
      if (!wanted(address)) return;
      plan(at, () => {
        const planned = planUser(user, found, at);
        if (planned.change.action === 'create' || planned.replaced) fresh.add(user.UserName);
        return planned;
      });
    });
    const address = assignmentsAddress(USERPOOL);
    if (!wanted(address)) return;
    const at = subject(address, undefined, () => liveAssignmentsDigest(live));
    plan(at, () => {
      const planned = planAssignments({ ctx, config, live, subject: at, fresh, userSubjects: subjects, domainJoined: domainJoinedFleets(config, live) });
      return { ...planned, diagnostics: [...caseWarnings(config, live, subjects), ...planned.diagnostics] };
    });
  },

  declaredValues: (resource) => {
    const user = resource as unknown as UserConfig;
    return {
      FirstName: user.FirstName,
      LastName: user.LastName,
      Enabled: user.Enabled,
      MessageAction: user.MessageAction,
      SendEmailNotification: user.SendEmailNotification,
      Stacks: user.Stacks === undefined ? undefined : [...new Set(user.Stacks.map(stackName))].sort(),
    };
  },

  importDescribe: async (...args) => (await reads()).importUsers(...args),
  import(live, { note }) {
    const byUser = new Map<string, string[]>();
    for (const list of Object.values(live.users.stacks)) {
      for (const a of list) if (a.AuthenticationType === USERPOOL) byUser.set(a.UserName!, [...(byUser.get(a.UserName!) ?? []), a.StackName!]);
    }
    return sortedBy(Object.values(live.users.users), (u) => u.UserName!).map((user) => {
      const declared: Record<string, unknown> = { AuthenticationType: USERPOOL, UserName: user.UserName };
      if (user.FirstName) declared.FirstName = user.FirstName;
      if (user.LastName) declared.LastName = user.LastName;
      if (user.Enabled === false) declared.Enabled = false;
      // The user exists: declaring SUPPRESS keeps a later re-creation (a name change) from emailing again.
      declared.MessageAction = 'SUPPRESS';
      const stacks = [...new Set(byUser.get(user.UserName!) ?? [])].sort();
      if (stacks.length) declared.Stacks = stacks;
      note(userAddress(USERPOOL, user.UserName!), 'users carry no tags: streamform manages this user from now on but never deletes it');
      return declared;
    });
  },

  reads: ['DescribeUsers', 'DescribeUserStackAssociations', 'DescribeStacks'],
  operations: ['CreateUser', 'DeleteUser', 'EnableUser', 'DisableUser', 'DescribeUsers', 'BatchAssociateUserStack', 'BatchDisassociateUserStack'],
  retry: {
    doneOnResend: { CreateUser: 'ResourceAlreadyExistsException', DeleteUser: 'ResourceNotFoundException' },
  },
  // The batch calls answer 200 with the entries that failed: those fail, by name; the rest stands.
  entryErrors: {
    BatchAssociateUserStack: entryFailures,
    BatchDisassociateUserStack: entryFailures,
  },
};

function entryFailures(output: unknown): string[] {
  const errors = (output as BatchAssociateUserStackCommandOutput | undefined)?.errors ?? [];
  return errors.map(({ UserStackAssociation: a, ErrorCode, ErrorMessage }) => `${a?.UserName ?? '?'} on stack ${a?.StackName ?? '?'}: ${[ErrorCode, ErrorMessage].filter(Boolean).join(': ')}`);
}
