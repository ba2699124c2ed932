/**
 * EMR security configuration: EMRFS writes SSE-KMS with the lakehouse key, local disks and EBS
 * volumes are encrypted with it, and traffic between nodes uses TLS with the PEM certificates
 * at the `TlsCertificates` parameter (an S3 zip, see README "Operating on AWS"). Clusters use it by
 * name (`<project>-lakehouse`).
 */
import { ref, type Parameter, type Resources } from './cfn.js';
import type { InfraContext } from './context.js';
import { keyArn } from './kms.js';

export const SECURITY_CONFIGURATION = 'EmrSecurityConfiguration';
export const TLS_PARAMETER = 'TlsCertificates';

export function emrSecurityParameters(ctx: InfraContext): Record<string, Parameter> {
  return {
    [TLS_PARAMETER]: {
      Type: 'String',
      Description: 'S3 URI of the zip of PEM files (privateKey.pem, certificateChain.pem, trustedCertificates.pem) for EMR in-transit encryption',
      Default: `s3://${ctx.bucket}/${ctx.artifactsPrefix}/security/emr-tls-certificates.zip`,
    },
  };
}

export function emrSecurityResources(ctx: InfraContext): Resources {
  return {
    [SECURITY_CONFIGURATION]: {
      Type: 'AWS::EMR::SecurityConfiguration',
      Properties: {
        Name: `${ctx.project}-lakehouse`,
        SecurityConfiguration: {
          EncryptionConfiguration: {
            EnableAtRestEncryption: true,
            EnableInTransitEncryption: true,
            AtRestEncryptionConfiguration: {
              S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: keyArn() },
              LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: keyArn(), EnableEbsEncryption: true },
            },
            InTransitEncryptionConfiguration: { TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: ref(TLS_PARAMETER) } },
          },
        },
      },
    },
  };
}
