/**
 * A HiveServer2 (Spark Thrift Server) session through `hive-driver`. One connection per session:
 * the server serves one request at a time per connection, so parallel models each get their own.
 * Auth is NOSASL on both sides (the launcher starts the server that way): a mismatch hangs in openSession.
 */
import hive from 'hive-driver';
import { parseSparkError, SparkSqlError } from './errors.js';

const { TCLIService, TCLIService_types: T } = hive.thrift;

export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: Record<string, unknown>[];
}

/**
 * One statement's timing when a session is profiled (`--profile`, `ETL_PROFILE=1`): `statement` is
 * its first line, shortened; `ms` the wall time from sending it to having its rows, of which `runMs`
 * until Spark reported it finished (submit and polling) and `fetchMs` fetching the rows.
 */
export type { StatementTiming } from '../engine.js';
import type { StatementTiming } from '../engine.js';

const statementLabel = (sql: string) => {
  const line = sql.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
};

/** Minimal view of hive-driver's operation object (its typings are loose). */
interface Operation {
  status(progress?: boolean): Promise<{ operationState: number; errorMessage?: string | null; sqlState?: string | null }>;
  fetch(): Promise<unknown>;
  hasMoreRows(): boolean;
  getSchema(): { columns: Array<{ columnName: string; typeDesc: { types: Array<{ primitiveEntry?: { type: number } }> } }> } | null;
  close(): Promise<unknown>;
  setMaxRows(n: number): void;
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(T.TTypeId as Record<string, number>).map(([name, id]) => [id, name.replace(/_TYPE$/, '').toLowerCase()]),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SparkSession {
  private closed = false;
  /** When set, every statement's timing is appended here (the runner takes them per node). */
  timings: StatementTiming[] | undefined;
  /** Rejects when the connection drops: hive-driver would leave in-flight calls pending forever. */
  private readonly lost: Promise<never>;

  private constructor(
    private readonly client: InstanceType<typeof hive.HiveClient>,
    private readonly session: { executeStatement(sql: string, o: object): Promise<Operation>; close(): Promise<unknown> },
    private readonly utils: InstanceType<typeof hive.HiveUtils>,
  ) {
    this.lost = new Promise<never>((_, reject) => {
      const fail = () => {
        this.closed = true;
        reject(new Error('Lost the connection to Spark (did the Spark Thrift Server stop?)'));
      };
      client.on('close', fail);
      client.on('error', fail);
    });
    this.lost.catch(() => {});
  }

  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.lost]);
  }

  static async open(host: string, port: number, connectTimeoutMs = 10_000): Promise<SparkSession> {
    const client = new hive.HiveClient(TCLIService, T);
    // Network errors surface asynchronously on the client; keep them from crashing the process.
    client.on('error', () => {});
    await client.connect(
      { host, port, options: { connect_timeout: connectTimeoutMs } as never },
      new hive.connections.TcpConnection(),
      new hive.auth.NoSaslAuthentication(),
    );
    const session = await withTimeout(
      client.openSession({ client_protocol: T.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 }),
      connectTimeoutMs,
      `Spark at ${host}:${port} accepted the connection but did not open a session (auth mismatch?)`,
    );
    return new SparkSession(client, session as never, new hive.HiveUtils(T));
  }

  /** Runs one statement and returns its rows (empty for DDL/DML). Throws SparkSqlError on failure. */
  async query(sql: string): Promise<QueryResult> {
    // hive-driver never settles a call on a closed connection: refuse instead of hanging.
    if (this.closed) throw new Error('Spark session is closed');
    const t0 = performance.now();
    let ran = t0;
    let rowCount = 0;
    let failed = false;
    let op: Operation;
    try {
      op = await this.guard(this.session.executeStatement(sql, { runAsync: true }));
    } catch (e) {
      this.timings?.push({ statement: statementLabel(sql), ms: performance.now() - t0, runMs: performance.now() - t0, fetchMs: 0, rows: 0, failed: true });
      throw toSparkError(e, sql);
    }
    try {
      await this.waitFinished(op, sql);
      ran = performance.now();
      op.setMaxRows(10_000);
      do await this.guard(op.fetch());
      while (op.hasMoreRows());
      const schema = op.getSchema();
      const rows = (this.utils.getResult(op as never).getValue() ?? []) as Record<string, unknown>[];
      const columns = (schema?.columns ?? []).map((c) => ({
        name: c.columnName,
        type: TYPE_NAMES[c.typeDesc.types[0]?.primitiveEntry?.type ?? -1] ?? 'unknown',
      }));
      rowCount = rows.length;
      return { columns, rows };
    } catch (e) {
      failed = true;
      throw toSparkError(e, sql);
    } finally {
      if (!this.closed) await this.guard(op.close()).catch(() => {});
      if (this.timings) {
        const end = performance.now();
        if (failed && ran === t0) ran = end;
        this.timings.push({ statement: statementLabel(sql), ms: round(end - t0), runMs: round(ran - t0), fetchMs: round(end - ran), rows: rowCount, ...(failed ? { failed: true as const } : {}) });
      }
    }
  }

  async execute(sql: string): Promise<void> {
    await this.query(sql);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.session.close().catch(() => {});
    try {
      await this.client.close();
    } catch {
      // already closed
    }
  }

  /** Polls with a short back-off (hive-driver's own helper polls in a tight loop). */
  private async waitFinished(op: Operation, sql: string): Promise<void> {
    let delay = 5;
    for (;;) {
      const status = await this.guard(op.status(false));
      switch (status.operationState) {
        case T.TOperationState.FINISHED_STATE:
          return;
        case T.TOperationState.INITIALIZED_STATE:
        case T.TOperationState.PENDING_STATE:
        case T.TOperationState.RUNNING_STATE:
          await sleep(delay);
          delay = Math.min(delay * 2, 100);
          continue;
        default:
          throw new SparkSqlError(
            parseSparkError(status.errorMessage ?? `operation ended in state ${status.operationState}`, status.sqlState),
            sql,
          );
      }
    }
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function toSparkError(e: unknown, sql: string): Error {
  if (e instanceof SparkSqlError) return e;
  const err = e as { message?: string; response?: { errorMessage?: string; sqlState?: string } };
  const raw = err.response?.errorMessage || err.message || String(e);
  return new SparkSqlError(parseSparkError(raw, err.response?.sqlState), sql);
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
