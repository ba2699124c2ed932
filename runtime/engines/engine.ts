/**
 * The one engine contract the runner knows (Kysely's Dialect/Driver, Dataform's adapter): open a
 * session, read a table's state, execute a plan operation, count the rows it wrote, run a test.
 * Local Spark over Thrift implements it in TypeScript (spark/spark-engine.ts); on EMR the step
 * driver (runtime/aws/driver/etl_driver.py) implements the same calls in Python over the same
 * operation JSON. Engine-specific work-arounds live inside an implementation, behind the operation
 * they serve.
 */
import type { ColumnType, CombinedDataTests, DataTest, Location, Operation, Relation, UnitTest } from '../../compiler/plan/operations.js';

/** What the engine knows of a model's table before it runs. */
export interface TableState {
  exists: boolean;
  /** Latest Delta version, when the table exists (rows written are counted from there). */
  version?: number;
}

export interface DataTestRun {
  failures: number;
  /** At most `sampleSize` failing rows. */
  sample: Array<Record<string, unknown>>;
}

export interface UnitTestRun {
  /** Columns compared. */
  compared: string[];
  /** Expected rows the model did not produce, and rows it produced that were not expected. */
  missing: Array<Record<string, unknown>>;
  unexpected: Array<Record<string, unknown>>;
}

/** One statement's timing, when a run is profiled. */
export interface StatementTiming {
  statement: string;
  ms: number;
  runMs: number;
  fetchMs: number;
  rows: number;
  failed?: true;
}

export interface EngineSession {
  /** Profiling (`--profile`, `ETL_PROFILE=1`): start recording statement timings, and take those recorded since. */
  startProfile?(): void;
  takeProfile?(): StatementTiming[];
  tableState(relation: Relation, location: Location | null): Promise<TableState>;
  /** An existing table's columns as the catalog has them (`on_schema_change`, runtime/runner/schema-change.ts). */
  tableColumns?(relation: Relation): Promise<ColumnType[]>;
  execute(operation: Operation): Promise<void>;
  /** Rows the operations since `state` wrote (Delta commit metrics); undefined when unknown. */
  rowsWritten(relation: Relation, state: TableState, location?: Location | null): Promise<number | undefined>;
  runDataTest(test: DataTest, sampleSize: number): Promise<DataTestRun>;
  /** Failing-row counts of tests sharing one scan, in the operation's order (exact, except a non-zero `duplicates`). */
  countFailures?(tests: CombinedDataTests): Promise<number[]>;
  runUnitTest(test: UnitTest): Promise<UnitTestRun>;
  close(): Promise<void>;
}

export interface Engine {
  /** For messages: `spark-thrift 127.0.0.1:10000`. */
  readonly description: string;
  /** True when the engine was reused rather than started by this run. */
  readonly reused: boolean;
  openSession(): Promise<EngineSession>;
  /** Learns, in as few statements as it can, what the catalog holds of the tables a run will touch. */
  prepare?(relations: Relation[]): Promise<void>;
  /** Closes the sessions; stops the engine if this run started it. */
  close(): Promise<void>;
}

/** Resolves plan locations for the target the plan runs on (see runtime/plan/locations.ts). */
export type LocationResolver = (location: Location) => string;
