/**
 * One normal form for an application, whether it comes from the config or from
 * DescribeApplications: "no value" as absent, the set-like lists deduplicated and sorted.
 */
import { asSet, clean, userTags } from '../../normalize/values.js';
import { APPLICATION_ATTRIBUTES, type ApplicationAttribute } from './attributes.js';

export type ApplicationValues = Partial<Record<ApplicationAttribute | 'Tags', unknown>>;

export interface NormalApplication {
  attributes: Partial<Record<ApplicationAttribute, unknown>>;
  /** The user's tags (streamform's and AWS's keys left out). */
  tags: Record<string, string>;
}

const SETS: ReadonlySet<ApplicationAttribute> = new Set(['Platforms', 'InstanceFamilies']);

export function normalizeApplicationAttribute(attribute: ApplicationAttribute, value: unknown): unknown {
  return SETS.has(attribute) ? asSet(clean(value) as string[] | undefined) : clean(value);
}

export function normalizeApplication(values: ApplicationValues): NormalApplication {
  const attributes: Partial<Record<ApplicationAttribute, unknown>> = {};
  for (const attribute of APPLICATION_ATTRIBUTES) {
    const normal = normalizeApplicationAttribute(attribute, values[attribute]);
    if (normal !== undefined) attributes[attribute] = normal;
  }
  return { attributes, tags: userTags(values.Tags as Record<string, string> | null) };
}
