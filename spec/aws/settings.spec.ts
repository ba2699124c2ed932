import { describe, expect, it } from 'vitest';
import { AwsTargetError } from '../../runtime/aws/errors.js';
import { parseEmrSettings } from '../../runtime/aws/settings.js';
import { runJobFlowRequest } from '../../runtime/aws/emr-cluster.js';
import { fixtureProject } from './fixtures/manifest.js';

const target = (settings: Record<string, unknown>) => ({ name: 'emr', kind: 'emr' as const, settings });

describe('EMR target settings', () => {
  it('accepts the reference project settings and fills defaults', () => {
    const s = parseEmrSettings(fixtureProject().manifest.target);
    expect(s.cluster.step_concurrency).toBe(4);
    expect(s.artifacts_prefix).toBe('etl/builds');
  });

  it('lists every bad key with its project.yaml path', () => {
    const err = (() => {
      try {
        parseEmrSettings(target({ region: 'nowhere', bucket: 'Bad_Bucket', cluster: { release: 'emr-6.15.0', core_instance_count: 0, log_uri: 'http://x' } }));
      } catch (e) {
        return e as AwsTargetError;
      }
    })()!;
    expect(err).toBeInstanceOf(AwsTargetError);
    expect(err.code).toBe('EMR_BAD_SETTINGS');
    for (const key of ['targets.emr.region', 'targets.emr.bucket', 'targets.emr.cluster.release', 'targets.emr.cluster.core_instance_count', 'targets.emr.cluster.log_uri']) {
      expect(err.message).toContain(key);
    }
    expect(err.message).toContain('emr-7');
  });

  it('rejects a local target', () => {
    expect(() => parseEmrSettings({ name: 'local', kind: 'local', settings: {} })).toThrow(/not "emr"/);
  });

  it('omits spot task nodes and scaling when not configured', () => {
    const s = parseEmrSettings(target({ region: 'eu-west-1', bucket: 'lake', cluster: { core_instance_count: 2 } }));
    const req = runJobFlowRequest(s, 'p');
    expect(req.Instances!.InstanceGroups!.map((g) => g.InstanceRole)).toEqual(['MASTER', 'CORE']);
    expect(req.ManagedScalingPolicy).toBeUndefined();
    expect(req.LogUri).toBeUndefined();
    expect(req.SecurityConfiguration).toBeUndefined();
  });

  it('starts new clusters with the configured security configuration', () => {
    const s = parseEmrSettings(target({ region: 'eu-west-1', bucket: 'lake', cluster: { security_configuration: 'lake-emr-security' } }));
    expect(runJobFlowRequest(s, 'p').SecurityConfiguration).toBe('lake-emr-security');
  });
});
