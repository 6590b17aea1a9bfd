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

/** Names of read-only calls in these services; everything else changes something. */
export const isReadOnly = (action: string) => /^[a-z]+:(Describe|List|Get)[A-Z]/.test(action);

export interface Policy {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

/**
 * The policy for `command` with this config (undefined: every kind, every secret store). The reads
 * are the kinds' declared reads where describe reads the kind; apply adds the operations of the kinds
 * it may change: those the config declares, or every kind when it prunes.
 */
export function iamPolicy(command: PolicyCommand, config: Config | undefined, prune: boolean): Policy {
  const read = config ? KINDS.filter((kind) => isRead(kind, config, prune)) : KINDS;
  const reads = new Set(ACCOUNT_READS);
  for (const kind of read) {
    if (kind.describe.tags) TAG_READS.forEach((action) => reads.add(action));
    for (const entry of kind.reads) {
      const { service = kind.service, operation, usedBy } = typeof entry === 'string' ? { operation: entry } : entry;
      if (!config || !usedBy || usedBy(config)) reads.add(action(service, operation));
    }
  }
  const statements: Policy['Statement'] = [statement('PlanReads', reads)];
  if (command === 'apply') {
    const changed = config ? read.filter((kind) => prune || declared(kind, config)) : KINDS;
    const calls = new Set(changed.flatMap((kind) => kind.operations.map((operation) => action(kind.service, operation))).filter((call) => !reads.has(call)));
    if (calls.size) statements.push(statement('ApplyCalls', calls));
  }
  return { Version: '2012-10-17', Statement: statements };
}

const action = (service: Service, operation: string) => `${IAM_PREFIX[service]}:${operation}`;

const statement = (Sid: string, actions: Set<string>) => ({ Sid, Effect: 'Allow' as const, Action: [...actions].sort(), Resource: '*' as const });

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
