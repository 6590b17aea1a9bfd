import type { Measurement } from './report.js';

export interface BenchContext {
  /** Scratch folder for generated configs and state files. */
  workDir: string;
  /** Repetitions of each timed command (the median is reported). */
  runs: number;
  /** A tenth of the scale, for trying the harness; its numbers are not the benchmark's. */
  quick: boolean;
  /** Each emulator's added latency per call, in ms (the scenarios' targets are set at 20). */
  latencyMs: number;
  /** What makes a number less than it claims (failed calls, an account not at rest). */
  problems: string[];
}

export interface Scenario {
  name: string;
  run(context: BenchContext): Promise<Measurement[]>;
}
