/**
 * Model config from its four places, validated where it is written and merged in one order:
 * project.yaml `defaults:` (by folder), the sidecar YAML's `config:`, then the model's own
 * `{{config}}` or `defineModel({ config })`. project.yaml and sidecars are validated with their
 * files (positions from the YAML); this checks the model's own config, pointing at the key.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { issueFacts } from './issues.js';
import { LIST_CONFIG_KEYS, modelConfigSchema, type ModelConfig } from './model-config.js';

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Character offset of a 1-based line and column. */
export function offsetOf(text: string, pos: Position): number {
  let offset = 0;
  for (let l = 1; l < pos.line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + pos.column - 1;
}

/** Where `key` is written (`key=` in a `{{config}}` call, `key:` in an object literal) after `from`. */
export function keyPosition(text: string, from: Position, key: string, assign: '=' | ':'): Position {
  const start = offsetOf(text, from);
  const end = assign === '=' ? text.indexOf('}}', start) : -1;
  const scope = text.slice(start, end < 0 ? undefined : end);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[\\s{,(])['"]?(${escaped})['"]?\\s*${assign}`).exec(scope);
  return m ? positionAt(text, start + m.index + m[1]!.length) : from;
}

/** Folder defaults: every `defaults:` key that is a prefix of the file path applies, longest last; tags add up. */
export function folderDefaults(defaults: Record<string, ModelConfig>, file: string): ModelConfig {
  const merged: ModelConfig = {};
  const keys = Object.keys(defaults)
    .filter((k) => file === k || file.startsWith(k.endsWith('/') ? k : `${k}/`))
    .sort((a, b) => a.length - b.length);
  for (const k of keys) {
    const d = defaults[k]!;
    Object.assign(merged, d, { tags: [...(merged.tags ?? []), ...(d.tags ?? [])] });
  }
  return merged;
}

/** Inline `{{config}}` hash values are scalars: lists come comma-separated. */
export function normaliseInlineConfig(hash: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hash)) {
    if (LIST_CONFIG_KEYS.has(k) && typeof v === 'string') {
      const list = v.split(',').map((x) => x.trim()).filter(Boolean);
      out[k] = k === 'unique_key' && list.length === 1 ? list[0] : list;
    } else out[k] = v;
  }
  return out;
}

export interface ConfigSite {
  model: string;
  file: string;
  text: string;
  /** Where a config key is written in the file. */
  at(key: string): Position;
}

/** Validates config written in a model file: ETL153 at the offending key, with "did you mean". */
export function checkModelConfig(raw: unknown, site: ConfigSite, diagnostics: Diagnostic[]): ModelConfig | undefined {
  const parsed = modelConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const fact of issueFacts(modelConfigSchema, raw, parsed.error)) {
    const key = fact.unknownKey ?? String(fact.path[0] ?? '');
    const pos = site.at(key);
    const what = fact.unknownKey !== undefined ? `Unknown config key '${fact.unknownKey}'` : `Invalid config '${fact.path.join('.')}': ${fact.message}`;
    diagnostics.push({
      code: 'ETL153',
      severity: 'error',
      message: `${what} in model ${site.model}`,
      file: site.file,
      ...pos,
      frame: codeFrame(site.text, pos.line, pos.column),
      hint: fact.suggestion || 'See the config reference in README.md.',
    });
  }
  return undefined;
}
