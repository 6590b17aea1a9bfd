/**
 * One normal form for an image builder, whether it comes from the config or from
 * DescribeImageBuilders: defaults filled in, "no value" as absent, set-like lists sorted, and the
 * image's name read from its ARN (DescribeImageBuilders reports only the ARN).
 */
import type { ImageBuilder } from '@aws-sdk/client-appstream';
import { asSet, clean, userTags } from '../../normalize/values.js';
import { digest } from '../../core/digest.js';
import { BUILDER_ATTRIBUTES, BUILDER_DEFAULTS, type BuilderAttribute } from './attributes.js';

type Json = Record<string, unknown>;

export type BuilderValues = Partial<Record<BuilderAttribute | 'Tags', unknown>>;

export interface NormalBuilder {
  attributes: Partial<Record<BuilderAttribute, unknown>>;
  tags: Record<string, string>;
}

const endpointKey = (endpoint: Json) => `${String(endpoint.EndpointType)}/${String(endpoint.VpceId ?? '')}`;

const NORMALIZERS: Record<BuilderAttribute, (value: unknown) => unknown> = {
  ImageName: clean,
  ImageArn: clean,
  InstanceType: clean,
  Description: clean,
  DisplayName: clean,
  VpcConfig: (value) => {
    const config = clean(value) as Json | undefined;
    return config && clean({ SubnetIds: asSet(config.SubnetIds as string[]), SecurityGroupIds: asSet(config.SecurityGroupIds as string[]) });
  },
  IamRoleArn: clean,
  EnableDefaultInternetAccess: (value) => clean(value) ?? BUILDER_DEFAULTS.EnableDefaultInternetAccess,
  // An empty directory name means no domain join.
  DomainJoinInfo: (value) => ((clean(value) as Json | undefined)?.DirectoryName ? clean(value) : undefined),
  AppstreamAgentVersion: clean,
  AccessEndpoints: (value) => asSet(clean(value) as Json[] | undefined, endpointKey),
  RootVolumeConfig: clean,
  SoftwaresToInstall: (value) => asSet(clean(value) as string[] | undefined),
  SoftwaresToUninstall: (value) => asSet(clean(value) as string[] | undefined),
  DisableIMDSV1: (value) => clean(value) ?? BUILDER_DEFAULTS.DisableIMDSV1,
};

export function normalizeBuilderAttribute(attribute: BuilderAttribute, value: unknown): unknown {
  return NORMALIZERS[attribute](value);
}

export function normalizeBuilder(values: BuilderValues): NormalBuilder {
  const attributes: Partial<Record<BuilderAttribute, unknown>> = {};
  for (const attribute of BUILDER_ATTRIBUTES) {
    const normal = NORMALIZERS[attribute](values[attribute]);
    if (normal !== undefined) attributes[attribute] = normal;
  }
  return { attributes, tags: userTags(values.Tags as Record<string, string> | null) };
}

/** The image's name in its ARN (arn:aws:appstream:<region>:<account>:image/<name>). */
export function imageNameOf(arn: string | undefined): string | undefined {
  return arn?.slice(arn.indexOf(':image/') + ':image/'.length) || undefined;
}

/** The account in an image's ARN: empty for AWS's public images. */
export function imageAccountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4];
}

export function normalizeLiveBuilder(builder: ImageBuilder, tags: Record<string, string> | undefined): NormalBuilder {
  return normalizeBuilder({ ...(builder as BuilderValues), ImageName: imageNameOf(builder.ImageArn), Tags: tags });
}

/** Starting, running or busy with something a running builder does: not stopped. */
export function isRunning(state: string | undefined): boolean {
  return state !== undefined && !['STOPPED', 'STOPPING', 'DELETING', 'FAILED'].includes(state);
}

/** The short digest of a software list the record keeps, since AWS does not report the list back. */
export function softwareDigest(list: unknown): string {
  return digest(list ?? [], 8);
}
