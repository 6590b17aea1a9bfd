import { UserError } from '../core/errors.js';
import { displayPath } from './pointer.js';

/** One problem in the config, where it is and what is wrong. `path` is a JSON pointer into `file`. */
export interface ConfigDiagnostic {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

/**
 * A problem before it has a place in a file: at a JSON pointer (its key when `key` is set, e.g.
 * an unknown property), or at a character offset when the YAML itself is broken.
 */
export interface Problem {
  pointer: string;
  message: string;
  key?: boolean;
  offset?: number;
}

/** `file:line:column: path: message`, the form editors and CI logs turn into links. */
export function formatDiagnostic(d: ConfigDiagnostic): string {
  const path = displayPath(d.path);
  return `${d.file}:${d.line}:${d.column}: ${path ? `${path}: ` : ''}${d.message}`;
}

/** The config is wrong. Carries every problem found, not only the first. */
export class ConfigError extends UserError {
  constructor(readonly diagnostics: ConfigDiagnostic[]) {
    const [first] = diagnostics;
    const more = diagnostics.length - 1;
    super(more > 0 ? `${formatDiagnostic(first)} (and ${more} more; 'streamform validate' lists them all)` : formatDiagnostic(first));
  }
}
