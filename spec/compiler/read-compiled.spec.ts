/**
 * A compiled target/ is read as the program: validated by its schemas, versions checked in one
 * place, and refused when manifest.json and plan.json are not what one compile wrote together.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, writeArtifacts } from '../../compiler/index.js';
import { CompiledTargetError, readCompiledTarget } from '../../runtime/plan/read-compiled.js';
import { fixture } from './helpers.js';

let dir: string;
let target: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-read-compiled-'));
  cpSync(fixture('materializations'), join(dir, 'project'), { recursive: true });
  const result = await compileProject({ projectDir: join(dir, 'project') });
  target = await writeArtifacts(result, join(dir, 'project'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of target/ with one file changed. */
function copyWith(name: string, file?: string, edit?: (text: string) => string): string {
  const copy = join(dir, name);
  cpSync(target, copy, { recursive: true });
  if (file && edit) writeFileSync(join(copy, file), edit(readFileSync(join(copy, file), 'utf8')));
  return copy;
}

const refusal = (folder: string) => {
  try {
    readCompiledTarget(folder);
  } catch (e) {
    expect(e).toBeInstanceOf(CompiledTargetError);
    return (e as Error).message;
  }
  throw new Error(`${folder} was accepted`);
};

describe('readCompiledTarget', () => {
  it('reads what the compile wrote, and a copy without the dot-files too', () => {
    const { manifest, plan } = readCompiledTarget(target);
    expect(Object.keys(plan.nodes)).toContain('model.orders_table');
    expect(manifest.models['model.orders_table']).toBeDefined();
    const bare = copyWith('bare');
    rmSync(join(bare, '.artifacts-index.json'));
    expect(readCompiledTarget(bare).plan.stages).toEqual(plan.stages);
  });

  it('refuses a plan from another version, naming the file and what to do', () => {
    const m = refusal(copyWith('old', 'plan.json', (t) => t.replace('"planVersion":2', '"planVersion":1')));
    expect(m).toMatch(/plan.json is not what the compile wrote|plan version 1; this etl runs version 2/);
  });

  it('refuses a hand-edited plan whose operations no longer validate, with the path of the problem', () => {
    const copy = copyWith('edited', 'plan.json', (t) => t.replace('"kind":"Merge"', '"kind":"MergeInto"'));
    rmSync(join(copy, '.artifacts-index.json'));
    expect(refusal(copy)).toMatch(/is not a valid plan:[\s\S]*nodes\.model\.customers_merge/);
  });

  it('refuses manifest.json and plan.json from different compiles', () => {
    const copy = copyWith('mixed', 'plan.json', (t) => t.replace('"model.orders_view"', '"model.orders_viewx"'));
    expect(refusal(copy)).toMatch(/plan.json is not what the compile wrote/);
    rmSync(join(copy, '.artifacts-index.json'));
    expect(refusal(copy)).toMatch(/waits for model.orders_viewx, which the plan does not have|names model.orders_viewx/);
  });
});
