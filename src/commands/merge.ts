import { choiceFlag, parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { parsePlansFile, renderPlansJson } from '../render/json.js';
import { writeAtomically } from './plan.js';
import { FORMATS, readPlanText, renderPlans } from './show.js';

const HELP = `Usage: streamform merge PLANFILE... [--format text|json|markdown] [--out PLANFILE]

Joins plans saved by 'streamform plan --target NAME --out FILE' in separate jobs (a CI
matrix with one job per target) into one plan of all their targets: one pull-request
comment, one review, and one file for 'streamform apply', which checks each target
again before it changes anything. Nothing is read but the files; AWS is not called.

Options:
  --format FORMAT   text (default), json or markdown (one comment with a section per target)
  --out PLANFILE    also save the merged plan, for 'streamform apply PLANFILE'

Exit codes: 0 merged, 1 a file is missing, is not a streamform plan, or does not fit the
others (another project, another config, a target twice).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('merge', argv, { format: { type: 'string' }, out: { type: 'string' } }, true);
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = choiceFlag('merge', 'format', values.format, FORMATS) ?? 'text';
  if (positionals.length === 0) throw new UserError("merge: expected the plan files to merge (see 'streamform merge --help')");
  const files = await Promise.all(positionals.map(async (path) => ({ path, plans: parsePlansFile(await readPlanText('merge', path), path) })));
  const plans = merged(files);
  process.stdout.write(renderPlans(plans, format));
  if (values.out !== undefined) writeAtomically(values.out, renderPlansJson(plans), 'plan file', 'merge');
  return 0;
}

/** The files' plans as one plan of targets, in the order given; what cannot be one plan is refused, naming the file. */
function merged(files: { path: string; plans: Plan[] }[]): Plan[] {
  const [first] = files;
  const seen = new Map<string, string>();
  for (const { path, plans } of files) {
    for (const plan of plans) {
      const name = plan.target.name;
      if (name === undefined) throw new UserError(`merge: ${path} is the plan of a config without targets; only plans of targets merge`);
      if (plan.project !== first.plans[0].project) throw new UserError(`merge: ${path} is a plan for project '${plan.project}', not '${first.plans[0].project}' as ${first.path}`);
      if (plan.configFiles.join('\n') !== first.plans[0].configFiles.join('\n')) {
        throw new UserError(`merge: ${path} was planned from ${plan.configFiles.join(', ')}, not from ${first.plans[0].configFiles.join(', ')} as ${first.path}`);
      }
      const earlier = seen.get(name);
      if (earlier !== undefined) throw new UserError(`merge: target ${name} is in both ${earlier} and ${path}`);
      seen.set(name, path);
    }
  }
  return files.flatMap(({ plans }) => plans);
}
