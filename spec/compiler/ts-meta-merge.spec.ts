/**
 * A TypeScript model's metadata beside a sidecar YAML: nothing either declares is dropped silently.
 * Scalars (description, owner) from the model file win, tags add up, and columns with their tests
 * come from the one place that declares them; declared in both, the sidecar's are used and a warning
 * at the model file's `columns` says the model file's are ignored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('ts-meta-merge');
}, 120_000);

const testsOf = (model: string) =>
  Object.values(r.manifest.tests)
    .filter((t) => t.attachedTo.node === `model.${model}`)
    .map((t) => `${t.attachedTo.column ?? ''}:${t.test}`)
    .sort();

describe('TypeScript model metadata with a sidecar YAML', () => {
  it('keeps owner, tags and column tests declared only in the model file', () => {
    const model = r.manifest.models['model.tests_in_ts']!;
    expect(model.owner).toBe('finance');
    expect(model.description).toBe('Described in the sidecar.');
    expect(model.materialized).toBe('table');
    expect(model.tags).toEqual(expect.arrayContaining(['from_ts', 'from_yaml']));
    expect(model.columns.find((c) => c.name === 'order_id')?.description).toBe('The order, from the model file.');
    expect(testsOf('tests_in_ts')).toEqual(['order_id:unique']);
  });

  it('warns at the model file when both declare columns, and uses the sidecar', () => {
    const warnings = r.diagnostics.filter((d) => d.code === 'ETL124');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', file: 'models/gold/columns_twice.ts', line: 5, column: 3 });
    expect(warnings[0]!.message).toContain('models/gold/columns_twice.yml');
    expect(testsOf('columns_twice')).toEqual(['order_id:not_null']);
  });

  it('reports nothing else', () => {
    expect(r.diagnostics.filter((d) => d.code !== 'ETL124')).toEqual([]);
  });
});
