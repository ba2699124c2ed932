/**
 * Wire format of the site index. At 10,000 models the index is what the overview waits for, so it
 * travels as positional tuples with repeated strings (tags, owners, layers...) interned in one
 * dictionary and derivable fields left out; the client expands it back into `SiteIndex` objects.
 * This roughly halves the bytes the browser must parse before first paint.
 */
import type { IndexNode, Layer, RunStatus, SiteIndex, TestCounts } from './site-data.js';

type WireNode = [
  id: string | 0, // 0: the conventional `${kind}.${name}`
  kind: 0 | 1 | 2, // 0 source, 1 model, 2 seed
  name: string,
  layer: number,
  tags: number[],
  file: string,
  parents: number[],
  children: number[],
  classes: number[],
  columnCount: number,
  tests: number[] | 0, // [total, pass, fail, warn, error, notRun]
  owner: number,
  summary: string | 0,
  status: number,
  materialized: number,
  system: number,
  sourceName: number,
];

export interface WireIndex extends Omit<SiteIndex, 'nodes'> {
  nodesPerChunk: number;
  dict: string[];
  nodes: WireNode[];
}

export function encodeIndex(index: SiteIndex, nodesPerChunk: number): WireIndex {
  const dict: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = ids.get(s);
    if (i === undefined) {
      i = dict.length;
      dict.push(s);
      ids.set(s, i);
    }
    return i;
  };
  const nodes = index.nodes.map((n): WireNode => {
    const t = n.tests;
    return [
      n.id === `${n.kind}.${n.name}` ? 0 : n.id,
      n.kind === 'source' ? 0 : n.kind === 'seed' ? 2 : 1,
      n.name,
      intern(n.layer),
      n.tags.map(intern),
      n.file,
      n.parents,
      n.children,
      n.classes.map(intern),
      n.columnCount,
      t.total ? [t.total, t.pass, t.fail, t.warn, t.error, t.notRun] : 0,
      intern(n.owner),
      n.summary ?? 0,
      intern(n.status),
      intern(n.materialized),
      intern(n.system),
      intern(n.sourceName),
    ];
  });
  const { nodes: _nodes, ...rest } = index;
  return { ...rest, nodesPerChunk, dict, nodes };
}

export function decodeIndex(wire: WireIndex): SiteIndex {
  const { dict, nodesPerChunk, nodes: wireNodes, ...rest } = wire;
  const str = (i: number) => (i < 0 ? undefined : dict[i]);
  const nodes = wireNodes.map((w, i): IndexNode => {
    const kind = w[1] === 0 ? 'source' : w[1] === 2 ? 'seed' : 'model';
    const t = w[10];
    const tests: TestCounts = t ? { total: t[0]!, pass: t[1]!, fail: t[2]!, warn: t[3]!, error: t[4]!, notRun: t[5]! } : { total: 0, pass: 0, fail: 0, warn: 0, error: 0, notRun: 0 };
    const node: IndexNode = {
      id: w[0] === 0 ? `${kind}.${w[2]}` : w[0],
      kind,
      name: w[2],
      layer: str(w[3]) as Layer,
      tags: w[4].map((x) => dict[x]!),
      file: w[5],
      parents: w[6],
      children: w[7],
      chunk: Math.floor(i / nodesPerChunk),
      classes: w[8].map((x) => dict[x]!),
      columnCount: w[9],
      tests,
    };
    const owner = str(w[11]);
    if (owner !== undefined) node.owner = owner;
    if (w[12] !== 0) node.summary = w[12];
    const status = str(w[13]);
    if (status !== undefined) node.status = status as RunStatus;
    const materialized = str(w[14]);
    if (materialized !== undefined) node.materialized = materialized;
    const system = str(w[15]);
    if (system !== undefined) node.system = system;
    const sourceName = str(w[16]);
    if (sourceName !== undefined) node.sourceName = sourceName;
    return node;
  });
  return { ...rest, nodes };
}
