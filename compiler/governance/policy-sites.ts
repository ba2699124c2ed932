/**
 * Where a model's governance declarations are written, for diagnostics and the manifest: an
 * `exposes`/`declassify` entry in the SQL model's `{{config}}`, the TypeScript model's `config`, the
 * sidecar's `config:`, or a column's `exposes` in `columns:`; and where a column is defined in the
 * model's SELECT (through Handlebars or the TypeScript template literal).
 */
import { keyPosition } from '../config/model-config-check.js';
import { findPosition } from '../load/sources.js';
import type { RenderedModel } from '../resolve/models.js';

export interface Site {
  file: string;
  text: string;
  line: number;
  column: number;
}

/** Where `key` (exposes or declassify) entry `entry` of the model's config is written; the model file's first line when in project.yaml defaults. */
export function configEntrySite(r: RenderedModel, key: 'exposes' | 'declassify', entry: string): Site {
  const { file, text } = r.file;
  const call = r.template?.configCalls.find((c) => c.hash[key] !== undefined);
  if (call) {
    const at = keyPosition(text, call, key, '=');
    return { file, text, ...keyPosition(text, at, entry, '=') };
  }
  const tsConfig = r.tsModel?.config as Record<string, unknown> | undefined;
  if (tsConfig?.[key] !== undefined) {
    const at = keyPosition(text, findPosition(text, 'config'), key, ':');
    return { file, text, ...keyPosition(text, at, entry, ':') };
  }
  const meta = r.file.meta;
  if (meta && (meta.data.config as Record<string, unknown> | undefined)?.[key] !== undefined) {
    return { file: meta.file, text: meta.text, ...meta.position(['config', key], entry) };
  }
  return { file, text, line: 1, column: 1 };
}

/** Where a column's own `exposes` entry is written (sidecar or TypeScript `columns:`). */
export function columnExposureSite(r: RenderedModel, column: string, classification: string): Site {
  const meta = r.file.meta!;
  return { file: meta.file, text: meta.text, ...meta.position(['columns', column, 'exposes'], classification) };
}

/** Where the model's SELECT defines a column: `at` in the rendered SQL, mapped to the model file. */
export function columnSite(r: RenderedModel, at: { line: number; column: number } | undefined): Site {
  const { file, text } = r.file;
  if (!at) return { file, text, ...(r.sqlPosition ?? r.full.toTemplate(1, 1)) };
  // SQL a partial wrote: the call of the partial in the model.
  const inMacro = r.full.inMacro?.(at.line, at.column);
  const call = inMacro?.site.via[0];
  if (call) return { file, text, line: call.line, column: call.column };
  return { file, text, ...r.full.toTemplate(at.line, at.column) };
}
