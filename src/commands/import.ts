import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsOptions, parseFlags } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { createClients } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { buildImport } from '../import/build.js';
import { describeAccount } from '../import/describe.js';
import { renderImportYaml } from '../import/yaml.js';
import schema from '../../schema/streamform.schema.json' with { type: 'json' };

const HELP = `Usage: streamform import [--region R] [--endpoint URL] [--profile P] [--studio ID]...
                        [--name-prefix P] [--project NAME] [--out FILE [--force]]

Describes the account and writes a config that declares what exists, with only the
values that differ from the service defaults, so that 'streamform plan' on it shows
no changes (apart from adopting resources that no streamform project owns yet).

What is declared: every stack (attributes, fleets, tags); private AVAILABLE images
that are shared or tagged; the streaming images each named studio owns. Resources
owned by another streamform project, AWS-provided streaming images and anything that
could not be read are left out and listed in the file's header comment.

Options:
  --studio ID         Nimble studio whose streaming images to import (repeatable)
  --name-prefix P     only resources whose name starts with P
  --project NAME      the project the config declares (default: imported)
  --out FILE          write the config to FILE instead of standard output
  --force             with --out, replace FILE if it exists
  --region R, --endpoint URL, --profile P   where to read (the SDK's chain by default)

Exit codes: 0 written, 1 error (a resource that could not be read is named on
standard error; the config is still written without it).`;

/** The JSON Schema shipped with streamform (this module runs from dist/src/commands), for the editor modeline. */
const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/streamform.schema.json', import.meta.url));

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('import', argv, {
    ...awsOptions,
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
  const project = values.project ?? 'imported';
  const { pattern, minLength, maxLength } = schema.properties.project;
  if (project.length < minLength || project.length > maxLength || !new RegExp(pattern, 'u').test(project)) {
    throw new UserError(`import: --project '${project}' is not a valid project name (${minLength} to ${maxLength} letters, digits, spaces and _.:/=+-@)`);
  }
  const studios = [...new Set(values.studio ?? [])];
  const clients = createClients({ endpoint: values.endpoint, region: values.region, profile: values.profile });
  const live = await describeAccount(clients, { studios, namePrefix: values['name-prefix'] }).catch((error: unknown) => {
    throw new UserError(`import: cannot describe the account: ${awsErrorMessage(error)}`);
  });
  const result = buildImport(live, { project, region: clients.region });
  const schemaPath = relative(values.out ? dirname(resolve(values.out)) : process.cwd(), SCHEMA_FILE);
  const yaml = renderImportYaml(result, { schema: schemaPath, studios });
  if (values.out) await writeConfig(values.out, yaml, values.force === true);
  else process.stdout.write(yaml);
  for (const error of live.errors) process.stderr.write(`streamform: import: ${error.address}: ${error.message}\n`);
  return live.errors.length > 0 ? 1 : 0;
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
