import { writeFile } from 'node:fs/promises';
import { awsOptions, choiceFlag, fileOptions, parseFlags, targetOptions } from '../cli/args.js';
import { UserError } from '../core/errors.js';
import { useColor } from '../cli/terminal.js';
import { configPaths } from '../config/load.js';
import { combinedPlan } from '../core/plan.js';
import {
  DEFAULT_FAIL_ON,
  driftAnnotations,
  driftExitCode,
  driftFindings,
  driftLines,
  driftReport,
  driftSummary,
  FAIL_ON,
  type DriftReport,
  type FailOn,
} from '../drift/report.js';
import { eachTarget, planTarget, targetRuns } from './targets.js';
import { renderPlanJson } from '../render/json.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { renderPlanText } from '../render/text.js';

const HELP = `Usage: streamform drift [-f FILE|DIR]... [--format text|json|markdown|github]
                       [--fail-on LIST] [--report FILE] [--endpoint URL] [--region R] [--profile P]

Reports what was changed outside streamform since it last applied the config (the
plan's changes marked drift, with the calls that would undo them) and health
problems: stack errors, failed streaming images, base images past their age, and
resources that could not be checked. Changes that come from the config itself are
not drift; they are counted and left to 'streamform plan'.

Options:
  -f, --file FILE|DIR  the config (repeatable; default streamform.yaml)
  --format FORMAT      text (default), json, markdown, or github: workflow annotations
                       on the YAML line of each drifted attribute
  --fail-on LIST        what fails the job, comma-separated: drift, errors, warnings,
                       pending (declared resources not applied, or deleted by hand);
                       default drift,errors
  --report FILE        also write the Markdown report to FILE (e.g. for a CI artifact)
  --target NAME        check only this target of the config (repeatable; default all)
  --endpoint URL, --region R, --profile P   where to read (the SDK's chain by default)

Exit codes: 0 nothing that --fail-on names, 2 drift (or warnings, pending changes
when named), 1 error (including an error found in the account, such as a stack
error, as for plan).`;

const FORMATS = ['text', 'json', 'markdown', 'github'] as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('drift', argv, { ...fileOptions, ...awsOptions, ...targetOptions, format: { type: 'string' }, report: { type: 'string' }, 'fail-on': { type: 'string' } });
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const format = choiceFlag('drift', 'format', values.format, FORMATS) ?? 'text';
  const failOn = failOnFlag(values['fail-on']);
  const runs = await targetRuns('drift', configPaths('drift', values.file), values);
  // Deleting what is no longer declared comes from the config, never from drift: no prune candidates to read.
  const plans = await eachTarget(runs, (run) => planTarget(run, { command: 'drift', prune: false }));
  // One report over every target, each address naming its target.
  const report = driftReport(plans.length === 1 ? plans[0] : combinedPlan(plans));
  const findings = runs.flatMap((run, i) => driftFindings(driftReport(plans[i]), run.loaded).map((finding) => (run.name ? { ...finding, address: `${run.name}:${finding.address}` } : finding)));
  const outputs = {
    text: () => renderPlanText(report.plan, { color: useColor(), title: 'Drift report', summary: driftSummary(report), notes: driftLines(findings) }),
    markdown: () => driftMarkdown(report),
    json: () => driftJson(report),
    github: () => [...driftAnnotations(report, findings), driftSummary(report)].join('\n') + '\n',
  };
  process.stdout.write(outputs[format]());
  if (values.report) await writeReport(values.report, driftMarkdown(report));
  return driftExitCode(report, failOn);
}

function failOnFlag(value: string | undefined): readonly FailOn[] {
  if (value === undefined) return DEFAULT_FAIL_ON;
  const reasons = value.split(',').map((reason) => reason.trim());
  const unknown = reasons.find((reason) => !(FAIL_ON as readonly string[]).includes(reason));
  if (unknown !== undefined || reasons.length === 0) {
    throw new UserError(`drift: --fail-on takes a comma-separated list of ${FAIL_ON.join(', ')}, got '${value}'`);
  }
  return reasons as FailOn[];
}

function driftMarkdown(report: DriftReport): string {
  return renderPlanMarkdown(report.plan, { kind: 'drift', summary: driftSummary(report) });
}

function driftJson(report: DriftReport): string {
  const { plan, pending, missing } = report;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const summary = {
    drifted: plan.changes.length,
    errors,
    warnings: plan.diagnostics.length - errors,
    pending,
    missing,
    // Information, there only when there is any: owned resources no longer declared, resources with unmanaged tag keys.
    ...(plan.undeclared ? { undeclared: plan.undeclared.length } : {}),
    ...(plan.unmanagedTags ? { unmanagedTags: plan.unmanagedTags.length } : {}),
  };
  return JSON.stringify({ formatVersion: '1', summary, plan: JSON.parse(renderPlanJson(plan)) }, null, 2) + '\n';
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new UserError(`drift: cannot write the report to ${file}: ${(error as Error).message}`);
  }
}
