/**
 * The README documents project.yaml, model config and sidecar metadata; these specs hold the
 * compiler to it. Every ```yaml block that is a project.yaml example (or a fragment under
 * `targets:`) is merged into a minimal project and compiled with the real compiler, against each
 * of its targets; the config reference table lists exactly the keys the schema accepts; the
 * sidecar example validates.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileProject } from '../../compiler/index.js';
import { modelConfigSchema, modelMetaSchema } from '../../compiler/config/model-config.js';
import { projectConfigSchema } from '../../compiler/load/project-config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

interface YamlBlock {
  line: number;
  data: Record<string, unknown>;
}

/** Every ```yaml block (indented ones too, as in numbered lists), parsed, with its README line. */
function yamlBlocks(text: string): YamlBlock[] {
  const out: YamlBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```yaml\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    out.push({ line: i + 1, data: (parse(body.join('\n')) ?? {}) as Record<string, unknown> });
    i = j;
  }
  return out;
}

const projectKeys = new Set(Object.keys(projectConfigSchema.shape));
const isProjectExample = (b: YamlBlock) => Object.keys(b.data).some((k) => projectKeys.has(k));

const minimal = {
  name: 'readme_example',
  layers: { bronze: { database: 'bronze' }, silver: { database: 'silver' }, gold: { database: 'gold' } },
  targets: { local: { kind: 'local' } },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('README project.yaml examples compile', () => {
  const blocks = yamlBlocks(readme).filter(isProjectExample);

  it('finds the examples (the project.yaml section and the EMR target reference)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks.some((b) => isObject(b.data.targets) && Object.values(b.data.targets).some((t) => isObject(t) && t.kind === 'emr'))).toBe(true);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the block at README.md:%i compiles against each of its targets', async (_line, block) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-readme-'));
    dirs.push(dir);
    const project = merge(minimal, block.data);
    await writeFile(path.join(dir, 'project.yaml'), stringify(project));
    for (const target of Object.keys(project.targets as object)) {
      const r = await compileProject({ projectDir: dir, target, cache: false });
      expect(r.diagnostics.filter((d) => /^ETL10\d$/.test(d.code)).map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([]);
    }
  });
});

describe('README config reference', () => {
  const section = readme.slice(readme.indexOf('### Config reference'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| key |')));
  const documented = [...table.matchAll(/^\| ((?:`\w+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`(\w+)`/g)].map((k) => k[1]!));

  it('lists exactly the model config keys the schema accepts', () => {
    expect([...documented].sort()).toEqual(Object.keys(modelConfigSchema.shape).sort());
  });

  it('documents values the schema accepts for the enumerated keys', () => {
    for (const key of ['materialized', 'incremental_strategy'] as const) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${key}\``))!;
      const values = [...row.split('|')[2]!.matchAll(/`(\w+)`/g)].map((m) => m[1]);
      expect(values.sort()).toEqual([...modelConfigSchema.shape[key].unwrap().options].sort());
    }
  });

  it('the sidecar YAML example is valid model metadata', () => {
    const sidecars = yamlBlocks(readme).filter((b) => 'columns' in b.data);
    expect(sidecars.length).toBeGreaterThan(0);
    for (const b of sidecars) expect(modelMetaSchema.safeParse(b.data).error?.issues ?? []).toEqual([]);
  });
});
