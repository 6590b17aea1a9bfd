/** What a config declares of the app block kind, which this kind reads by name only. */
import type { Config } from '../../config/types.js';

/** The names of the app blocks a config declares. */
export function declaredAppBlocks(config: Config): Set<string> {
  return new Set((config.appBlocks ?? []).map((block) => block.Name));
}
