import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { awsOptions, choiceFlag, fileOptions, parseFlags, targetOptions } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { shellWord } from '../cli/shell.js';
import { isInteractive, useColor } from '../cli/terminal.js';
import { configPaths } from '../config/load.js';
import { combinedPlan, hasChanges, hasErrors, type Plan } from '../core/plan.js';
import { renderPlansJson } from '../render/json.js';
import { renderPlansMarkdown, renderPlansText } from '../render/targets.js';
import { DEFAULT_WIDTH } from '../render/text.js';
import type { LoadedConfig } from '../config/types.js';
import { eachTarget, planTarget, targetRuns, type TargetFlags, type TargetRun } from './targets.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `Usage: streamform plan [-f FILE|DIR]... [options]

Compares the config with what AWS has and shows the API calls that would make AWS match.
Nothing is changed. The plan goes to stdout, progress and notices to stderr.

Options:
  -f, --file FILE|DIR      config file or folder (repeatable; default streamform.yaml)
  --format FORMAT          text, json or markdown (default: the interactive view on a terminal, else text)
  --out PLANFILE           also save the plan as JSON, for 'streamform apply PLANFILE'
  --comment-file FILE      also write the plan as a Markdown pull-request comment
  --detailed-exitcode      exit 2 when there are changes, 0 when there are none
  --prune                  delete owned resources that are no longer declared (as 'prune: true')
  --base FILE|DIR          the config last applied (e.g. the base branch's checkout): marks what AWS
                           changed since it was applied, also on resources this config edits
                           (default $STREAMFORM_BASE; reads the account once more for it)
  --target NAME            plan only this target of the config (repeatable; default all, or
                           $STREAMFORM_TARGET, comma-separated)
  --endpoint URL           one endpoint for every service (e.g. the emulator), for every target
  --region REGION          AWS region (default: the config's region, then the SDK's); not with targets
  --profile PROFILE        AWS shared-config profile, for every target

Exit codes: 0 success, 1 error (config, AWS, or an error in the plan), 2 changes (--detailed-exitcode).
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('plan', argv, {
    ...fileOptions,
    ...awsOptions,
    ...targetOptions,
    format: { type: 'string' },
    out: { type: 'string' },
    'comment-file': { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    prune: { type: 'boolean' },
    base: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = choiceFlag('plan', 'format', values.format, FORMATS);

  const interactive = isInteractive(format);
  const runs = await targetRuns('plan', configPaths('plan', values.file), values);
  const spinner = interactive && runs.length === 1;
  const basePath = values.base ?? (process.env.STREAMFORM_BASE || undefined);
  const bases = basePath === undefined ? undefined : await baseConfigs(basePath, runs, values);
  const plans = await eachTarget(runs, (run, i) =>
    planTarget(run, { command: 'plan', prune: Boolean(values.prune || run.loaded.config.prune), spinner, ...(bases?.[i] ? { base: bases[i] } : {}) }),
  );
  const all = combinedPlan(plans);

  if (interactive) {
    const { showPlan } = await import('../ui/index.js');
    await showPlan(plans.length === 1 ? plans[0] : all);
  } else {
    process.stdout.write(render(plans, format ?? 'text'));
  }
  if (values.out !== undefined) {
    writeAtomically(values.out, renderPlansJson(plans), 'plan file');
    // What to do with it, for people; a program asking for JSON knows where it saved the plan.
    if (format !== 'json') process.stderr.write(savedPlanNote(values.out, all));
  }
  if (values['comment-file'] !== undefined) writeAtomically(values['comment-file'], renderPlansMarkdown(plans), 'comment file');

  if (hasErrors(all)) return 1;
  return values['detailed-exitcode'] && hasChanges(all) ? 2 : 0;
}

/** The base config of each run (none for a target the base does not have): of the same project, or refused. */
async function baseConfigs(path: string, runs: readonly TargetRun[], flags: TargetFlags): Promise<(LoadedConfig | undefined)[]> {
  const bases = await targetRuns('plan', [path], { ...flags, target: undefined });
  const project = runs[0].loaded.config.project;
  const other = bases.find((base) => base.loaded.config.project !== project);
  if (other) throw new UserError(`plan: --base ${path} is a config of project "${other.loaded.config.project}", not "${project}"`);
  return runs.map((run) => bases.find((base) => base.name === run.name)?.loaded);
}

function render(plans: Plan[], format: Format): string {
  switch (format) {
    case 'json':
      return renderPlansJson(plans);
    case 'markdown':
      return renderPlansMarkdown(plans);
    case 'text':
      return renderPlansText(plans, { color: useColor(), width: process.stdout.columns || DEFAULT_WIDTH });
  }
}

function savedPlanNote(path: string, plan: Plan): string {
  const apply = `\`streamform apply ${shellWord(path)}\``;
  if (hasErrors(plan)) return `Saved the plan to ${path}; it has errors, so ${apply} would refuse it\n`;
  if (!hasChanges(plan)) return `Saved the plan to ${path}; it has no changes to apply\n`;
  return `Saved the plan to ${path}; run ${apply}\n`;
}

/** Write to a temporary file beside `path`, then rename: a reader never sees half a file. */
export function writeAtomically(path: string, text: string, what: string, command = 'plan'): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserError(`${command}: cannot write the ${what} ${path}: ${why}`);
  }
}
