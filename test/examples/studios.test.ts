/**
 * The two studios of examples/ (an Elastic-fleet one and a classic one), applied by the built CLI
 * to an emulated account and planned again: every kind of both, in the order the plan gives, ends
 * in an empty plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { runCli } from '../drift/support.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const ACCOUNT: EmulatorState = {
  appstream: {
    images: [
      { Name: 'AppStream-WinServer2022-06-17-2024', Visibility: 'PUBLIC', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2024-06-17T00:00:00Z' },
      { Name: 'design-2026-10', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2026-10-01T00:00:00Z' },
      { Name: 'design-2026-11', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2026-11-01T00:00:00Z' },
    ],
  },
};

let em: TestEmulator;
beforeAll(async () => {
  em = await startTestEmulator({ state: ACCOUNT, transitionMs: 50 });
});
afterAll(() => em.close());

describe.each(['elastic-studio', 'classic-studio'])('examples/%s', (name) => {
  it('applies to an empty account and plans clean afterwards', async () => {
    await em.setState(ACCOUNT);
    const cli = (...args: string[]) => runCli([...args, '-f', `examples/${name}`, '--endpoint', em.url]);
    const applied = await cli('apply', '--yes', '--allow-interruption');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(applied.code).toBe(0);
    const again = await cli('plan', '--detailed-exitcode');
    expect(again.stdout).toMatch(/No changes\.\n$/);
    expect(again.code).toBe(0);
  });
});
