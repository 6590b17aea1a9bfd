/**
 * The first run as a person sees it: the built CLI (`npx tsc -p .` first) runs `demo` in a real
 * terminal (tmux), and piped, where it must print clean text.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/src/cli/main.js');
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const REQUIRE_TMUX = process.env.STREAMFORM_REQUIRE_TMUX === '1';
/** Cursor movement, erasing, hiding the cursor, colours: none of it belongs in a pipe or a file. */
const ANSI_ESCAPE = /\u001B[[\]()#;?0-9]*[A-Za-z]|\u001B[78]/;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with 'npx tsc -p .'`);
});

/** The environment a user's shell would give: no CI, no colour override, no SDK noise. */
function cleanEnv(): NodeJS.ProcessEnv {
  const { CI: _ci, NO_COLOR: _noColor, FORCE_COLOR: _force, ...env } = process.env;
  return { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

describe('demo piped (no terminal)', () => {
  it('plans, applies with --yes, plans again, and prints only plain text', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'demo', '--yes'], { cwd: ROOT, env: cleanEnv(), timeout: 60_000 });
    expect(stdout).toContain('Plan for project "demo-studio"');
    expect(stdout).toMatch(/Plan: 1 to create, \d+ to update, 1 to replace, 0 to delete\./);
    expect(stdout).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('No changes.');
    expect(stdout).not.toMatch(ANSI_ESCAPE);
    expect(stderr).not.toMatch(ANSI_ESCAPE);
  });

  it('applies without --yes too when there is no terminal to ask in, saying so, since it touches only its emulator', async () => {
    const result = spawnSync(process.execPath, [CLI, 'demo'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('demo: no terminal to ask for approval in; applying to the in-process emulator');
    expect(result.stdout).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('No changes.');
  });
});

const RUN_TMUX = HAS_TMUX || REQUIRE_TMUX;
if (!RUN_TMUX) console.warn('test/ui/demo-terminal.test.ts: tmux is not installed, so the real-terminal demo test is skipped');

(RUN_TMUX ? describe : describe.skip)(
  RUN_TMUX ? 'demo in a real terminal (tmux)' : 'demo in a real terminal: SKIPPED, tmux is not installed (STREAMFORM_REQUIRE_TMUX=1 makes this a failure)',
  () => {
    // A private tmux server: its own environment, and nothing of anyone else's sessions touched.
    const socket = `streamform-test-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'demo');

    async function screenWith(text: string, timeoutMs: number): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen();
        if (shown.includes(text)) return shown;
        if (Date.now() > deadline) throw new Error(`'${text}' did not appear within ${timeoutMs}ms; the screen shows:\n${shown}`);
        await new Promise((done) => setTimeout(done, 200));
      }
    }

    beforeAll(() => {
      if (!HAS_TMUX) throw new Error('tmux is required (STREAMFORM_REQUIRE_TMUX=1) but not installed');
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} demo; echo "[exit $?]"; sleep 600`;
      execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'demo', '-x', '120', '-y', '40', '-c', ROOT, command], {
        env: cleanEnv(),
      });
    });

    afterAll(() => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    });

    it('shows the plan, applies it on y with live progress, and ends on No changes.', async () => {
      const plan = await screenWith('Apply these changes? y/N', 30_000);
      expect(plan).toMatch(/streamform plan · project demo-studio · us-east-1, account 123456789012, endpoint http:\/\/127\.0\.0\.1:\d+/);
      expect(plan).toMatch(/~ +image\/studio-base-2023 +update +\(adopt\) +⚠ 1\n +⚠ warning: base image released 2023-01-10/);
      expect(plan).toMatch(/~ +stack\/design +update +\(drift\)/);
      expect(plan).toMatch(/~ +stack\/edit +update +\(drift\)/);
      expect(plan).toMatch(/\+ +stack\/review +create/);
      expect(plan).toMatch(/-\/\+ streamingImage\/stid-demo-studio\/maya-2026 +replace/);
      expect(plan).not.toContain('stack/kiosk');
      expect(plan).not.toContain('stack/comp ');
      expect(plan).toContain('Plan: 1 to create, 3 to update, 1 to replace, 0 to delete.');

      tmux('send-keys', '-t', 'demo', 'y');
      const waiting = await screenWith('waiting for READY', 30_000);
      expect(waiting).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] +\d+ CreateStreamingImage +streamingImage\/stid-demo-studio\/maya-2026 +waiting for READY/);

      const end = await screenWith('[exit ', 60_000);
      expect(end).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
      expect(end).toMatch(/✔ +\d+ DeleteStreamingImage +streamingImage\/stid-demo-studio\/maya-2026/);
      expect(end).toContain('No changes.');
      expect(end).toContain('[exit 0]');
    }, 120_000);
  },
);
