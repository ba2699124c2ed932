/** compiler/security/credential-scan.ts: each credential shape found and masked; look-alikes left alone. */
import { describe, expect, it } from 'vitest';
import { maskCredentials, scanCredentials } from '../../compiler/security/credential-scan.js';

const kinds = (text: string) => scanCredentials(text).map((f) => f.kind);

describe('scanCredentials', () => {
  it('finds each credential shape, with a masked excerpt that never holds the secret', () => {
    const cases: Array<[string, string, string]> = [
      ['https://etl:hunter2@login.example.com/x', 'url-userinfo', 'https://etl:***@'],
      ['kafka brokers sasl://u:p4ss@broker:9092', 'url-userinfo', 'sasl://u:***@'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow...', 'pem-private-key', '-----BEGIN RSA PRIVATE KEY----- ***'],
      ['-----BEGIN PRIVATE KEY-----', 'pem-private-key', '-----BEGIN PRIVATE KEY----- ***'],
      ['key AKIAIOSFODNN7EXAMPLE in a comment', 'aws-access-key', 'AKIA***'],
      ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt', 'eyJ***'],
      ['jdbc:snowflake://acme;user=etl;password=hunter2;db=RAW', 'password-pair', 'password=***'],
      ['{"clientSecret": "s3cr3t-value"}', 'password-pair', 'clientSecret": "***"'],
    ];
    for (const [text, kind, excerpt] of cases) {
      const found = scanCredentials(text);
      expect(found.map((f) => f.kind), text).toEqual([kind]);
      expect(found[0]!.excerpt).toBe(excerpt);
    }
  });

  it('leaves references, placeholders and ordinary SQL alone', () => {
    for (const text of [
      '{"password":{"env":"SF_PASSWORD"}}',
      'https://login.salesforce.com',
      'https://user@host/path',
      's3://company-lakehouse/silver/orders',
      "WHERE password = 'x' AND token IS NOT NULL",
      'password=${SF_PASSWORD}',
      'https://etl:${PASSWORD}@host',
      'SELECT order_id, amount FROM silver.stg_orders',
      '',
    ]) {
      expect(kinds(text), text).toEqual([]);
    }
  });

  it('masks every finding in place and never throws on odd input', () => {
    expect(maskCredentials('a https://u:pw@h b AKIAIOSFODNN7EXAMPLE c')).toBe('a https://u:***@h b AKIA*** c');
    for (const odd of ['\u0000'.repeat(100), '@:'.repeat(1000), 'password='.repeat(500), '-----BEGIN'.repeat(100)]) {
      expect(() => scanCredentials(odd)).not.toThrow();
    }
  });
});
