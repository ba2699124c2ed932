/**
 * What the metastore holds, learnt once per run: whether each table the run touches is registered
 * and at which location, and which databases exist. One `SHOW TABLE EXTENDED IN db LIKE 'a|b|...'`
 * per database answers for every table of the run (it reads the metastore only, never a Delta log);
 * the run's own operations keep it current, and a relation whose operation failed is asked again.
 * Without it every model paid SHOW TABLES twice, DESCRIBE TABLE EXTENDED and CREATE DATABASE.
 */
import { quoteIdent, stringLiteral } from '../../../compiler/emit/spark-dialect.js';
import type { Relation } from '../../../compiler/plan/operations.js';
import type { SparkSession } from './client.js';
import { SparkSqlError } from './errors.js';

/** A metastore entry: absent, a view, or a table registered at `location` (when Spark shows one). */
export type CatalogEntry = { exists: false } | { exists: true; view: boolean; location?: string };

const key = (r: Relation) => `${r.database}.${r.table}`.toLowerCase();
/** Names a LIKE pattern can list as they are (`|` separates alternatives, `*` is a wildcard). */
const PLAIN_NAME = /^[A-Za-z0-9_]+$/;

const isMissingDatabase = (e: unknown) => e instanceof SparkSqlError && /SCHEMA_NOT_FOUND|DATABASE_NOT_FOUND|NoSuchDatabase|not found/i.test(`${e.info.errorClass ?? ''} ${e.message}`);

/** The entry of one row of SHOW TABLE EXTENDED (its `information` text has one `Key: value` per line). */
function entryOf(row: Record<string, unknown>): CatalogEntry {
  const info = String(row.information ?? '');
  const field = (name: string) => info.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
  const location = field('Location');
  return { exists: true, view: field('Type') === 'VIEW', ...(location !== undefined ? { location } : {}) };
}

export class CatalogCache {
  private readonly tables = new Map<string, CatalogEntry>();
  private readonly databases = new Map<string, boolean>();

  /** Learns the entries of `relations`, one statement per database. */
  async prefetch(session: SparkSession, relations: Relation[]): Promise<void> {
    const byDatabase = new Map<string, Relation[]>();
    for (const r of relations) if (PLAIN_NAME.test(r.table) && !this.tables.has(key(r))) (byDatabase.get(r.database) ?? byDatabase.set(r.database, []).get(r.database)!).push(r);
    for (const [database, rels] of byDatabase) {
      const names = [...new Set(rels.map((r) => r.table.toLowerCase()))];
      for (let i = 0; i < names.length; i += 200) await this.list(session, database, names.slice(i, i + 200));
    }
  }

  /** The entry of one relation: from what the run knows, else asked from Spark. */
  async lookup(session: SparkSession, r: Relation): Promise<CatalogEntry> {
    const known = this.tables.get(key(r));
    if (known) return known;
    await this.list(session, r.database, [r.table]);
    return this.tables.get(key(r)) ?? { exists: false };
  }

  private async list(session: SparkSession, database: string, tables: string[]): Promise<void> {
    // Spark reads each `|`-separated part as a case-insensitive Java regex with `*` for `.*`: other names are quoted.
    const pattern = tables.length === 1 && !PLAIN_NAME.test(tables[0]!) ? `\\Q${tables[0]!.replace(/[*|]|\\E/g, '')}\\E` : tables.join('|');
    let rows: Array<Record<string, unknown>>;
    try {
      rows = (await session.query(`SHOW TABLE EXTENDED IN ${quoteIdent(database)} LIKE ${stringLiteral(pattern)}`)).rows;
    } catch (e) {
      if (!isMissingDatabase(e)) throw e;
      this.databases.set(database.toLowerCase(), false);
      for (const t of tables) this.tables.set(key({ database, table: t }), { exists: false });
      return;
    }
    this.databases.set(database.toLowerCase(), true);
    for (const t of tables) this.tables.set(key({ database, table: t }), { exists: false });
    for (const row of rows) {
      if (row.isTemporary === true || row.isTemporary === 'true') continue;
      this.tables.set(key({ database, table: String(row.tableName ?? '') }), entryOf(row));
    }
  }

  /** True when the run knows the database exists (so CREATE DATABASE IF NOT EXISTS can be skipped). */
  databaseExists(database: string): boolean {
    return this.databases.get(database.toLowerCase()) === true;
  }

  setDatabase(database: string, exists: boolean): void {
    this.databases.set(database.toLowerCase(), exists);
  }

  set(r: Relation, entry: CatalogEntry): void {
    this.tables.set(key(r), entry);
    if (entry.exists) this.setDatabase(r.database, true);
  }

  /** Unknown again: the next lookup asks Spark (after a failed operation left it in doubt). */
  forget(r: Relation): void {
    this.tables.delete(key(r));
  }
}
