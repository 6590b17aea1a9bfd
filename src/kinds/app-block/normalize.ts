/**
 * One normal form for an app block, whether it comes from the config or from DescribeAppBlocks:
 * "no value" as absent, the packaging type CreateAppBlock assumes filled in.
 */
import { clean, userTags } from '../../normalize/values.js';
import { APP_BLOCK_ATTRIBUTES, DEFAULT_PACKAGING, type AppBlockAttribute } from './attributes.js';

export type AppBlockValues = Partial<Record<AppBlockAttribute | 'Tags', unknown>>;

export interface NormalAppBlock {
  attributes: Partial<Record<AppBlockAttribute, unknown>>;
  tags: Record<string, string>;
}

export function normalizeAppBlockAttribute(attribute: AppBlockAttribute, value: unknown): unknown {
  return attribute === 'PackagingType' ? (clean(value) ?? DEFAULT_PACKAGING) : clean(value);
}

export function normalizeAppBlock(values: AppBlockValues): NormalAppBlock {
  const attributes: Partial<Record<AppBlockAttribute, unknown>> = {};
  for (const attribute of APP_BLOCK_ATTRIBUTES) {
    const normal = normalizeAppBlockAttribute(attribute, values[attribute]);
    if (normal !== undefined) attributes[attribute] = normal;
  }
  return { attributes, tags: userTags(values.Tags as Record<string, string> | null) };
}
