#!/usr/bin/env node
// Entry point. Keep imports here minimal: `--version` must start as fast as bare node,
// so every command (and the AWS SDK, React and Ink behind it) is loaded only when it runs.
import { createRequire } from 'node:module';
import { commands } from './commands.js';

// The SDK's notice that its future releases need a newer Node concerns streamform's maintainers
// (the SDK version is pinned), not the people running a plan.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
    'Environment:',
    '  STREAMFORM_CONFIG  config files or folders, separated like PATH: the default of -f',
    '  STREAMFORM_TARGET  targets of the config, comma-separated: the default of --target',
    '  STREAMFORM_DEBUG   print a stack trace behind an error',
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
    const { closest } = await import('../config/suggest.js');
    const guess = closest(name, Object.keys(commands));
    const hint = guess === undefined ? ` (commands: ${Object.keys(commands).join(', ')})` : `; did you mean '${guess}'?`;
    process.stderr.write(`streamform: unknown command '${name}'${hint}\n`);
    return 1;
  }
  const module = await command.load();
  const config = process.env.STREAMFORM_CONFIG;
  if (!config) return module.run(rest);
  const { withConfigFromEnvironment } = await import('./config-env.js');
  return module.run(await withConfigFromEnvironment(name, rest, module, config));
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
