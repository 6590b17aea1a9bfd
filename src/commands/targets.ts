/**
 * What plan, apply and drift share for a config with targets: each target's config and where to
 * reach it, planning them all at once (bounded), and a target that cannot be read becoming an
 * error of that target alone.
 */
import { createClients, destroyClients, type AwsTarget } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { UserError } from '../core/errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../core/plan.js';
import { configDigest } from '../config/digest.js';
import { loadTargets } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { describeLive, planConfirmingTags, type DescribeOptions } from '../describe/index.js';
import { buildPlan } from '../plan/build.js';

/** Targets read, planned or applied at the same time. */
export const TARGET_CONCURRENCY = 8;

/** One target of a command: its name (none for a config without targets), its config, where it goes. */
export interface TargetRun {
  name?: string;
  loaded: LoadedConfig;
  aws: AwsTarget;
}

export interface TargetFlags {
  target?: string[];
  endpoint?: string;
  region?: string;
  profile?: string;
}

/** The targets a command works on: --target's, else STREAMFORM_TARGET's (comma-separated), else all. */
export async function targetRuns(command: string, paths: string[], flags: TargetFlags): Promise<TargetRun[]> {
  const fromEnvironment = process.env.STREAMFORM_TARGET?.split(',').map((name) => name.trim()).filter(Boolean);
  const targets = await loadTargets(paths, flags.target ?? fromEnvironment);
  if (targets[0].target && flags.region !== undefined) {
    throw new UserError(`${command}: --region does not go with a config of targets: each target names its region (choose targets with --target)`);
  }
  return targets.map(({ target, loaded }) => {
    if (!target) return { loaded, aws: { endpoint: flags.endpoint, region: flags.region ?? loaded.config.region, profile: flags.profile } };
    const aws: AwsTarget = { region: target.region, endpoint: flags.endpoint ?? target.endpoint, profile: flags.profile ?? target.profile, roleArn: target.roleArn, externalId: target.externalId };
    return { name: target.name, loaded, aws };
  });
}

/** `work` for every run, at most `limit` at once; the results in the runs' order. */
export async function eachTarget<R, T>(runs: readonly R[], work: (run: R, index: number) => Promise<T>, limit = TARGET_CONCURRENCY): Promise<T[]> {
  const results: T[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const index = next++;
      results[index] = await work(runs[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, runs.length) }, worker));
  return results;
}

export interface PlanOptions {
  command: string;
  prune: boolean;
  /** A spinner on the terminal says what is being read (for one target: several would write over each other). */
  spinner?: boolean;
  /** A base config (`plan --base`): read too, so that its declarations tell drift under this config's edits. */
  base?: LoadedConfig;
}

/**
 * describe → plan for one target. For a config without targets, what AWS answered ends the
 * command, as it always did; a named target's failure is that target's error, and the others go on.
 */
export async function planTarget(run: TargetRun, { command, prune, spinner, base }: PlanOptions): Promise<Plan> {
  const clients = createClients(run.aws);
  const label = run.name ? `target ${run.name}: ` : '';
  try {
    const onNotice = (message: string) => process.stderr.write(`streamform: ${label}${message}\n`);
    const read = (onProgress?: DescribeOptions['onProgress']) => describeLive(run.loaded.config, clients, { prune, onNotice, onProgress });
    // The base config's read runs beside this one's.
    const baseRead = base && describeLive(base.config, clients, { prune: false, onNotice });
    // This read may fail first and end the plan before the base's is waited for: not an unhandled rejection.
    baseRead?.catch(() => undefined);
    const live = spinner ? await (await import('../ui/index.js')).withReadingSpinner(read) : await read();
    const { region, endpoint } = clients;
    const based = base && { config: base.config, live: await baseRead! };
    // The base's reads are confirmed as its own plan would report them, as this config's are.
    if (based) await planConfirmingTags(based.config, clients, based.live, false, (baseLive) => buildPlan({ loaded: base, live: baseLive, prune: false, region, endpoint }));
    const plan = await planConfirmingTags(run.loaded.config, clients, live, prune, () => buildPlan({ loaded: run.loaded, live, ...(based ? { base: based } : {}), prune, region, endpoint }));
    return run.name ? { ...plan, target: { name: run.name, ...plan.target } } : plan;
  } catch (error) {
    const reason = readFailure(error);
    if (reason === undefined) throw error;
    if (!run.name) throw error instanceof UserError ? error : new UserError(`${command}: cannot read the live state: ${reason}`);
    return unreadPlan(run, reason);
  } finally {
    destroyClients(clients);
  }
}

/** What AWS (or STS, or the credential chain) answered, in one line; undefined for anything else. */
function readFailure(error: unknown): string | undefined {
  if (error instanceof UserError) return error.message;
  const err = error as { $metadata?: unknown; name?: string; message?: string } | null;
  if (typeof err !== 'object' || err === null) return undefined;
  return err.$metadata !== undefined || err.name === 'CredentialsProviderError' ? awsErrorMessage(error) : undefined;
}

/** The plan of a target that could not be read: no changes, and the error that says why. */
function unreadPlan(run: TargetRun, reason: string): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: run.loaded.config.project,
    configDigest: configDigest(run.loaded.config),
    configFiles: run.loaded.files,
    target: { name: run.name, region: run.aws.region!, ...(run.aws.endpoint ? { endpoint: run.aws.endpoint } : {}) },
    createdAt: new Date().toISOString(),
    changes: [],
    calls: [],
    diagnostics: [{ severity: 'error', message: `target ${run.name} could not be read, so nothing is planned for it: ${reason}` }],
    summary: { create: 0, update: 0, replace: 0, delete: 0 },
  };
}
