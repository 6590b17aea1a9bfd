import os from 'node:os';
import { readFileSync } from 'node:fs';

export type Unit = 'ms' | 'calls' | 'x' | 'MB' | 'req/s' | 'count';

/** A goal from the benchmarks' issue, held against one measured value. */
export interface Target {
  op: '<=' | '<' | '==' | '>=';
  bound: number;
}

export interface Measurement {
  /** Stable key for machines (`--json`), e.g. "plan.msRatio"; `name` is for people. */
  id: string;
  section: string;
  name: string;
  value: number;
  unit: Unit;
  target?: Target;
  /** What the number means or why it misses, printed under the table. */
  note?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: os.loadavg()[0],
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // Not Linux: os.cpus() knows the model too.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function passes(m: Measurement): boolean | undefined {
  if (!m.target) return undefined;
  const { op, bound } = m.target;
  switch (op) {
    case '<=':
      return m.value <= bound;
    case '<':
      return m.value < bound;
    case '==':
      return m.value === bound;
    case '>=':
      return m.value >= bound;
  }
}

const OP_TEXT: Record<Target['op'], string> = { '<=': '≤', '<': '<', '==': '=', '>=': '≥' };

function formatNumber(value: number, unit: Unit): string {
  const digits = unit === 'x' ? 2 : unit === 'MB' ? 1 : 0;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'x' ? `${text}x` : unit === 'count' || unit === 'calls' ? text : `${text} ${unit}`;
}

/** The human table: one block per section, the target and its verdict next to each number. */
export function renderTable(measurements: Measurement[], machine: MachineInfo, problems: string[], totalMs: number): string {
  const rows = measurements.map((m) => {
    const verdict = passes(m);
    return {
      m,
      cells: [
        m.name,
        formatNumber(m.value, m.unit),
        m.target ? `${OP_TEXT[m.target.op]} ${formatNumber(m.target.bound, m.unit)}` : '',
        verdict === undefined ? '' : verdict ? 'PASS' : 'MISS',
      ],
    };
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r.cells[i].length)));
  const lines = [
    `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, Node ${machine.node}, ${machine.platform}, load average ${machine.loadAverage.toFixed(2)} at start`,
  ];
  let section = '';
  for (const { m, cells } of rows) {
    if (m.section !== section) {
      section = m.section;
      lines.push('', section);
    }
    const [name, value, target, verdict] = cells;
    lines.push(`  ${name.padEnd(widths[0])}  ${value.padStart(widths[1])}  ${target.padEnd(widths[2])}  ${verdict}`.trimEnd());
  }
  const notes = measurements.filter((m) => m.note);
  if (notes.length) {
    lines.push('', 'Notes:');
    for (const m of notes) lines.push(`  - ${m.name}: ${m.note}`);
  }
  if (problems.length) {
    lines.push('', 'Problems:');
    for (const problem of problems) lines.push(`  - ${problem}`);
  }
  const verdicts = measurements.map(passes).filter((v) => v !== undefined);
  lines.push('', `Targets: ${verdicts.filter(Boolean).length} of ${verdicts.length} met. Total run: ${(totalMs / 1000).toFixed(0)} s.`);
  return lines.join('\n') + '\n';
}

/** The numbers for machines: every measurement with its verdict. */
export function renderJson(measurements: Measurement[], machine: MachineInfo, problems: string[], totalMs: number): string {
  const results = measurements.map((m) => ({ ...m, pass: passes(m) }));
  return JSON.stringify({ machine, totalMs, measurements: results, problems }, null, 2) + '\n';
}
