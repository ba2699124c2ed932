/**
 * The benchmark's synthetic projects must be valid projects: every generated model compiles
 * without error diagnostics, and the generator is deterministic. No timing assertions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles, generateProject, type GenerateSummary } from '../../bench/generate-project.js';
import { compileProject, type CompileResult } from '../../compiler/index.js';

describe('bench/generate-project', () => {
  let dir: string;
  let summary: GenerateSummary;
  let result: CompileResult;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'etl-bench-spec-'));
    summary = generateProject({ models: 200, outDir: dir, seed: 7 });
    result = await compileProject({ projectDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 200-model project that compiles with zero error diagnostics', () => {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(Object.keys(result.manifest.models)).toHaveLength(200);
    expect(Object.keys(result.manifest.sources).length).toBeGreaterThanOrEqual(24);
  });

  it('produces no warnings either (no duplicate or unaliased columns, documented columns exist)', () => {
    expect(result.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('mixes layers, materializations and SQL features as described', () => {
    const models = Object.values(result.manifest.models);
    const silver = models.filter((m) => m.layer === 'silver');
    expect(silver.length).toBe(summary.silver);
    expect(silver.length / models.length).toBeCloseTo(0.3, 1);
    for (const m of silver) expect(m.dependsOn.sources).toHaveLength(1);
    for (const m of models.filter((x) => x.layer === 'gold')) {
      expect(m.dependsOn.models.length).toBeGreaterThanOrEqual(1);
      expect(m.dependsOn.models.length).toBeLessThanOrEqual(3);
      expect(m.dependsOn.sources).toEqual([]);
    }
    const kinds = new Set(models.map((m) => m.materialized));
    expect([...kinds].sort()).toEqual(['ephemeral', 'incremental', 'table', 'view']);
    const strategies = new Set(models.map((m) => m.config.incremental_strategy).filter(Boolean));
    expect(strategies.has('merge')).toBe(true);
    const sql = models.map((m) => readFileSync(path.join(dir, m.file), 'utf8')).join('\n');
    for (const feature of ['GROUP BY', ' OVER (PARTITION BY', 'LEFT JOIN', 'WITH ', 'UNION ALL', '{{#is_incremental}}', '{{> dedupe_latest']) expect(sql).toContain(feature);
    expect(Object.keys(result.manifest.tests).length).toBeGreaterThan(0);
    // Lineage reaches the typed sources through the gold layers.
    const gold = models.find((m) => m.layer === 'gold' && m.materialized !== 'ephemeral')!;
    expect(gold.columns.some((c) => c.sources.length > 0)).toBe(true);
  });

  it('is deterministic: same seed, same files; another seed, other files', () => {
    const a = generateFiles(300, 11).files;
    const b = generateFiles(300, 11).files;
    const c = generateFiles(300, 12).files;
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });
});
