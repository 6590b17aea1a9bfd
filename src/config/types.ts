/**
 * The desired state as the loader returns it. The shapes are generated from
 * schema/streamform.schema.json (npm run schema), so the schema is their one source.
 * `null` (or an empty list or map) means "clear this attribute"; a missing key means "not declared".
 */
import type { SourceLocation } from '../core/plan.js';
import type { Config, UserSetting } from './types.generated.js';

export type * from './types.generated.js';

export type Permission = UserSetting['Permission'];

/** A loaded config plus where each value came from, keyed by JSON pointer into `config` ("/stacks/0/Name"). */
export interface LoadedConfig {
  config: Config;
  /** The files read, in the order they were merged. */
  files: string[];
  /**
   * The file, line and column where the value at `pointer` is written (its key, inside a map).
   * A pointer to something not written (an attribute left out) gives the nearest enclosing value.
   */
  locate(pointer: string): SourceLocation;
}
