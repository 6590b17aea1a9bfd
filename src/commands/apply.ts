import { applyPlan, createApplyClients, DEFAULT_CONCURRENCY, exitCodeFor } from '../apply/applier.js';
import type { ApplyEvent, ApplySummary } from '../apply/events.js';
import { jsonReporter, textReporter, type ReportOutput } from '../apply/report.js';
import { awsOptions, choiceFlag, fileOptions, numberFlag, parseFlags, targetOptions } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { isInteractive, useColor } from '../cli/terminal.js';
import { destroyClients, type AwsTarget } from '../aws/clients.js';
import { megabytes, readBounded } from '../config/files.js';
import { configPaths } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { configDigest } from '../config/digest.js';
import { canonicalJson } from '../core/digest.js';
import { combinedPlan, hasChanges, hasErrors, type Plan, type PlannedCall } from '../core/plan.js';
import { mergeTargetEvents } from '../apply/targets.js';
import { parsePlansFile } from '../render/json.js';
import { renderPlansText } from '../render/targets.js';
import { eachTarget, planTarget, TARGET_CONCURRENCY, targetRuns, type TargetRun } from './targets.js';

const HELP = `Usage: streamform apply [-f FILE|DIR]... [options]
       streamform apply PLANFILE [options]

Makes AWS match the config: computes the plan, shows it, asks for approval, then
makes its API calls. With PLANFILE (written by 'streamform plan --out'), applies
exactly that plan, after checking that neither the config nor any resource it
touches has changed since it was computed.

Options:
  -f, --file FILE|DIR    config file or folder, repeatable (default: streamform.yaml)
  -y, --yes              apply without asking (needed when there is no terminal)
      --prune            also delete what this project owns but no longer declares
      --allow-interruption
                         allow what interrupts users (stopping a running fleet,
                         replacing a builder); without it such a plan is refused
      --concurrency N    resources applied at the same time (default ${DEFAULT_CONCURRENCY})
      --format text|json plain lines, or one JSON object per event
      --target NAME      apply only this target of the config or the saved plan
                         (repeatable; default all, or $STREAMFORM_TARGET)
      --endpoint URL     one endpoint for every service (e.g. the emulator)
      --region REGION    AWS region (default: the config's, then the SDK's); not with targets
      --profile NAME     AWS profile

Exit codes: 0 when everything was applied (or nothing had to be); 1 when
anything failed or was skipped, or the plan was refused. Ctrl-C stops starting
new calls and lets those in flight finish; a second Ctrl-C exits at once (130).`;

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** Far above any real plan; a larger file is refused before it is read into memory. */
const MAX_PLAN_BYTES = 50 * 1024 * 1024;

interface Settings {
  yes: boolean;
  allowInterruption: boolean;
  prune: boolean;
  concurrency?: number;
  format?: Format;
  target: AwsTarget;
  /** --target: the targets of the config (or of the saved plan) to apply. */
  targets?: string[];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'apply',
    argv,
    {
      ...fileOptions,
      ...awsOptions,
      ...targetOptions,
      yes: { type: 'boolean', short: 'y' },
      prune: { type: 'boolean' },
      'allow-interruption': { type: 'boolean' },
      concurrency: { type: 'string' },
      format: { type: 'string' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (positionals.length > 1) throw new UserError(`apply: one plan file at most, got ${positionals.length} (${positionals.join(', ')})`);
  const settings: Settings = {
    yes: values.yes ?? false,
    allowInterruption: values['allow-interruption'] ?? false,
    prune: values.prune ?? false,
    concurrency: numberFlag('apply', 'concurrency', values.concurrency, 1, 64),
    format: choiceFlag('apply', 'format', values.format, FORMATS),
    target: { endpoint: values.endpoint, region: values.region, profile: values.profile },
    targets: values.target,
  };
  const [planFile] = positionals;
  if (planFile === undefined) return applyConfig(configPaths('apply', values.file), settings);
  if (values.file) throw new UserError('apply: give either -f FILE|DIR or a saved PLANFILE, not both');
  if (settings.prune) throw new UserError('apply: --prune does not apply to a saved plan; it was decided when the plan was made');
  return applySavedPlan(planFile, settings);
}

/** What apply runs: each target's plan, with where it goes. */
interface Planned {
  plan: Plan;
  aws: AwsTarget;
}

/** load → describe → plan → show → approve → apply. */
async function applyConfig(paths: string[], settings: Settings): Promise<number> {
  const runs = await targetRuns('apply', paths, { ...settings.target, target: settings.targets });
  const spinner = isInteractive(settings.format) && runs.length === 1;
  const planned = await eachTarget(runs, async (run) => {
    const plan = await planTarget(run, { command: 'apply', prune: settings.prune || run.loaded.config.prune === true, spinner });
    return { plan, aws: { ...run.aws, region: plan.target.region } };
  });
  const plan = shownPlan(planned);

  const canAsk = !settings.yes && isInteractive(settings.format) && Boolean(process.stdin.isTTY);
  if (canAsk && hasChanges(plan) && !hasErrors(plan)) {
    const { confirmPlan } = await import('../ui/index.js');
    if (!(await confirmPlan(plan))) {
      note('Apply cancelled; nothing was changed.');
      return 1;
    }
    return execute(planned, settings);
  }
  show(planned, settings);
  const refusal = refusalOf(planned, settings);
  if (refusal !== undefined) return refusal;
  if (!settings.yes) {
    throw new UserError('apply: no terminal to ask for approval on; review the plan and run again with --yes to apply it');
  }
  return execute(planned, settings);
}

/** One plan for all targets: what is shown, approved, and refused as a whole. */
function shownPlan(planned: readonly Planned[]): Plan {
  return planned.length === 1 ? planned[0].plan : combinedPlan(planned.map((p) => p.plan));
}

/**
 * Applies a saved plan as it was reviewed, or refuses when the world moved since. The plan is
 * computed again from the config and what AWS has now, and its calls run only when they are exactly
 * the saved ones: a file edited after review (an added delete, a changed input, a removed error)
 * cannot run, and what is shown before applying is what runs. A plan of several targets is checked
 * target by target, each against its own account, region and endpoint.
 */
async function applySavedPlan(path: string, settings: Settings): Promise<number> {
  const all = parsePlansFile(await readPlanFile(path), path);
  const chosen = settings.targets ? all.filter((plan) => settings.targets!.includes(plan.target.name ?? '')) : all;
  const missing = settings.targets?.find((name) => !all.some((plan) => plan.target.name === name));
  if (missing !== undefined) throw new UserError(`apply: ${path} has no target ${missing}; it has ${all.map((plan) => plan.target.name ?? '(none)').join(', ')}`);
  const [first] = chosen;
  if (settings.target.region && first.target.name !== undefined) throw new UserError('apply: --region does not go with a plan of targets: each target names its region');
  const runs = await targetRuns('apply', first.configFiles, { ...settings.target, region: undefined, target: first.target.name === undefined ? undefined : chosen.map((plan) => plan.target.name!) });
  const planned = await eachTarget(chosen, (saved, index) => recheck(path, saved, runs[index], settings, isInteractive(settings.format) && chosen.length === 1));
  show(planned, settings);
  return refusalOf(planned, settings) ?? execute(planned, settings);
}

/** The saved plan of one target, computed again now; refused when it is not the same. */
async function recheck(path: string, saved: Plan, run: TargetRun, settings: Settings, spinner: boolean): Promise<Planned> {
  const label = saved.target.name === undefined ? path : `${path} (target ${saved.target.name})`;
  if (settings.target.region && settings.target.region !== saved.target.region) {
    throw new UserError(`apply: ${label} was planned for region ${saved.target.region}, not ${settings.target.region}`);
  }
  checkSameConfig(label, saved, run.loaded);
  const aws = { ...run.aws, region: saved.target.region, endpoint: settings.target.endpoint ?? saved.target.endpoint };
  checkSameEndpoint(label, saved, aws.endpoint);
  const prune = saved.changes.some((change) => change.action === 'delete');
  const plan = await planTarget({ ...run, aws }, { command: 'apply', prune, spinner });
  checkSameAccount(label, saved, plan);
  // A resource the reviewed plan touches that AWS changed since: the reviewer did not see its current state.
  const computed = new Map(plan.changes.map((change) => [change.address, change.liveDigest]));
  const touched = saved.changes.filter((change) => saved.calls.some((call) => call.address === change.address) && computed.has(change.address));
  const stale = touched.filter((change) => computed.get(change.address) !== change.liveDigest).map((change) => change.address);
  if (stale.length) throw new UserError(`apply: ${label} is stale: ${stale.join(', ')} changed since it was planned; run plan again`);
  // Anything else that differs is a file edited after review.
  const difference = firstDifference(saved.calls, plan.calls);
  if (difference) throw new UserError(`apply: ${label} is not the plan the config and AWS give now: ${difference}; nothing was applied; run plan again`);
  return { plan, aws };
}

function checkSameEndpoint(path: string, saved: Plan, endpoint: string | undefined): void {
  if ((saved.target.endpoint ?? '') !== (endpoint ?? '')) {
    const where = (url: string | undefined) => (url ? `endpoint ${url}` : "AWS's own endpoints");
    throw new UserError(`apply: ${path} was planned against ${where(saved.target.endpoint)}, not ${where(endpoint)}`);
  }
}

function checkSameAccount(path: string, saved: Plan, now: Plan): void {
  const { account, region } = saved.target;
  if (account === undefined) throw new UserError(`apply: ${path} does not say which account it was planned for; run plan again`);
  if (now.target.account !== account) {
    const reach = now.target.account ? `these credentials reach ${now.target.account}` : 'the account these credentials reach cannot be told';
    throw new UserError(`apply: ${path} was planned for account ${account} in ${region}; ${reach}`);
  }
}

/** Where two call lists first part: a call missing, added, or sent differently. */
function firstDifference(saved: PlannedCall[], now: PlannedCall[]): string | undefined {
  const text = (call: PlannedCall) => `call ${call.id} (${call.operation} ${call.address})`;
  for (let i = 0; i < Math.max(saved.length, now.length); i++) {
    const [was, is] = [saved[i], now[i]];
    if (!was) return `${text(is)} is missing from the file`;
    if (!is) return `${text(was)} is not in the plan computed now`;
    if (was.address !== is.address || was.service !== is.service || was.operation !== is.operation) return `${text(was)} is ${is.operation} ${is.address} now`;
    if (canonicalJson(was.input) !== canonicalJson(is.input)) return `${text(was)} has another input than the plan computed now`;
    if (was.wait !== is.wait || was.phase !== is.phase) return `${text(was)} waits or runs in another order than the plan computed now`;
  }
  return undefined;
}

function checkSameConfig(path: string, plan: Plan, loaded: LoadedConfig): void {
  const files = plan.configFiles.join(', ');
  if (loaded.config.project !== plan.project) {
    throw new UserError(`apply: ${path} is a plan for project '${plan.project}', but ${files} declare project '${loaded.config.project}'`);
  }
  if (configDigest(loaded.config) !== plan.configDigest) {
    throw new UserError(`apply: the config (${files}) changed since ${path} was planned; run plan again`);
  }
}

async function readPlanFile(path: string): Promise<string> {
  // The likely slip: a config given where a saved plan goes.
  if (/\.ya?ml$/i.test(path)) throw new UserError(`apply: ${path} is a config, not a saved plan; apply a config with 'streamform apply -f ${path}'`);
  try {
    const bytes = await readBounded(path, MAX_PLAN_BYTES);
    if (typeof bytes === 'number') throw new UserError(`apply: plan file ${path} is ${megabytes(bytes)}; the limit is ${megabytes(MAX_PLAN_BYTES)}`);
    return Buffer.from(bytes).toString('utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`apply: cannot read plan file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder (use -f for a config folder)' : (error as Error).message}`);
  }
}

function show(planned: readonly Planned[], settings: Settings): void {
  if (settings.format !== 'json') process.stdout.write(renderPlansText(planned.map((p) => p.plan), { color: useColor() }));
}

/**
 * Where only some targets have errors: which, and how to apply the others. A plan is applied whole
 * or not at all, as it was reviewed, so the others go only when asked for by name.
 */
function othersAlone(planned: readonly Planned[]): string {
  const names = (list: readonly Planned[]) => list.map(({ plan }) => plan.target.name!);
  const failing = planned.filter(({ plan }) => hasErrors(plan));
  const others = planned.filter(({ plan }) => !hasErrors(plan));
  if (!others.length || planned[0].plan.target.name === undefined) return '';
  return ` (target${failing.length === 1 ? '' : 's'} ${names(failing).join(', ')}); apply the others alone with ${names(others).map((name) => `--target ${name}`).join(' ')}`;
}

/** The exit status when the plan must not (or need not) be applied; undefined when it can go ahead. */
function refusalOf(planned: readonly Planned[], settings: Settings): number | undefined {
  const plan = shownPlan(planned);
  if (hasErrors(plan)) {
    const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
    throw new UserError(`apply: the plan has ${errors === 1 ? 'an error' : `${errors} errors`}${othersAlone(planned)}; nothing was applied`);
  }
  if (!hasChanges(plan)) {
    // The text plan already ends with "No changes."; JSON output stays free of prose.
    if (settings.format === 'json') note('No changes.');
    return 0;
  }
  const interrupting = plan.changes.filter((change) => change.interruption);
  if (interrupting.length && !settings.allowInterruption) {
    const [first] = interrupting;
    const more = interrupting.length > 1 ? ` and ${interrupting.length - 1} more` : '';
    throw new UserError(`apply: the plan interrupts users (${first.address}: ${first.interruption}${more}); nothing was applied; run again with --allow-interruption to do it`);
  }
  return undefined;
}

/**
 * Runs the plans, shows their events as one run, and derives the exit status from the summary.
 * Targets apply side by side (a failure in one does not stop the others); Ctrl-C stops them all.
 */
async function execute(planned: readonly Planned[], settings: Settings): Promise<number> {
  const clients = planned.map(({ aws }) => createApplyClients(aws));
  const stop = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) {
      note('streamform: interrupted again; exiting without waiting for the calls in flight. Run plan to see where things stand.');
      process.exit(130);
    }
    stop.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const options = { concurrency: settings.concurrency, signal: stop.signal };
    const events =
      planned.length === 1
        ? applyPlan(planned[0].plan, clients[0], options)
        : mergeTargetEvents(
            planned.map(({ plan }, i) => ({ plan, events: () => applyPlan(plan, clients[i], options) })),
            TARGET_CONCURRENCY,
          );
    const summary = isInteractive(settings.format)
      ? await (await import('../ui/index.js')).renderApplyEvents(events, { onInterrupt })
      : await report(events, settings.format ?? 'text');
    return exitCodeFor(summary);
  } finally {
    process.off('SIGINT', onInterrupt);
    for (const made of clients) destroyClients(made);
  }
}

async function report(events: AsyncIterable<ApplyEvent>, format: Format): Promise<ApplySummary> {
  // All of apply's progress, waits included, is on stdout, in the order it happened; stderr has only errors and notices.
  const line = (text: string) => void process.stdout.write(text + '\n');
  const out: ReportOutput = { line, progress: line };
  // Text follows the plan shown above it: a blank line keeps the two apart.
  if (format === 'text') out.line('');
  const show = format === 'json' ? jsonReporter(out) : textReporter(out, { color: useColor() });
  let summary: ApplySummary | undefined;
  for await (const event of events) {
    show(event);
    if (event.type === 'summary') summary = event.summary;
  }
  return summary!;
}

function note(text: string): void {
  process.stderr.write(text + '\n');
}
