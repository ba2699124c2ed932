import { arg, defineTest } from 'lakehouse-etl';

/** Rows whose column is not an upper-case code of `length` letters (ISO 3166 countries: 2, ISO 4217 currencies: 3). */
export default defineTest({
  description: 'The column holds an upper-case ISO code of the given length.',
  args: { length: arg.number() },
  sql: ({ model, column, args, literal }) => `SELECT t.*\nFROM ${model} AS t\nWHERE ${column} IS NOT NULL\n  AND NOT (${column} RLIKE ${literal(`^[A-Z]{${args.length}}$`)})`,
});
