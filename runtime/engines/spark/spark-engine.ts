/**
 * The local engine: Spark over Thrift, executing plan operations rendered by the Spark dialect.
 * Table state is the Delta log at the table's location (as on EMR, where Glue knows tables before
 * they have data); the metastore is kept in step with it.
 */
import { combinedCountColumn, combinedTestsStatement, dataTestSample, quoteIdent, relationSql, renderOperation, seedTableAs, stringLiteral, typedRowsSql, withQuery, type Statement } from '../../../compiler/emit/spark-dialect.js';
import type { ColumnType, CombinedDataTests, DataTest, Location, Operation, Relation, UnitTest } from '../../../compiler/plan/operations.js';
import type { DataTestRun, Engine, EngineSession, LocationResolver, StatementTiming, TableState, UnitTestRun } from '../engine.js';
import type { SparkSession } from './client.js';
import { CatalogCache } from './catalog-cache.js';
import { describeColumns } from './schema-change.js';
import { deltaLogPresent, latestVersion, rowsOfCommit, rowsWrittenSince } from './delta-log.js';
import { isMergeSelfReadBug, isRtasTruncateBug, mergeViaStaging, replaceTableAs, type WorkaroundContext } from './delta-workarounds.js';
import { isUri } from '../../plan/locations.js';
import { acquireSpark, type AcquireOptions, type SparkEngine } from './engine.js';

/** A statement Spark rejected, with where the user's query sits in it (for error locations). */
export class StatementFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly statement: Statement,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StatementFailed';
  }
}

/** Set once Spark has shown the RTAS bug: the engine does not change within a process. */
let rtasKnownBroken = false;

const isRemote = (path: string) => isUri(path) && !path.startsWith('file:');
const localPath = (path: string) => path.replace(/^file:(\/\/)?/, '');

export class SparkThriftSession implements EngineSession {
  constructor(
    readonly spark: SparkSession,
    private readonly locate: LocationResolver,
    /** Shared by the run's sessions. */
    private readonly catalog: CatalogCache = new CatalogCache(),
  ) {}

  /** Learns the metastore entries of the tables a run will touch, one statement per database. */
  prefetch(relations: Relation[]): Promise<void> {
    return this.catalog.prefetch(this.spark, relations);
  }

  startProfile(): void {
    this.spark.timings = [];
  }

  takeProfile(): StatementTiming[] {
    const taken = this.spark.timings ?? [];
    this.spark.timings = [];
    return taken;
  }

  private async run(statement: Statement): Promise<void> {
    try {
      await this.spark.execute(statement.sql);
    } catch (e) {
      throw e instanceof StatementFailed ? e : new StatementFailed(e, statement);
    }
  }

  async tableState(relation: Relation, location: Location | null): Promise<TableState> {
    if (!location) return { exists: false };
    const path = this.locate(location);
    const entry = await this.catalog.lookup(this.spark, relation);
    let inCatalog = entry.exists;
    // A remote location (no file system here): the catalog entry stands for the Delta log.
    const hasLog = isRemote(path) ? inCatalog : deltaLogPresent(localPath(path));
    if (!hasLog) {
      // The metastore remembers a table whose files were deleted (e.g. data/ was wiped): forget it.
      if (inCatalog) await this.dropEntry(relation);
      return { exists: false };
    }
    if (inCatalog) inCatalog = !(await this.forgetIfElsewhere(relation, path));
    if (!inCatalog) {
      // Files without a catalog entry (a fresh metastore, a plan run elsewhere): register them.
      if (!this.catalog.databaseExists(relation.database)) await this.spark.execute(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(relation.database)}`);
      await this.spark.execute(`CREATE TABLE IF NOT EXISTS ${relationSql(relation)} USING DELTA LOCATION ${stringLiteral(path)}`);
      this.catalog.set(relation, { exists: true, view: false, location: path });
    }
    const version = isRemote(path) ? await this.historyVersion(relation) : latestVersion(localPath(path));
    return { exists: true, version: version ?? -1 };
  }

  tableColumns(relation: Relation): Promise<ColumnType[]> {
    return describeColumns(this.spark, relation);
  }

  private async historyVersion(relation: Relation): Promise<number> {
    const { rows } = await this.spark.query(`DESCRIBE HISTORY ${relationSql(relation)} LIMIT 1`);
    return Number(rows[0]?.version ?? -1);
  }

  private async dropEntry(relation: Relation): Promise<void> {
    await this.spark.execute(`DROP TABLE IF EXISTS ${relationSql(relation)}`);
    this.catalog.set(relation, { exists: false });
  }

  /**
   * Drops the metastore entry (never the files: these tables are external) when it points at
   * another location than the plan's, e.g. after the same plan ran from another directory.
   */
  private async forgetIfElsewhere(relation: Relation, path: string): Promise<boolean> {
    const normal = (p: string) => localPath(p).replace(/\/+$/, '');
    const entry = await this.catalog.lookup(this.spark, relation);
    const registered = entry.exists ? entry.location : undefined;
    if (registered === undefined || normal(registered) === normal(path)) return false;
    await this.dropEntry(relation);
    return true;
  }

  async execute(operation: Operation): Promise<void> {
    if (operation.kind === 'LoadSeed') return this.execute(seedTableAs(operation));
    if (operation.kind === 'CreateDatabase' && this.catalog.databaseExists(operation.database)) return;
    const relation = 'relation' in operation ? operation.relation : undefined;
    try {
      await this.executeOperation(operation);
    } catch (e) {
      if (relation) this.catalog.forget(relation);
      throw e;
    }
    this.learn(operation);
  }

  private async executeOperation(operation: Operation): Promise<void> {
    if (operation.kind === 'RegisterBronze' && (await this.catalog.lookup(this.spark, operation.relation)).exists) await this.forgetIfElsewhere(operation.relation, this.locate(operation.location));
    if (operation.kind === 'CreateOrReplaceTableAs' && rtasKnownBroken) return replaceTableAs(this.workaroundContext(), operation);
    let failure: unknown;
    for (const statement of renderOperation(operation, this.locate)) {
      if (failure !== undefined && !statement.always) continue;
      try {
        await this.run(statement);
      } catch (e) {
        if (failure !== undefined) continue; // the first failure is the one to report
        try {
          await this.workAround(operation, e);
        } catch (unrecovered) {
          failure = unrecovered;
        }
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** What a successful operation left in the metastore. */
  private learn(operation: Operation): void {
    switch (operation.kind) {
      case 'CreateDatabase':
        return this.catalog.setDatabase(operation.database, true);
      case 'CreateOrReplaceTableAs':
      case 'RegisterBronze':
      case 'SnapshotMerge':
        return this.catalog.set(operation.relation, { exists: true, view: false, location: this.locate(operation.location) });
      case 'CreateOrReplaceView':
        return this.catalog.set(operation.relation, { exists: true, view: true });
      default:
        return;
    }
  }

  private workaroundContext(): WorkaroundContext {
    return { session: this.spark, run: (s) => this.run(s), locate: this.locate, hasTable: async (r) => (await this.catalog.lookup(this.spark, r)).exists };
  }

  /** Applies the engine work-around for the error a statement of `operation` raised, or rethrows it. */
  private async workAround(operation: Operation, e: unknown): Promise<void> {
    const cause = e instanceof StatementFailed ? e.cause : e;
    if (operation.kind === 'CreateOrReplaceTableAs' && isRtasTruncateBug(cause)) {
      rtasKnownBroken = true;
      await replaceTableAs(this.workaroundContext(), operation);
    } else if (operation.kind === 'Merge' && isMergeSelfReadBug(cause)) await mergeViaStaging(this.workaroundContext(), operation);
    else throw e;
  }

  /**
   * Sums Delta's own commit metrics over the commits since `before`, so no extra scan is needed:
   * read from the table's log when it is on this machine, else through DESCRIBE HISTORY.
   */
  async rowsWritten(relation: Relation, before: TableState, location?: Location | null): Promise<number | undefined> {
    const since = before.exists ? (before.version ?? -1) : -1;
    const path = location ? this.locate(location) : undefined;
    if (path !== undefined && !isRemote(path)) {
      const fromLog = rowsWrittenSince(localPath(path), since);
      if (fromLog !== undefined) return fromLog;
    }
    let rows: Array<Record<string, unknown>>;
    try {
      rows = (await this.spark.query(`DESCRIBE HISTORY ${relationSql(relation)} LIMIT 50`)).rows;
    } catch {
      return undefined;
    }
    let total = 0;
    for (const commit of rows) {
      if (Number(commit.version) <= since) continue;
      total += rowsOfCommit({ operation: String(commit.operation ?? ''), operationMetrics: (commit.operationMetrics ?? {}) as Record<string, string> });
    }
    return total;
  }

  async runDataTest(test: DataTest, sampleSize: number): Promise<DataTestRun> {
    const statement = dataTestSample(test, sampleSize);
    let rows: Array<Record<string, unknown>>;
    try {
      rows = (await this.spark.query(statement.sql)).rows;
    } catch (e) {
      throw new StatementFailed(e, statement);
    }
    const failures = Number(rows[0]?.etl_failures ?? 0);
    for (const row of rows) delete row.etl_failures;
    return { failures, sample: rows };
  }

  async countFailures(tests: CombinedDataTests): Promise<number[]> {
    const statement = combinedTestsStatement(tests);
    let row: Record<string, unknown> | undefined;
    try {
      row = (await this.spark.query(statement.sql)).rows[0];
    } catch (e) {
      throw new StatementFailed(e, statement);
    }
    return tests.tests.map((_, i) => Number(row?.[combinedCountColumn(i)] ?? Number.NaN));
  }

  async runUnitTest(test: UnitTest): Promise<UnitTestRun> {
    const views: string[] = [];
    const view = async (name: string, statement: Statement) => {
      views.push(name);
      await this.run({ ...statement, sql: `CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(name)} AS\n${statement.sql}`, ...(statement.query ? { query: { ...statement.query, line: statement.query.line + 1 } } : {}) });
    };
    const prefix = test.inputs[0]?.view.replace(/_in0$/, '') ?? 'etl_ut';
    try {
      for (const input of test.inputs) await view(input.view, { sql: typedRowsSql(input.columns, input.rows) });
      const actual = `${prefix}_actual`;
      await view(actual, withQuery('', test.query));
      const described = (await this.spark.query(`DESCRIBE ${quoteIdent(actual)}`)).rows.map((r) => ({ name: String(r.col_name), type: String(r.data_type) }));
      const expectedColumns = [...new Set(test.expect.rows.flatMap((r) => Object.keys(r)))];
      const unknown = expectedColumns.filter((c) => !described.some((d) => d.name === c));
      if (unknown.length) throw new UnitTestSetupError(`expected column(s) ${unknown.join(', ')} are not in the model's output (${described.map((d) => d.name).join(', ')})`);
      const compared = expectedColumns.length ? described.filter((d) => expectedColumns.includes(d.name)) : described;
      const expected = `${prefix}_expected`;
      await view(expected, { sql: typedRowsSql(compared, test.expect.rows) });
      const cols = compared.map((c) => quoteIdent(c.name)).join(', ');
      const diff = (a: string, b: string) => this.spark.query(`SELECT ${cols} FROM ${quoteIdent(a)} EXCEPT ALL SELECT ${cols} FROM ${quoteIdent(b)}`);
      const [missing, unexpected] = await Promise.all([diff(expected, actual), diff(actual, expected)]);
      return { compared: compared.map((c) => c.name), missing: missing.rows, unexpected: unexpected.rows };
    } finally {
      for (const v of views) await this.spark.execute(`DROP VIEW IF EXISTS ${quoteIdent(v)}`).catch(() => {});
    }
  }

  close(): Promise<void> {
    return this.spark.close();
  }
}

/** A unit test that cannot be set up as written (not a Spark failure). */
export class UnitTestSetupError extends Error {}

export class SparkThriftEngine implements Engine {
  private readonly sessions = new Set<SparkThriftSession>();
  /** Sessions opened before the run asked for them (by `prepare`), handed out first. */
  private readonly idle: SparkThriftSession[] = [];
  /** What the metastore holds, shared by this run's sessions. */
  private readonly catalog = new CatalogCache();
  private constructor(
    readonly spark: SparkEngine,
    private readonly locate: LocationResolver,
    private readonly keepRunning: boolean,
  ) {}

  /** Starts Spark, or reuses the warm server; `shared` is an engine a caller keeps running. */
  static async acquire(options: AcquireOptions & { locate: LocationResolver; shared?: SparkEngine }): Promise<SparkThriftEngine> {
    const spark = options.shared ?? (await acquireSpark(options));
    return new SparkThriftEngine(spark, options.locate, options.shared !== undefined);
  }

  get description(): string {
    return `spark-thrift ${this.spark.server.host}:${this.spark.server.port}`;
  }

  get reused(): boolean {
    return this.keepRunning || !this.spark.owned;
  }

  async openSession(): Promise<SparkThriftSession> {
    const ready = this.idle.shift();
    if (ready) return ready;
    const session = new SparkThriftSession(await this.spark.openSession(), this.locate, this.catalog);
    this.sessions.add(session);
    return session;
  }

  /** Learns the metastore entries of the tables the run will touch before any node runs. */
  async prepare(relations: Relation[]): Promise<void> {
    if (!relations.length) return;
    const session = await this.openSession();
    this.idle.push(session);
    await session.prefetch(relations);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.close().catch(() => {})));
    this.sessions.clear();
    if (!this.keepRunning) await this.spark.release();
  }
}

