/**
 * zod issues as facts a diagnostic can be made of: the path, the unknown key if any, and a
 * "did you mean" from the schema itself (the keys allowed at that path, or the allowed values).
 * Positions are the caller's business: YAML files, `{{config}}` calls and TypeScript object
 * literals each know where a path is.
 */
import type { z } from 'zod';
import { didYouMean } from './suggest.js';

export interface IssueFact {
  /** Path of the offending value, or of the object holding an unknown key. */
  path: Array<string | number>;
  /** Set for an unknown key. */
  unknownKey?: string;
  /** zod's message (for an unknown key: empty). */
  message: string;
  /** "Did you mean 'x'?", or '' when nothing is close. */
  suggestion: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** The object schemas `data` at `path` may be validated by (several for a plain union). */
function schemasAt(schema: z.ZodType, data: unknown, path: ReadonlyArray<string | number>): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return schemasAt(def.innerType!, data, path);
    case 'pipe':
      return schemasAt(def.in!, data, path);
    case 'union': {
      const here = valueAt(data, []);
      const options = def.options!.filter((o) => {
        if (!def.discriminator) return true;
        const lit = defOf(o).shape?.[def.discriminator];
        const wanted = (here as Record<string, unknown> | null)?.[def.discriminator];
        return lit !== undefined && (lit as unknown as { _zod: { def: { values?: unknown[] } } })._zod.def.values?.includes(wanted);
      });
      return options.flatMap((o) => schemasAt(o, data, path));
    }
  }
  if (path.length === 0) return [schema];
  const [head, ...rest] = path;
  const child = valueAt(data, [head!]);
  if (def.type === 'object') return def.shape![head as string] ? schemasAt(def.shape![head as string]!, child, rest) : [];
  if (def.type === 'record') return schemasAt(def.valueType!, child, rest);
  if (def.type === 'array') return schemasAt(def.element!, child, rest);
  return [];
}

/** Keys an object at `path` may have, per the schema (for "did you mean" on unknown keys). */
export function allowedKeys(schema: z.ZodType, data: unknown, path: ReadonlyArray<string | number>): string[] {
  return [...new Set(schemasAt(schema, valueAt(data, []), path).flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
}

/** One fact per problem: an `unrecognized_keys` issue with several keys gives one fact per key. */
export function issueFacts(schema: z.ZodType, data: unknown, error: z.ZodError): IssueFact[] {
  const out: IssueFact[] = [];
  for (const issue of flattenUnions(error.issues, [])) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = allowedKeys(schema, data, path);
      for (const key of issue.keys) out.push({ path, unknownKey: key, message: '', suggestion: didYouMean(key, known) });
      continue;
    }
    const received = valueAt(data, path);
    let candidates: unknown[] = [];
    if (issue.code === 'invalid_value') candidates = issue.values;
    else if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) candidates = issue.options;
    const suggestion = typeof received === 'string' && candidates.length ? didYouMean(received, candidates.map(String)) : '';
    out.push({ path, message: issue.message, suggestion });
  }
  return out;
}

type Issue = z.ZodError['issues'][number];

/**
 * A value that matches no branch of a plain union (a test spec is a name or a map) is explained by
 * the branch it got furthest into, as if that branch were the schema: "severity: expected error or
 * warn" rather than "Invalid input".
 */
function flattenUnions(issues: ReadonlyArray<Issue>, prefix: ReadonlyArray<PropertyKey>): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || 'discriminator' in issue || !issue.errors.length) return [{ ...issue, path }];
    const depth = (branch: ReadonlyArray<Issue>) => Math.max(...branch.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 1)));
    const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
    return flattenUnions(best, path);
  });
}
