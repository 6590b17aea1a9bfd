/**
 * One normal form for an app block builder, whether it comes from the config or from
 * DescribeAppBlockBuilders: defaults filled in, "no value" as absent, set-like lists sorted.
 */
import type { AppBlockBuilder } from '@aws-sdk/client-appstream';
import { asSet, clean, userTags } from '../../normalize/values.js';
import { APP_BLOCK_BUILDER_ATTRIBUTES, APP_BLOCK_BUILDER_DEFAULTS, type AppBlockBuilderAttribute } from './attributes.js';

type Json = Record<string, unknown>;

export type AppBlockBuilderValues = Partial<Record<AppBlockBuilderAttribute | 'Tags', unknown>>;

export interface NormalAppBlockBuilder {
  attributes: Partial<Record<AppBlockBuilderAttribute, unknown>>;
  tags: Record<string, string>;
}

const endpointKey = (endpoint: Json) => `${String(endpoint.EndpointType)}/${String(endpoint.VpceId ?? '')}`;

const NORMALIZERS: Record<AppBlockBuilderAttribute, (value: unknown) => unknown> = {
  Description: clean,
  DisplayName: clean,
  Platform: clean,
  InstanceType: clean,
  VpcConfig: (value) => {
    const config = clean(value) as Json | undefined;
    return config && clean({ SubnetIds: asSet(config.SubnetIds as string[]), SecurityGroupIds: asSet(config.SecurityGroupIds as string[]) });
  },
  EnableDefaultInternetAccess: (value) => clean(value) ?? APP_BLOCK_BUILDER_DEFAULTS.EnableDefaultInternetAccess,
  IamRoleArn: clean,
  AccessEndpoints: (value) => asSet(clean(value) as Json[] | undefined, endpointKey),
  DisableIMDSV1: (value) => clean(value) ?? APP_BLOCK_BUILDER_DEFAULTS.DisableIMDSV1,
};

export function normalizeAppBlockBuilderAttribute(attribute: AppBlockBuilderAttribute, value: unknown): unknown {
  return NORMALIZERS[attribute](value);
}

export function normalizeAppBlockBuilder(values: AppBlockBuilderValues): NormalAppBlockBuilder {
  const attributes: Partial<Record<AppBlockBuilderAttribute, unknown>> = {};
  for (const attribute of APP_BLOCK_BUILDER_ATTRIBUTES) {
    const normal = NORMALIZERS[attribute](values[attribute]);
    if (normal !== undefined) attributes[attribute] = normal;
  }
  return { attributes, tags: userTags(values.Tags as Record<string, string> | null) };
}

export function normalizeLiveAppBlockBuilder(builder: AppBlockBuilder, tags: Record<string, string> | undefined): NormalAppBlockBuilder {
  return normalizeAppBlockBuilder({ ...(builder as AppBlockBuilderValues), Tags: tags });
}

export { isRunning } from '../resource.js';
