/**
 * `defineSeed`: the typed declaration of a small reference table checked into `seeds/` as CSV.
 * The CSV holds the rows; this declaration (`seeds/<name>.ts`, next to `seeds/<name>.csv`) gives
 * every column its Spark type and classification, as a source table's declaration does.
 */
import type { ColumnBuilder } from './columns.js';

type Columns = Record<string, ColumnBuilder<any>>;

export interface SeedDeclaration<C extends Columns = Columns> {
  /** Name used in `{{ref "name"}}` / `ref('name')`; defaults to the file name. */
  name?: string;
  description?: string;
  owner?: string;
  tags?: string[];
  /** The layer (database and root) the seed's Delta table lives in; default `silver`. */
  layer?: 'silver' | 'gold';
  /** The CSV file, relative to `seeds/`; default `<name>.csv`. */
  csv?: string;
  /** Field delimiter of the CSV; default `,`. */
  delimiter?: string;
  /** Every CSV column, in any order, with its type: the CSV header must name exactly these. */
  columns: C;
}

export const SEED_BRAND = Symbol.for('lakehouse-etl.seed');

export type DefinedSeed<D> = D & { readonly [SEED_BRAND]: true };

/** Declares a seed's columns; the literal column types are kept for generated typings. */
export function defineSeed<const C extends Columns>(def: SeedDeclaration<C>): DefinedSeed<SeedDeclaration<C>> {
  return Object.assign(Object.create(null), def, { [SEED_BRAND]: true as const });
}
