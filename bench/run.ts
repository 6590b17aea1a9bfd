/**
 * `npm run bench`: plan and apply cost side by side with the per-resource refresh pattern, a plan of
 * several targets at once, a plan of a large user pool, the in-process compute, start-up and the emulator's own throughput. Prints a table (or `--json`)
 * with each number next to its target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { profileChildrenTo } from './processes.js';
import { machineInfo, renderJson, renderTable, type Measurement } from './report.js';
import type { BenchContext, Scenario } from './scenario.js';
import { applyScenario } from './scenarios/apply.js';
import { computeScenario } from './scenarios/compute.js';
import { planScenario } from './scenarios/plan.js';
import { startupScenario } from './scenarios/startup.js';
import { targetsScenario } from './scenarios/targets.js';
import { throughputScenario } from './scenarios/throughput.js';
import { usersScenario } from './scenarios/users.js';

const SCENARIOS: Scenario[] = [planScenario, targetsScenario, usersScenario, applyScenario, computeScenario, startupScenario, throughputScenario];

/** The latency the scenarios' targets are set at. */
const DEFAULT_LATENCY_MS = 20;

const USAGE = `Usage: npm run bench -- [--json] [--runs N] [--only ${SCENARIOS.map((s) => s.name).join(',')}] [--quick] [--latency-ms N] [--profile DIR]

  --json         print the numbers as JSON instead of the table
  --runs N       repetitions of each timed command; the median is reported (default 5)
  --only LIST    run only these scenarios
  --quick        a tenth of the scale and one run, to try the harness (not the benchmark's numbers)
  --latency-ms N each emulator's added latency per call (default ${DEFAULT_LATENCY_MS}, which the targets
                 are set for): how the numbers move when the network, not the CPU, is the wait
  --profile DIR  write a CPU profile (.cpuprofile) of every child process to DIR
                 (the numbers then include the profiler's own cost)
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      runs: { type: 'string' },
      only: { type: 'string' },
      quick: { type: 'boolean' },
      'latency-ms': { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const runs = values.runs === undefined ? (values.quick ? 1 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs must be an integer from 1 to 50, got '${values.runs}'`);
  const latencyMs = values['latency-ms'] === undefined ? DEFAULT_LATENCY_MS : Number(values['latency-ms']);
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 2000) throw new Error(`--latency-ms must be an integer from 0 to 2000, got '${values['latency-ms']}'`);
  const selected = values.only ? values.only.split(',').map((name) => name.trim()) : SCENARIOS.map((s) => s.name);
  const unknown = selected.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (scenarios: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  if (values.profile) profileChildrenTo(resolve(values.profile));

  // The baseline and the lower bound use the SDK in this process: keep its Node 20 notice out of the table.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const workDir = mkdtempSync(join(tmpdir(), 'streamform-bench-'));
  const context: BenchContext = { workDir, runs, quick: Boolean(values.quick), latencyMs, problems: [] };
  const measurements: Measurement[] = [];
  const machine = machineInfo();
  const started = performance.now();
  try {
    for (const scenario of SCENARIOS.filter((s) => selected.includes(s.name))) {
      process.stderr.write(`bench: ${scenario.name}...\n`);
      try {
        measurements.push(...(await scenario.run(context)));
      } catch (error) {
        context.problems.push(`${scenario.name} did not run to the end: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const totalMs = performance.now() - started;
  process.stdout.write(values.json ? renderJson(measurements, machine, context.problems, totalMs) : renderTable(measurements, machine, context.problems, totalMs));
  return context.problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`bench: ${error.message.split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
