import { ConfigError, formatDiagnostic } from '../config/diagnostics.js';
import { plural } from '../core/vocabulary.js';

/**
 * What the CLI prints when a command ends in an error, and its exit status. A wrong config lists
 * every problem in the compiler form editors link to, whichever command loaded it; anything else
 * is one line (the stack only with STREAMFORM_DEBUG).
 */
export function failureReport(error: unknown): { text: string; exitCode: number } {
  if (error instanceof ConfigError) {
    const lines = [...error.diagnostics.map(formatDiagnostic), `${plural(error.diagnostics.length, 'error')} in the config`];
    return { text: lines.join('\n') + '\n', exitCode: error.exitCode };
  }
  const err = error as { name?: string; message?: string; exitCode?: number; stack?: string } | null;
  const message = (err?.message ?? String(error)).split('\n')[0];
  const prefix = err?.name === 'UserError' ? '' : `${err?.name ?? 'Error'}: `;
  const debug = process.env.STREAMFORM_DEBUG && err?.stack ? err.stack + '\n' : '';
  return { text: `streamform: ${prefix}${message}\n${debug}`, exitCode: typeof err?.exitCode === 'number' ? err.exitCode : 1 };
}
