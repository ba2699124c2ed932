/**
 * Site data in the browser: the index (loaded by index.html before the app) and node details,
 * fetched a chunk at a time by adding a <script> (works from file://, where fetch() does not).
 */
import type { GovernanceData } from '../shared/governance-data.js';
import { decodeIndex, type WireIndex } from '../shared/index-codec.js';
import { DOCS_GLOBAL, type ChunkData, type IndexNode, type NodeDetail, type PiiGoldColumn, type SearchColumn, type SiteIndex, type TestRow } from '../shared/site-data.js';

interface DocsGlobal {
  chunk(data: ChunkData): void;
  search(columns: SearchColumn[][]): void;
  tests(rows: TestRow[]): void;
  pii(rows: PiiGoldColumn[]): void;
  governance(data: GovernanceData): void;
  /** Chunk numbers loaded so far (read by tests to check that pages stay lazy). */
  loadedChunks: number[];
}

declare global {
  interface Window {
    __etlDocsIndex?: WireIndex;
    __etlDocs: DocsGlobal;
    __etlDocsReady?: { route: string; at: number };
  }
}

export class Store {
  readonly index: SiteIndex;
  readonly nodes: IndexNode[];
  private readonly byId: Map<string, number>;
  private readonly details = new Map<string, NodeDetail>();
  private readonly chunks = new Map<number, Promise<void>>();
  private readonly chunkDone = new Map<number, () => void>();
  private searchColumnsPromise?: Promise<SearchColumn[][]>;
  private searchResolve?: (cols: SearchColumn[][]) => void;
  private testsPromise?: Promise<TestRow[]>;
  private testsResolve?: (rows: TestRow[]) => void;
  private piiPromise?: Promise<PiiGoldColumn[]>;
  private piiResolve?: (rows: PiiGoldColumn[]) => void;
  private governancePromise?: Promise<GovernanceData>;
  private governanceResolve?: (data: GovernanceData) => void;

  constructor(wire: WireIndex) {
    const index = decodeIndex(wire);
    this.index = index;
    this.nodes = index.nodes;
    this.byId = new Map(index.nodes.map((n, i) => [n.id, i]));
    const global: DocsGlobal = {
      chunk: (data) => {
        for (const d of data.nodes) this.details.set(d.id, d);
        global.loadedChunks.push(data.chunk);
        this.chunkDone.get(data.chunk)?.();
      },
      search: (cols) => this.searchResolve?.(cols),
      tests: (rows) => this.testsResolve?.(rows),
      pii: (rows) => this.piiResolve?.(rows),
      governance: (data) => this.governanceResolve?.(data),
      loadedChunks: [],
    };
    (window as unknown as Record<string, unknown>)[DOCS_GLOBAL] = global;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }
  node(id: string): IndexNode | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.nodes[i];
  }

  private loadScript(src: string, onError: (err: Error) => void): void {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onerror = () => onError(new Error(`could not load ${src}; regenerate the site with \`etl docs generate\``));
    document.head.appendChild(s);
  }

  private loadChunk(chunk: number): Promise<void> {
    let p = this.chunks.get(chunk);
    if (!p) {
      p = new Promise<void>((resolve, reject) => {
        this.chunkDone.set(chunk, resolve);
        this.loadScript(`data/chunk-${chunk}.js`, reject);
      });
      this.chunks.set(chunk, p);
    }
    return p;
  }

  async detail(id: string): Promise<NodeDetail | undefined> {
    const cached = this.details.get(id);
    if (cached) return cached;
    const n = this.node(id);
    if (!n) return undefined;
    await this.loadChunk(n.chunk);
    return this.details.get(id);
  }

  detailNow(id: string): NodeDetail | undefined {
    return this.details.get(id);
  }

  async detailsOf(ids: Iterable<string>): Promise<void> {
    const chunks = new Set<number>();
    for (const id of ids) {
      const n = this.node(id);
      if (n && !this.details.has(id)) chunks.add(n.chunk);
    }
    await Promise.all([...chunks].map((c) => this.loadChunk(c)));
  }

  /** Column names per node, for search; loaded once, on first use. */
  searchColumns(): Promise<SearchColumn[][]> {
    this.searchColumnsPromise ??= new Promise<SearchColumn[][]>((resolve, reject) => {
      this.searchResolve = resolve;
      this.loadScript('data/search.js', reject);
    });
    return this.searchColumnsPromise;
  }

  /** Every test with its status (only the tests page asks for this). */
  allTests(): Promise<TestRow[]> {
    this.testsPromise ??= new Promise<TestRow[]>((resolve, reject) => {
      this.testsResolve = resolve;
      this.loadScript('data/tests.js', reject);
    });
    return this.testsPromise;
  }

  /** Gold columns derived from PII (only the PII page asks for this). */
  piiGold(): Promise<PiiGoldColumn[]> {
    this.piiPromise ??= new Promise<PiiGoldColumn[]>((resolve, reject) => {
      this.piiResolve = resolve;
      this.loadScript('data/pii.js', reject);
    });
    return this.piiPromise;
  }

  /** Policy, exposures, access matrix and erasure plans (only the governance page asks for this). */
  governance(): Promise<GovernanceData> {
    this.governancePromise ??= new Promise<GovernanceData>((resolve, reject) => {
      this.governanceResolve = resolve;
      this.loadScript('data/governance.js', reject);
    });
    return this.governancePromise;
  }
}
