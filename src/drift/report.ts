/**
 * Drift: the plan restricted to what changed outside streamform (changes marked `drift`) and to
 * health problems (every diagnostic: stack errors, failed streaming images, base images past their
 * age, and resources that could not be checked). Changes that come from the config are not drift;
 * they are only counted, so that the report can say a plan is pending.
 */
import type { LoadedConfig } from '../config/types.js';
import { hasErrors, type Plan, type PlanSummary, type SourceLocation } from '../core/plan.js';
import { plural } from '../core/vocabulary.js';
import { declaredPointers } from '../configdiff/compare.js';
import { driftText, formatLocation, sortedDiagnostics } from '../render/format.js';
import { formatAnnotation, type Annotation } from './github.js';

export interface DriftReport {
  /** The plan with only the drifted changes and their calls (what apply would do to undo the drift). */
  plan: Plan;
  /** Changes that come from the config, not from outside: left to `plan`. */
  pending: number;
  /** Declared resources that do not exist (never applied, or deleted by hand since): pending creates. */
  missing: string[];
}

/** What can make a drift job fail; `--fail-on` picks them (drift and errors unless told). */
export const FAIL_ON = ['drift', 'errors', 'warnings', 'pending'] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const DEFAULT_FAIL_ON: readonly FailOn[] = ['drift', 'errors'];

export function driftReport(plan: Plan): DriftReport {
  const drifted = plan.changes.filter((change) => change.drift);
  const addresses = new Set(drifted.map((change) => change.address));
  const calls = plan.calls.filter((call) => addresses.has(call.address)).map((call, i) => ({ ...call, id: i + 1 }));
  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of drifted) if (change.action !== 'no-op') summary[change.action]++;
  const pending = plan.changes.filter((change) => !change.drift && (change.action !== 'no-op' || change.adopt)).length;
  const missing = plan.changes.filter((change) => change.action === 'create').map((change) => change.address);
  return { plan: { ...plan, changes: drifted, calls, summary }, pending, missing };
}

/**
 * 1 when errors fail the job and there are any (as for plan: an error diagnostic is an error); 2 when
 * any other finding that `failOn` names is there; else 0.
 */
export function driftExitCode({ plan, pending, missing }: DriftReport, failOn: readonly FailOn[] = DEFAULT_FAIL_ON): number {
  if (failOn.includes('errors') && hasErrors(plan)) return 1;
  const found: Record<Exclude<FailOn, 'errors'>, boolean> = {
    drift: plan.changes.length > 0,
    warnings: plan.diagnostics.some((d) => d.severity === 'warning'),
    pending: pending > 0 || missing.length > 0,
  };
  return failOn.some((reason) => reason !== 'errors' && found[reason]) ? 2 : 0;
}

/** One line that says what was found. */
export function driftSummary({ plan, pending, missing }: DriftReport): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = plan.diagnostics.length - errors;
  const found = [
    plan.changes.length && `${plural(plan.changes.length, 'resource')} changed outside streamform`,
    errors && plural(errors, 'error'),
    warnings && plural(warnings, 'warning'),
  ].filter(Boolean);
  const head = found.length ? `Drift: ${found.join(', ')}.` : 'No drift.';
  const absent = missing.length ? ` ${missing.length === 1 ? '1 declared resource does' : `${missing.length} declared resources do`} not exist (pending create): ${missing.join(', ')}.` : '';
  const told = pending ? `${head} ${plural(pending, 'change')} from the config not applied yet (see 'streamform plan').${absent}` : head;
  return [told, ...information(plan)].join(' ');
}

/** What drift tells without failing on it: owned resources no longer declared, and tag keys nobody manages. */
function information(plan: Plan): string[] {
  const undeclared = plan.undeclared?.length ?? 0;
  const untagged = plan.unmanagedTags?.length ?? 0;
  const them = undeclared === 1 ? 'it' : 'them';
  return [
    undeclared ? `${plural(undeclared, 'owned resource')} no longer declared (${undeclared === 1 ? 'it stays' : 'they stay'}; 'streamform plan --prune' would delete ${them}).` : '',
    untagged ? `${plural(untagged, 'resource')} with tag keys the config does not manage.` : '',
  ].filter(Boolean);
}

/** One drifted attribute (or a whole resource, when the plan names no attribute) and where the config declares it. */
export interface DriftFinding {
  address: string;
  path?: string;
  /** What AWS has against what the config declares. */
  text: string;
  source?: SourceLocation;
}

/** Each drifted attribute at its line in the YAML (the resource's line when the attribute has none). */
export function driftFindings(report: DriftReport, loaded: LoadedConfig): DriftFinding[] {
  const pointers = declaredPointers(loaded.config);
  return report.plan.changes.flatMap((change): DriftFinding[] => {
    const pointer = pointers.get(change.address);
    const resourceAt = change.source ?? (pointer === undefined ? undefined : loaded.locate(pointer));
    if (!change.diffs.length) return [{ address: change.address, text: 'changed outside streamform', source: resourceAt }];
    // A pointer to an attribute that is not written locates its resource instead.
    return change.diffs.map((diff) => ({
      address: change.address,
      path: diff.path,
      text: driftText(diff),
      source: pointer === undefined ? resourceAt : loaded.locate(`${pointer}/${diff.path.split(/[.[]/)[0]}`),
    }));
  });
}

/** Compiler-style lines (`file:line:column: drift: …`) that editors and CI logs link to the YAML. */
export function driftLines(findings: DriftFinding[]): string[] {
  return findings.map(({ address, path, text, source }) => `${source ? `${formatLocation(source)}: ` : ''}drift: ${address}${path ? ` ${path}` : ''}: ${text}`);
}

/** GitHub workflow annotations: a warning per finding, and one per diagnostic at its severity. */
export function driftAnnotations(report: DriftReport, findings: DriftFinding[]): string[] {
  const annotations: Annotation[] = findings.map(({ address, path, text, source }) => ({
    level: 'warning',
    title: `Drift: ${address}${path ? ` ${path}` : ''}`,
    message: `${address}: ${path ? `${path} was changed outside streamform: ${text}` : text}`,
    ...at(source),
  }));
  const resourceAt = new Map(findings.map((finding) => [finding.address, finding.source]));
  for (const diagnostic of sortedDiagnostics(report.plan)) {
    annotations.push({
      level: diagnostic.severity,
      title: diagnostic.address ?? 'streamform',
      message: diagnostic.address ? `${diagnostic.address}: ${diagnostic.message}` : diagnostic.message,
      ...at(diagnostic.source ?? (diagnostic.address ? resourceAt.get(diagnostic.address) : undefined)),
    });
  }
  return annotations.map(formatAnnotation);
}

function at(source: SourceLocation | undefined): Partial<Annotation> {
  return source ? { file: source.file, line: source.line, column: source.column } : {};
}
