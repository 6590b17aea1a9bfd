/** What the spinner says while describe reads: describe's progress as the kinds' counts, and the words for them. */
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeLive, type DescribeProgress } from '../../src/describe/index.js';
import { kindNamed } from '../../src/kinds/index.js';
import { ReadingView, readingText } from '../../src/ui/ReadingView.js';
import { useColor } from '../../src/cli/terminal.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { frameWith } from './ink.js';

afterEach(cleanup);

const stack = kindNamed('stack')!;
const fleet = kindNamed('fleet')!;

describe('readingText', () => {
  it('counts what is listed so far and names the kinds not counted yet', () => {
    expect(readingText([{ kind: stack, listed: 60 }, { kind: fleet, listed: 12 }])).toBe('reading 60 stacks, 12 fleets…');
    expect(readingText([{ kind: stack, listed: 1 }, { kind: fleet, listed: 0 }])).toBe('reading 1 stack, fleets…');
    expect(readingText([])).toBe('reading…');
  });

  it('is drawn beside a spinner', async () => {
    const app = render(<ReadingView reading={[{ kind: stack, listed: 3 }]} />);
    expect(await frameWith(app, 'reading 3 stacks…')).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] reading 3 stacks…$/);
  });
});

describe('describe progress', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ pageSize: 10 });
    await emulator.setState({ appstream: { stacks: Array.from({ length: 35 }, (_, i) => ({ Name: `s${i}` })), fleets: [{ Name: 'f', ImageName: 'base' }], images: [{ Name: 'base' }] } });
  });
  afterAll(() => emulator.close());

  it('tells the kinds it reads from the start, and their counts page by page up to what the account has', async () => {
    const told: DescribeProgress[][] = [];
    const config = { version: 1 as const, project: 'p', fleets: [{ Name: 'f', ImageName: 'base', InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 1 } }] };
    await describeLive(config, emulator.clients, { prune: false, onProgress: (reading) => told.push([...reading]) });
    const stacks = told.map((reading) => reading.find((r) => r.kind === stack)?.listed);
    expect(told[0].map((r) => [r.kind.name, r.listed])).toEqual(expect.arrayContaining([['stack', 0], ['fleet', 0]]));
    expect(stacks).toEqual([...stacks].sort((a, b) => a! - b!));
    expect(new Set(stacks)).toEqual(new Set([0, 10, 20, 30, 35]));
    expect(told.at(-1)!.find((r) => r.kind === fleet)?.listed).toBe(1);
  });
});

describe('useColor', () => {
  const terminal = { isTTY: true } as NodeJS.WriteStream;
  const env = { CI: process.env.CI, NO_COLOR: process.env.NO_COLOR };
  afterEach(() => {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('colours a terminal, but not in CI nor under NO_COLOR', () => {
    delete process.env.CI;
    delete process.env.NO_COLOR;
    expect(useColor(terminal)).toBe(true);
    expect(useColor({ isTTY: false } as NodeJS.WriteStream)).toBe(false);
    process.env.CI = 'true';
    expect(useColor(terminal)).toBe(false);
    process.env.CI = 'false';
    expect(useColor(terminal)).toBe(true);
    process.env.NO_COLOR = '1';
    expect(useColor(terminal)).toBe(false);
  });
});
