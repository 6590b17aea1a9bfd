import { choiceFlag, fileOptions, parseFlags } from '../cli/args.js';
import type { Service } from '../aws/target.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { isRead } from '../describe/index.js';
import { KINDS, type KindDefinition } from '../kinds/index.js';

const HELP = `Usage: streamform iam-policy [--for plan|apply] [-f FILE|DIR]... [--prune]

Prints the IAM policy (JSON) that 'streamform plan' or 'streamform apply' needs: the
calls it reads with for the kinds the config uses (every kind without -f), and for
apply the calls it may send. The plan policy allows no write.

Options:
  --for COMMAND         plan (default) or apply
  -f, --file FILE|DIR   config file or folder (repeatable; default $STREAMFORM_CONFIG,
                        else every kind streamform manages)
  --prune               for a command run with --prune (as 'prune: true')

Exit codes: 0 printed, 1 error.`;

const COMMANDS = ['plan', 'apply'] as const;
export type PolicyCommand = (typeof COMMANDS)[number];

/** The services' prefixes in IAM action names (the tagging API's is not its SDK name). */
const IAM_PREFIX: Record<Service, string> = { appstream: 'appstream', nimble: 'nimble', tagging: 'tag', sts: 'sts', secretsmanager: 'secretsmanager', ssm: 'ssm' };

/** What describe reads for every plan, whichever kinds it reads: the account the plan is bound to. */
const ACCOUNT_READS = ['sts:GetCallerIdentity'];
/** The shared tag reader's calls, for kinds whose tags it reads: in bulk, or one resource at a time. */
const TAG_READS = ['tag:GetResources', 'appstream:ListTagsForResource'];

/**
 * The ARNs of what a call names, where the service's ARN follows from a name (a name that is an ARN is
 * taken as it is). Region and account are left open: `--region` may differ from the config's.
 */
const RESOURCE_ARNS: Partial<Record<Service, (name: string) => string[]>> = {
  // A secret's ARN ends in a hyphen and six random characters, which a partial ARN leaves out too.
  secretsmanager: (name) => (name.startsWith('arn:') ? [name, `${name}-??????`] : [`arn:aws:secretsmanager:*:*:secret:${name}-??????`]),
  // A name may carry a version or label selector ("name:3"); the parameter's ARN has a single slash.
  ssm: (name) => [name.startsWith('arn:') ? name : `arn:aws:ssm:*:*:parameter/${name.replace(/:[^/]*$/, '').replace(/^\//, '')}`],
};

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: '*' | string[];
}

export interface Policy {
  Version: '2012-10-17';
  Statement: Statement[];
}

/**
 * The policy for `command` with this config (undefined: every kind, every secret store). The reads
 * are the kinds' declared reads where describe reads the kind, those of named resources (secrets)
 * allowed on them alone; apply adds the operations of the kinds it may change: those the config
 * declares, or every kind read when it prunes.
 */
export function iamPolicy(command: PolicyCommand, config: Config | undefined, prune: boolean): Policy {
  const read = config ? KINDS.filter((kind) => isRead(kind, config, prune)) : KINDS;
  const reads = new Set(ACCOUNT_READS);
  /** Per service, the reads allowed on named resources only, and those resources. */
  const named = new Map<Service, { actions: Set<string>; resources: Set<string> }>();
  for (const kind of read) {
    if (kind.describe.tags) TAG_READS.forEach((action) => reads.add(action));
    for (const entry of kind.reads) {
      const { service = kind.service, operation, resources } = typeof entry === 'string' ? { operation: entry } : entry;
      const names = config && resources ? resources(config) : undefined;
      // The config makes no such call.
      if (names?.length === 0) continue;
      const arns = RESOURCE_ARNS[service];
      if (!names || !arns) {
        reads.add(action(service, operation));
        continue;
      }
      const scoped = named.get(service) ?? { actions: new Set<string>(), resources: new Set<string>() };
      named.set(service, scoped);
      scoped.actions.add(action(service, operation));
      names.flatMap(arns).forEach((arn) => scoped.resources.add(arn));
    }
  }
  const statements = [statement('PlanReads', reads, '*')];
  for (const [service, { actions, resources }] of [...named].sort(([a], [b]) => (a < b ? -1 : 1))) {
    statements.push(statement(`PlanReads${service[0].toUpperCase()}${service.slice(1)}`, actions, [...resources].sort()));
  }
  if (command === 'apply') {
    const changed = config ? read.filter((kind) => prune || declared(kind, config)) : KINDS;
    const calls = new Set(changed.flatMap((kind) => kind.operations.map((operation) => action(kind.service, operation))).filter((call) => !reads.has(call)));
    if (calls.size) statements.push(statement('ApplyCalls', calls, '*'));
  }
  return { Version: '2012-10-17', Statement: statements };
}

const action = (service: Service, operation: string) => `${IAM_PREFIX[service]}:${operation}`;

const statement = (Sid: string, actions: Set<string>, Resource: Statement['Resource']): Statement => ({ Sid, Effect: 'Allow', Action: [...actions].sort(), Resource });

const declared = (kind: KindDefinition, config: Config) => ((config as unknown as Record<string, unknown[] | undefined>)[kind.list]?.length ?? 0) > 0;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('iam-policy', argv, { ...fileOptions, for: { type: 'string' }, prune: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const command = choiceFlag('iam-policy', 'for', values.for, COMMANDS) ?? 'plan';
  const config = values.file ? (await loadConfig(values.file)).config : undefined;
  const prune = Boolean(values.prune || config?.prune);
  process.stdout.write(JSON.stringify(iamPolicy(command, config, prune), null, 2) + '\n');
  return 0;
}
