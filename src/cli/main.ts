#!/usr/bin/env node
// Entry point. Keep imports here minimal: `--version` must start as fast as bare node,
// so every command (and the AWS SDK, React and Ink behind it) is loaded only when it runs.
import { createRequire } from 'node:module';

// The SDK's notice that its future releases need a newer Node concerns streamform's maintainers
// (the SDK version is pinned), not the people running a plan.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

type CommandModule = { run(argv: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  validate: { summary: 'check a config against the schema and rules (no AWS calls)', load: () => import('../commands/validate.js') },
  plan: { summary: 'show the API calls that would make AWS match the config', load: () => import('../commands/plan.js') },
  apply: { summary: 'make AWS match the config (or apply a saved plan)', load: () => import('../commands/apply.js') },
  drift: { summary: 'report changes made outside streamform and health problems', load: () => import('../commands/drift.js') },
  diff: { summary: 'compare two configs without AWS access', load: () => import('../commands/diff.js') },
  import: { summary: 'write a config that declares what an account already has', load: () => import('../commands/import.js') },
  emulator: { summary: 'run the local AppStream 2.0 + Nimble Studio emulator', load: () => import('../commands/emulator.js') },
  demo: { summary: 'plan and apply an example studio against an in-process emulator', load: () => import('../commands/demo.js') },
};

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../../../package.json') as { version: string }).version;
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: streamform <command> [options]',
    '',
    'Declarative desired state for Amazon AppStream 2.0 and Amazon Nimble Studio.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `streamform <command> --help` for the options of a command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // A bare `streamform` is a mistake in a script: the usage goes where errors go.
    process.stderr.write(usage() + '\n');
    return 1;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(version() + '\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`streamform: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})\n`);
    return 1;
  }
  return (await command.load()).run(rest);
}

/**
 * The command is over once it throws: calls still in flight or waiting to retry (the siblings of a
 * failed read) must not hold the process up, so it exits as soon as the error is written. The
 * report is loaded only then, so that a successful start-up stays as light as bare node.
 */
async function exitWithError(error: unknown): Promise<void> {
  const { failureReport } = await import('./failure.js');
  const { text, exitCode } = failureReport(error);
  process.stderr.write(text, () => process.exit(exitCode));
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, exitWithError);
