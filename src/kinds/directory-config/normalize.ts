/** One normal form for a directory config's values, from the config or from DescribeDirectoryConfigs. */
import { asSet, clean } from '../../normalize/values.js';

export interface NormalCertificateAuth {
  Status: string;
  CertificateAuthorityArn?: string;
}

/** Absent, null and DISABLED mean the same: off (a CA left behind while off means nothing). */
export function normalCertificateAuth(value: unknown): NormalCertificateAuth {
  const cba = clean(value) as Partial<NormalCertificateAuth> | undefined;
  if (!cba?.Status || cba.Status === 'DISABLED') return { Status: 'DISABLED' };
  return clean({ Status: cba.Status, CertificateAuthorityArn: cba.CertificateAuthorityArn }) as NormalCertificateAuth;
}

export const normalOus = (value: string[] | null | undefined): string[] => asSet(value ?? []) ?? [];
