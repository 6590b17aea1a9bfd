/** The normal form of a Nimble streaming image's managed parts. */
import { clean, userTags } from '../../normalize/values.js';

export interface NormalStreamingImage {
  Ec2ImageId: string;
  Description?: string;
  tags: Record<string, string>;
}

export function normalizeStreamingImage(values: { ec2ImageId?: string; description?: string | null; tags?: Record<string, string> | null }): NormalStreamingImage {
  const description = clean(values.description) as string | undefined;
  return { Ec2ImageId: values.ec2ImageId ?? '', ...(description !== undefined ? { Description: description } : {}), tags: userTags(values.tags) };
}
