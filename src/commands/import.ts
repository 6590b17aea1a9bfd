import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsOptions, parseFlags, targetOptions } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import type { LiveState } from '../core/live.js';
import { createClients, destroyClients, type AwsTarget } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { buildImport, type ImportResult } from '../import/build.js';
import { describeAccount, type AccountQuery } from '../import/describe.js';
import type { TargetImport } from '../import/merge.js';
import { validMerge } from '../import/valid.js';
import { eachTarget, targetRuns, type TargetRun } from './targets.js';
import { renderImportYaml } from '../import/yaml.js';
import schema from '../../schema/streamform.schema.json' with { type: 'json' };

const HELP = `Usage: streamform import [--region R] [--endpoint URL] [--profile P] [--studio ID]...
                        [--name-prefix P] [--project NAME] [--out FILE [--force]]
       streamform import --config FILE [--target NAME]... [--endpoint URL] [--profile P]
                        [--studio [TARGET=]ID]... [--name-prefix P] [--project NAME] ...

Describes the account and writes a config that declares what exists, with only the
values that differ from the service defaults, so that 'streamform plan' on it shows
no changes (apart from adopting resources that no streamform project owns yet).

What is declared: every stack (attributes, fleets, tags); private AVAILABLE images
that are shared or tagged; the streaming images each named studio owns. Resources
owned by another streamform project, AWS-provided streaming images and anything that
could not be read are left out and listed in the file's header comment.

With --config, the targets of that config say where to read (all of them, or those
--target or STREAMFORM_TARGET names), and the config written declares those targets.
Over several targets it is one config: each resource once, with Targets where only
some targets have it, and a value that differs between them as \${vars.<key>}, each
target's value in its vars. What cannot be merged so is declared once per target (or,
for a usage report subscription, left out) and said in the header and on standard error.
--region does not go with --config: each target names its region.

Options:
  --config FILE       a config (file or folder) whose targets to read; its project is
                      the default of --project
  --target NAME       with --config, read only this target (repeatable)
  --studio ID         Nimble studio whose streaming images to import (repeatable);
                      with --config, TARGET=ID reads the studio in that target only
  --name-prefix P     only resources whose name starts with P
  --project NAME      the project the config declares (default: imported)
  --out FILE          write the config to FILE instead of standard output
  --force             with --out, replace FILE if it exists
  --region R, --endpoint URL, --profile P   where to read (the SDK's chain by default);
                      with --config, --endpoint and --profile apply to every target

Exit codes: 0 written, 1 error (a resource that could not be read is named on
standard error; the config is still written without it). A target that cannot be
read at all is named on standard error and nothing is written: a merge without it
would lose what it has.`;

/** The JSON Schema shipped with streamform (this module runs from dist/src/commands), for the editor modeline. */
const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/streamform.schema.json', import.meta.url));

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('import', argv, {
    ...awsOptions,
    ...targetOptions,
    config: { type: 'string' },
    studio: { type: 'string', multiple: true },
    'name-prefix': { type: 'string' },
    project: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (values.force && !values.out) throw new UserError('import: --force only applies with --out FILE');
  if (values.target && values.config === undefined) throw new UserError('import: --target needs --config FILE, the config that declares the targets');
  if (values.config !== undefined && values.region !== undefined) {
    throw new UserError('import: --region does not go with --config: the config names the regions (choose targets with --target)');
  }
  // The config's own settings, without the flags that override them: what the written config states.
  const runs = values.config === undefined ? undefined : await targetRuns('import', [values.config], { target: values.target });
  const project = values.project ?? runs?.[0].loaded.config.project ?? 'imported';
  const { pattern, minLength, maxLength } = schema.properties.project;
  if (project.length < minLength || project.length > maxLength || !new RegExp(pattern, 'u').test(project)) {
    throw new UserError(`import: --project '${project}' is not a valid project name (${minLength} to ${maxLength} letters, digits, spaces and _.:/=+-@)`);
  }
  const studios = [...new Set(values.studio ?? [])];
  // Each target's, before anything is read: a --studio naming no target is refused first.
  const queries = (runs ?? [undefined]).map((run): AccountQuery => ({ studios: studiosOf(studios, run?.name, runs), namePrefix: values['name-prefix'] }));
  const where = (aws: AwsTarget): AwsTarget => ({ ...aws, endpoint: values.endpoint ?? aws.endpoint, profile: values.profile ?? aws.profile });
  let result: ImportResult;
  let errors: string[];
  if (!runs?.[0].name) {
    const read = await readAccount(where(runs?.[0].aws ?? { region: values.region }), queries[0]).catch((error: unknown) => {
      throw new UserError(`import: cannot describe the account: ${awsErrorMessage(error)}`);
    });
    result = buildImport(read.live, { project, region: read.region });
    errors = read.live.errors.map((error) => `${error.address}: ${error.message}`);
  } else {
    ({ result, errors } = await importTargets(runs, project, queries, where));
  }
  const schemaPath = relative(values.out ? dirname(resolve(values.out)) : process.cwd(), SCHEMA_FILE);
  const yaml = renderImportYaml(result, { schema: schemaPath, studios });
  if (values.out) await writeConfig(values.out, yaml, values.force === true);
  else process.stdout.write(yaml);
  for (const error of errors) process.stderr.write(`streamform: import: ${error}\n`);
  for (const note of result.unmerged ?? []) process.stderr.write(`streamform: import: not merged: ${note.address}: ${note.message}\n`);
  return errors.length > 0 ? 1 : 0;
}

/**
 * The studios to read in a target: `--studio ID` in every target, `--studio TARGET=ID` in that one
 * (a studio is in one region, and listing it elsewhere fails).
 */
function studiosOf(studios: string[], target: string | undefined, runs: TargetRun[] | undefined): string[] {
  const chosen = studios.flatMap((studio) => {
    const [named, id] = studio.includes('=') ? studio.split(/=(.*)/, 2) : [undefined, studio];
    if (named === undefined) return [id];
    if (!runs?.[0].name) throw new UserError(`import: --studio ${studio}: a studio of a target needs --config FILE with targets`);
    if (!runs.some((run) => run.name === named)) throw new UserError(`import: --studio ${studio}: no target ${named} among those read (${runs.map((run) => run.name).join(', ')})`);
    return named === target ? [id] : [];
  });
  return [...new Set(chosen)];
}

/** What one account and region has, and the region the clients resolved. */
async function readAccount(aws: AwsTarget, query: AccountQuery): Promise<{ live: LiveState; region: string }> {
  const clients = createClients(aws);
  try {
    const live = await describeAccount(clients, query);
    return { live, region: clients.region };
  } finally {
    destroyClients(clients);
  }
}

/**
 * Every target read (bounded, as plan reads them), then one config. A target that cannot be read
 * at all stops the import: merged without it, its resources would go to it as the others have
 * them, and what only it has would be lost without a word.
 */
async function importTargets(runs: TargetRun[], project: string, queries: AccountQuery[], where: (aws: AwsTarget) => AwsTarget): Promise<{ result: ImportResult; errors: string[] }> {
  const reads = await eachTarget(runs, (run, i) =>
    readAccount(where(run.aws), queries[i]).then(
      ({ live }) => ({ live }),
      (error: unknown) => ({ failure: awsErrorMessage(error) }),
    ),
  );
  const failed = runs.filter((_, i) => 'failure' in reads[i]);
  if (failed.length) {
    runs.forEach((run, i) => 'failure' in reads[i] && process.stderr.write(`streamform: import: target ${run.name} could not be read: ${reads[i].failure}\n`));
    const others = runs.filter((run) => !failed.includes(run)).map((run) => `--target ${run.name}`);
    const names = failed.map((run) => run.name).join(', ');
    throw new UserError(
      `import: nothing written: without ${names} the config would lose what ${failed.length === 1 ? 'it has' : 'they have'}${others.length ? ` (import the others with ${others.join(' ')})` : ''}`,
    );
  }
  const imports: TargetImport[] = [];
  const errors: string[] = [];
  runs.forEach((run, i) => {
    const { live } = reads[i] as { live: LiveState };
    // Reached as the config reaches it; the flags that override it are the reader's, not the file's.
    const { region, profile, roleArn, externalId, endpoint } = run.aws;
    const target = { name: run.name!, region: region!, ...(profile ? { profile } : {}), ...(roleArn ? { roleArn } : {}), ...(externalId ? { externalId } : {}), ...(endpoint ? { endpoint } : {}) };
    imports.push({ target, result: buildImport(live, { project, region: region! }) });
    errors.push(...live.errors.map((error) => `${run.name}:${error.address}: ${error.message}`));
  });
  return { result: await validMerge(imports, project), errors };
}

async function writeConfig(file: string, text: string, force: boolean): Promise<void> {
  try {
    await writeFile(file, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError(`import: ${file} exists; pass --force to replace it`);
    throw new UserError(`import: cannot write ${file}: ${code === 'ENOENT' ? 'no such folder' : (error as Error).message}`);
  }
}
