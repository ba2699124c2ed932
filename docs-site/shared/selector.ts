/**
 * The command line's selection grammar, re-implemented for the browser (the compiler's
 * `selectModels` runs in Node and cannot be shipped to a static page):
 *   `name`, `+name` (ancestors), `name+` (descendants), `2+name` / `name+1` (depth-limited),
 *   `tag:x`, `path:x`, `layer:x`, `source:x` (`x` = source name or `name.table`), `system:x`;
 *   space = union, comma = intersection; `*` is a wildcard in names.
 * Matches are node indices; sources are included so a graph can draw them.
 */

export interface SelectableNode {
  id: string;
  kind: 'source' | 'model';
  name: string;
  layer: string;
  tags: string[];
  file: string;
  sourceName?: string;
  system?: string;
  parents: number[];
  children: number[];
}

export class SelectorError extends Error {
  constructor(
    message: string,
    readonly token: string,
  ) {
    super(message);
    this.name = 'SelectorError';
  }
}

const METHODS = ['tag', 'path', 'layer', 'source', 'system', 'fqn'] as const;
type Method = (typeof METHODS)[number] | 'name';

interface Atom {
  method: Method;
  value: string;
  /** Depth of ancestors to add: 0 none, Infinity all. */
  up: number;
  down: number;
}

const ATOM = /^(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/;

export function parseAtom(token: string): Atom {
  const m = ATOM.exec(token);
  if (!m) throw new SelectorError(`"${token}" is not a selector: expected e.g. "stg_orders", "+fct_orders", "tag:finance"`, token);
  const [, upDigits, body, downDigits] = m;
  // An optional group that did not take part is undefined; one that matched no digits is ''.
  const hasUp = upDigits !== undefined;
  const hasDown = downDigits !== undefined;
  let method: Method = 'name';
  let value = body!;
  const colon = body!.indexOf(':');
  if (colon >= 0) {
    const name = body!.slice(0, colon);
    if (!(METHODS as readonly string[]).includes(name)) {
      throw new SelectorError(`unknown selector method "${name}:" in "${token}"; use one of ${METHODS.map((x) => x + ':').join(', ')}`, token);
    }
    method = name as Method;
    value = body!.slice(colon + 1);
  }
  if (!value) throw new SelectorError(`"${token}" has no value after the method`, token);
  return {
    method,
    value,
    up: hasUp ? (upDigits ? Number(upDigits) : Infinity) : 0,
    down: hasDown ? (downDigits ? Number(downDigits) : Infinity) : 0,
  };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '.*' : '\\' + c));
  return new RegExp(`^${escaped}$`, 'i');
}

function matchesAtom(node: SelectableNode, atom: Atom, nameRe: RegExp | undefined): boolean {
  const v = atom.value.toLowerCase();
  switch (atom.method) {
    case 'name':
      return node.kind === 'model' ? nameRe!.test(node.name) || nameRe!.test(node.id) : nameRe!.test(node.id);
    case 'fqn':
      return nameRe!.test(node.name) || nameRe!.test(node.id);
    case 'tag':
      return node.tags.some((t) => t.toLowerCase() === v);
    case 'path': {
      const p = v.replace(/^\.\//, '').replace(/\/$/, '');
      const f = node.file.toLowerCase();
      return f === p || f.startsWith(p + '/') || f.startsWith(p);
    }
    case 'layer':
      return node.layer === v;
    case 'system':
      return node.kind === 'source' && (node.system ?? '').toLowerCase() === v;
    case 'source': {
      if (node.kind !== 'source') return false;
      const [src, table] = v.split('.');
      return (node.sourceName ?? '').toLowerCase() === src && (table === undefined || table === '*' || node.name.toLowerCase() === `${src}.${table}`);
    }
  }
}

function walk(nodes: SelectableNode[], start: number[], dir: 'parents' | 'children', depth: number, into: Set<number>): void {
  let frontier = start;
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: number[] = [];
    for (const i of frontier) {
      for (const j of nodes[i]![dir]) {
        if (!into.has(j)) {
          into.add(j);
          next.push(j);
        }
      }
    }
    frontier = next;
  }
}

function selectAtom(nodes: SelectableNode[], atom: Atom): Set<number> {
  const nameRe = atom.method === 'name' || atom.method === 'fqn' ? globToRegExp(atom.value) : undefined;
  const hits: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (matchesAtom(nodes[i]!, atom, nameRe)) hits.push(i);
  const out = new Set(hits);
  if (atom.up) walk(nodes, hits, 'parents', atom.up, out);
  if (atom.down) walk(nodes, hits, 'children', atom.down, out);
  return out;
}

/** Evaluates a selection expression; an empty expression selects everything. */
export function selectNodes(nodes: SelectableNode[], expression: string): Set<number> {
  const terms = expression.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return new Set(nodes.map((_, i) => i));
  const union = new Set<number>();
  for (const term of terms) {
    const atoms = term.split(',').filter(Boolean).map(parseAtom);
    let acc: Set<number> | undefined;
    for (const atom of atoms) {
      const s = selectAtom(nodes, atom);
      acc = acc ? new Set([...acc].filter((i) => s.has(i))) : s;
    }
    for (const i of acc ?? []) union.add(i);
  }
  return union;
}

/** Same as the CLI: the selected model ids (sources only steer the selection). */
export function selectModelIds(nodes: SelectableNode[], expression: string): string[] {
  return [...selectNodes(nodes, expression)]
    .filter((i) => nodes[i]!.kind === 'model')
    .map((i) => nodes[i]!.id)
    .sort();
}
