/**
 * SOX: a model tagged `sox` is audited, so a failing test of it should stop the build. Every data
 * test attached to a sox model should have error severity; a `severity: warn` one is reported (ETL346)
 * at the test's declaration (its entry in the sidecar, where the DataTest operation's position map
 * points, or the `severity` of a singular test's config).
 *
 * A warning, not an error: the reference project keeps one warn-level test on a SOX model on purpose
 * (the planted out-of-limit amounts its reference build expects to warn), and a compile must pass there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { Manifest } from '../manifest/types.js';
import type { DataTest } from '../plan/operations.js';
import { findPosition } from '../load/sources.js';

export const SOX_TAG = 'sox';

export const isSox = (tags: readonly string[]) => tags.includes(SOX_TAG);

export function checkSoxTestSeverity(projectDir: string, manifest: Manifest, operations: ReadonlyMap<string, DataTest>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const textOf = (file: string) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(path.join(projectDir, file), 'utf8'));
      } catch {
        texts.set(file, '');
      }
    }
    return texts.get(file)!;
  };
  for (const test of Object.values(manifest.tests)) {
    const model = manifest.models[test.attachedTo.node];
    if (!model || !isSox(model.tags) || test.severity === 'error') continue;
    const segment = operations.get(test.id)?.query.segments[0];
    const text = textOf(test.file);
    const { line, column } = test.kind === 'singular' && text.includes('severity') ? findPosition(text, 'severity') : { line: segment?.[2] ?? 1, column: segment?.[3] ?? 1 };
    out.push({
      code: 'ETL346',
      severity: 'warning',
      message: `Test ${test.name} of SOX model ${model.name} has severity ${test.severity}: tests of sox-tagged models should be errors`,
      file: test.file,
      line,
      column,
      ...(text ? { frame: codeFrame(text, line, column) } : {}),
      hint: 'A SOX control that only warns lets a failing build through: remove `severity: warn` (use warn_if/error_if thresholds if some failures are expected), or untag the model.',
      related: [{ file: model.file, line: 1, column: 1, message: `${model.name} is tagged ${SOX_TAG}` }],
    });
  }
  return out;
}
