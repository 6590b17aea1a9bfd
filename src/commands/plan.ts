import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createClients, destroyClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { awsOptions, choiceFlag, fileOptions, parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { shellWord } from '../cli/shell.js';
import { isInteractive, useColor } from '../cli/terminal.js';
import { configPaths, loadConfig } from '../config/load.js';
import { describeLive, type DescribeOptions } from '../describe/index.js';
import { buildPlan, reportedBy } from '../plan/build.js';
import { hasChanges, hasErrors, type Plan } from '../core/plan.js';
import { renderPlanJson } from '../render/json.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { DEFAULT_WIDTH, renderPlanText } from '../render/text.js';

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
  --endpoint URL           one endpoint for every service (e.g. the emulator)
  --region REGION          AWS region (default: the config's region, then the SDK's)
  --profile PROFILE        AWS shared-config profile

Exit codes: 0 success, 1 error (config, AWS, or an error in the plan), 2 changes (--detailed-exitcode).
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('plan', argv, {
    ...fileOptions,
    ...awsOptions,
    format: { type: 'string' },
    out: { type: 'string' },
    'comment-file': { type: 'string' },
    'detailed-exitcode': { type: 'boolean' },
    prune: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = choiceFlag('plan', 'format', values.format, FORMATS);

  const interactive = isInteractive(format);
  const plan = await computePlan(configPaths('plan', values.file), values, interactive);

  if (interactive) {
    const { showPlan } = await import('../ui/index.js');
    await showPlan(plan);
  } else {
    process.stdout.write(render(plan, format ?? 'text'));
  }
  if (values.out !== undefined) {
    writeAtomically(values.out, renderPlanJson(plan), 'plan file');
    // What to do with it, for people; a program asking for JSON knows where it saved the plan.
    if (format !== 'json') process.stderr.write(savedPlanNote(values.out, plan));
  }
  if (values['comment-file'] !== undefined) writeAtomically(values['comment-file'], renderPlanMarkdown(plan), 'comment file');

  if (hasErrors(plan)) return 1;
  return values['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
}

/** load → describe (with a spinner on a terminal) → plan. */
async function computePlan(paths: string[], flags: { prune?: boolean; endpoint?: string; region?: string; profile?: string }, interactive: boolean): Promise<Plan> {
  const loaded = await loadConfig(paths);
  const prune = Boolean(flags.prune || loaded.config.prune);
  const clients = createClients({ endpoint: flags.endpoint, region: flags.region ?? loaded.config.region, profile: flags.profile });
  try {
    const read = (onProgress?: DescribeOptions['onProgress']) =>
      describeLive(loaded.config, clients, { reported: reportedBy(loaded.config, prune), prune, onNotice: (message) => process.stderr.write(`streamform: ${message}\n`), onProgress });
    const live = interactive ? await (await import('../ui/index.js')).withReadingSpinner(read) : await read();
    return buildPlan({ loaded, live, prune, region: clients.region, endpoint: clients.endpoint });
  } catch (error) {
    // What AWS answered (throttling past the retries, access denied, no credentials) is one line.
    if (isAwsError(error)) throw new UserError(`plan: cannot read the live state: ${awsErrorMessage(error)}`);
    throw error;
  } finally {
    destroyClients(clients);
  }
}

function render(plan: Plan, format: Format): string {
  switch (format) {
    case 'json':
      return renderPlanJson(plan);
    case 'markdown':
      return renderPlanMarkdown(plan);
    case 'text':
      return renderPlanText(plan, { color: useColor(), width: process.stdout.columns || DEFAULT_WIDTH });
  }
}

function savedPlanNote(path: string, plan: Plan): string {
  const apply = `\`streamform apply ${shellWord(path)}\``;
  if (hasErrors(plan)) return `Saved the plan to ${path}; it has errors, so ${apply} would refuse it\n`;
  if (!hasChanges(plan)) return `Saved the plan to ${path}; it has no changes to apply\n`;
  return `Saved the plan to ${path}; run ${apply}\n`;
}

function isAwsError(error: unknown): boolean {
  const err = error as { $metadata?: unknown; name?: string } | null;
  return typeof err === 'object' && err !== null && (err.$metadata !== undefined || err.name === 'CredentialsProviderError');
}

/** Write to a temporary file beside `path`, then rename: a reader never sees half a file. */
function writeAtomically(path: string, text: string, what: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserError(`plan: cannot write the ${what} ${path}: ${why}`);
  }
}
