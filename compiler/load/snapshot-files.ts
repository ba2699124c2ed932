/**
 * Discovers snapshot files: `snapshots/**.sql` (Handlebars SQL with `{{config strategy=...}}`) and
 * `snapshots/**.ts` (`defineSnapshot`), each with an optional sidecar YAML, as for models.
 *
 * A snapshot is a model with `materialized: 'snapshot'`, not a node kind of its own: it is rendered,
 * parsed, typed and lineage-traced by the same phases, `ref()` reaches it, and selection, docs,
 * diffs and exposures see it as a model. What differs is its config (strategy, updated_at,
 * check_cols), the four history columns the analyser adds (compiler/analyse/snapshot-columns.ts)
 * and its one operation, SnapshotMerge (compiler/emit/snapshot-sql.ts). Its layer is silver unless
 * its config says `layer: gold`; the folder under snapshots/ does not decide it.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { modelMetaSchema } from '../config/model-config.js';
import { identifierLike, identifierProblem } from '../security/names.js';
import { readAll, walk, yamlMeta, type ModelFile } from './model-files.js';
import { parseYamlFile, schemaDiagnostics } from './yaml-file.js';

export const SNAPSHOT_DIR = 'snapshots';

const isSnapshotCode = (f: string) => f.endsWith('.sql') || (f.endsWith('.ts') && !f.endsWith('.d.ts'));

export async function loadSnapshotFiles(projectDir: string, diagnostics: Diagnostic[]): Promise<ModelFile[]> {
  const all = await walk(path.join(projectDir, SNAPSHOT_DIR), projectDir);
  const codePaths = all.filter(isSnapshotCode);
  const yamlPaths = new Set(all.filter((f) => /\.ya?ml$/.test(f)));
  const texts = await readAll(projectDir, [...codePaths, ...yamlPaths]);
  const out: ModelFile[] = [];
  for (const file of codePaths) {
    const text = texts.get(file)!;
    const base = file.replace(/\.(sql|ts)$/, '');
    const name = path.posix.basename(base);
    const badName = identifierProblem(name);
    if (badName) {
      diagnostics.push({
        code: 'ETL190',
        severity: 'error',
        message: `Snapshot file ${file}: ${badName}`,
        file,
        line: 1,
        column: 1,
        frame: codeFrame(text, 1, 1),
        hint: `The file name is the snapshot's name, which becomes a table name and a path: rename the file, e.g. to ${identifierLike(name)}${file.slice(base.length)}.`,
      });
      continue;
    }
    const metaFile = [`${base}.yml`, `${base}.yaml`].find((f) => yamlPaths.has(f));
    let meta: ModelFile['meta'];
    if (metaFile) {
      const yaml = parseYamlFile(metaFile, texts.get(metaFile)!, diagnostics);
      if (yaml) {
        const parsed = modelMetaSchema.safeParse(yaml.data ?? {});
        if (parsed.success) meta = yamlMeta(yaml, parsed.data);
        else diagnostics.push(...schemaDiagnostics(yaml, modelMetaSchema, parsed.error, (p) => (p[0] === 'config' ? 'ETL153' : 'ETL121'), `snapshot metadata of ${name}`));
      }
    }
    out.push({ name, file, language: file.endsWith('.sql') ? 'sql' : 'typescript', text, layer: 'silver', snapshot: true, ...(meta ? { meta } : {}) });
  }
  return out;
}
