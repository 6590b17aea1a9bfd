/** What the safety tests share: a work folder for configs, and one emulator per test, closed after it. */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workDir } from '../apply/cli.js';

export interface Workspace {
  /** The folder the configs are written to and the CLI runs in. */
  dir(): string;
  /** Starts this test's emulator (transitions of 20 ms unless told). */
  start(options?: EmulatorOptions): Promise<TestEmulator>;
}

export function useWorkspace(): Workspace {
  let dir = '';
  let emulator: TestEmulator | undefined;
  beforeAll(() => {
    dir = workDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  return {
    dir: () => dir,
    start: async (options = {}) => (emulator = await startTestEmulator({ transitionMs: 20, ...options })),
  };
}

/** Resolves once `condition` holds, checking every few milliseconds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
