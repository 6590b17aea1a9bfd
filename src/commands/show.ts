import { readFile } from 'node:fs/promises';
import { choiceFlag, parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { useColor } from '../cli/terminal.js';
import { parsePlansFile, renderPlansJson } from '../render/json.js';
import { renderPlansMarkdown, renderPlansText } from '../render/targets.js';
import { DEFAULT_WIDTH } from '../render/text.js';

const HELP = `Usage: streamform show PLANFILE [--format text|json|markdown]

Prints a plan saved with 'streamform plan --out' again, exactly as plan printed it,
without reading the config or calling AWS: to review what 'streamform apply PLANFILE'
would do, or to turn a CI artifact into a comment.

Options:
  --format FORMAT   text (default), json (the plan file's format) or markdown (the
                    pull-request comment)

Exit codes: 0 shown, 1 the file is missing or is not a streamform plan.`;

export const FORMATS = ['text', 'json', 'markdown'] as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('show', argv, { format: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = choiceFlag('show', 'format', values.format, FORMATS) ?? 'text';
  if (positionals.length !== 1) {
    throw new UserError(`show: expected one plan file, got ${positionals.length}${positionals.length ? ` (${positionals.join(', ')})` : ''} (see 'streamform show --help')`);
  }
  const [path] = positionals;
  const plans = parsePlansFile(await readPlanText('show', path), path);
  process.stdout.write(renderPlans(plans, format));
  return 0;
}

/** The plans as `plan` prints them in `format`. */
export function renderPlans(plans: Plan[], format: (typeof FORMATS)[number]): string {
  const renderers = {
    text: () => renderPlansText(plans, { color: useColor(), width: process.stdout.columns || DEFAULT_WIDTH }),
    json: () => renderPlansJson(plans),
    markdown: () => renderPlansMarkdown(plans),
  };
  return renderers[format]();
}

export async function readPlanText(command: string, path: string): Promise<string> {
  if (/\.ya?ml$/i.test(path)) throw new UserError(`${command}: ${path} is a config, not a saved plan; plan it with 'streamform plan -f ${path}'`);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UserError(`${command}: cannot read plan file ${path}: ${why}`);
  }
}
