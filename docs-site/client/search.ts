/**
 * Instant search over models, sources and (once data/search.js has loaded) columns. Names are
 * lower-cased once; each keystroke is a linear scan with early ranking, cheap even at 100k columns.
 */
import type { IndexNode, SearchColumn } from '../shared/site-data.js';

export interface SearchHit {
  kind: 'model' | 'source' | 'seed' | 'column';
  node: number;
  column?: string;
  /** Classification of a column hit (comma-separated), if any. */
  classes?: string;
  /** Lower is better: exact, prefix, word start, substring, description. */
  score: number;
  label: string;
}

function rank(name: string, q: string): number {
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  const at = name.indexOf(q);
  if (at < 0) return -1;
  const before = name[at - 1];
  return before === '_' || before === '.' || before === ' ' ? 2 : 3;
}

export class SearchIndex {
  private readonly names: string[];
  private readonly summaries: string[];
  private columns?: { node: Int32Array; name: string[]; lower: string[]; classes: Map<number, string> };

  constructor(private readonly nodes: IndexNode[]) {
    this.names = nodes.map((n) => n.name.toLowerCase());
    this.summaries = nodes.map((n) => (n.summary ?? '').toLowerCase());
  }

  get hasColumns(): boolean {
    return this.columns !== undefined;
  }

  addColumns(perNode: SearchColumn[][]): void {
    const total = perNode.reduce((n, c) => n + c.length, 0);
    const node = new Int32Array(total);
    const name: string[] = new Array(total);
    const lower: string[] = new Array(total);
    const classes = new Map<number, string>();
    let k = 0;
    perNode.forEach((cols, i) => {
      for (const c of cols) {
        const n = typeof c === 'string' ? c : c[0];
        if (typeof c !== 'string') classes.set(k, c[1]);
        node[k] = i;
        name[k] = n;
        lower[k] = n.toLowerCase();
        k++;
      }
    });
    this.columns = { node, name, lower, classes };
  }

  search(query: string, limit = 40): SearchHit[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    // Hits go into one bucket per score; a full bucket takes no more, so a query matching
    // 100k columns costs a scan, not a sort of 100k hits.
    const cap = limit * 5;
    const buckets: SearchHit[][] = [[], [], [], [], [], [], [], [], [], [], [], []];
    const put = (hit: SearchHit) => {
      const b = buckets[hit.score * 2]!;
      if (b.length < cap) b.push(hit);
    };
    for (let i = 0; i < this.names.length; i++) {
      let s = rank(this.names[i]!, q);
      if (s < 0 && this.summaries[i]!.includes(q)) s = 5;
      if (s >= 0) {
        const n = this.nodes[i]!;
        put({ kind: n.kind, node: i, score: s, label: n.name });
      }
    }
    const cols = this.columns;
    if (cols) {
      // Column matches rank just after node matches of the same quality.
      for (let k = 0; k < cols.lower.length; k++) {
        const s = rank(cols.lower[k]!, q);
        if (s >= 0 && buckets[s * 2 + 1]!.length < cap) {
          const n = this.nodes[cols.node[k]!]!;
          const classes = cols.classes.get(k);
          put({ kind: 'column', node: cols.node[k]!, column: cols.name[k]!, score: s + 0.5, label: `${n.name}.${cols.name[k]}`, ...(classes ? { classes } : {}) });
        }
      }
    }
    const out: SearchHit[] = [];
    for (const b of buckets) {
      if (out.length >= limit) break;
      b.sort((a, c) => a.label.length - c.label.length || a.label.localeCompare(c.label));
      out.push(...b.slice(0, limit - out.length));
    }
    return out;
  }
}
