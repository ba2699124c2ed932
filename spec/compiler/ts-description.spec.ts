/**
 * A TypeScript model's `description` with a sidecar YAML next to it. Precedence follows dbt's rule
 * for a model's own config over its YAML properties (and this compiler's config merge): what the
 * model file declares wins, the sidecar fills what the model file leaves out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('ts-description');
}, 120_000);

describe('TypeScript model descriptions with a sidecar YAML', () => {
  it('compiles clean', () => {
    expect(r.diagnostics).toEqual([]);
  });

  it('keeps the model file description when the sidecar documents only columns', () => {
    const model = r.manifest.models['model.described_in_ts']!;
    expect(model.description).toBe('Order amounts, described in the model file.');
    // The sidecar still counts: its column description and test are there.
    expect(model.metaFile).toBe('models/gold/described_in_ts.yml');
    expect(model.columns.find((c) => c.name === 'order_id')?.description).toBe('The order.');
    expect(Object.keys(r.manifest.tests).some((id) => id.includes('not_null') && id.includes('described_in_ts'))).toBe(true);
  });

  it('the model file wins when both give a description', () => {
    expect(r.manifest.models['model.described_twice']!.description).toBe('From the model file.');
  });

  it('uses the sidecar description when the model file has none', () => {
    expect(r.manifest.models['model.described_in_yaml']!.description).toBe('From the sidecar YAML only.');
  });
});
