/**
 * The SDK's packages, each loaded with require on first use. They are CommonJS, and an ESM import of
 * a CommonJS package makes Node scan its whole source for the names it exports (about 85 ms for
 * AppStream's, the tagging API's and Nimble's together, on every run); require does not. Their
 * types are imported as types, which costs nothing at run time.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const appstreamSdk = (): typeof import('@aws-sdk/client-appstream') => require('@aws-sdk/client-appstream');
export const nimbleSdk = (): typeof import('@aws-sdk/client-nimble') => require('@aws-sdk/client-nimble');
export const taggingSdk = (): typeof import('@aws-sdk/client-resource-groups-tagging-api') => require('@aws-sdk/client-resource-groups-tagging-api');
export const stsSdk = (): typeof import('@aws-sdk/client-sts') => require('@aws-sdk/client-sts');
export const secretsManagerSdk = (): typeof import('@aws-sdk/client-secrets-manager') => require('@aws-sdk/client-secrets-manager');
export const ssmSdk = (): typeof import('@aws-sdk/client-ssm') => require('@aws-sdk/client-ssm');
export const smithyConfig = (): typeof import('@smithy/core/config') => require('@smithy/core/config');
export const smithyEndpoints = (): typeof import('@smithy/core/endpoints') => require('@smithy/core/endpoints');
