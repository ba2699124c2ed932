import { defineSeed, t } from 'lakehouse-etl';

/** The product categories the business sells in; stg_product_catalog flags products outside them. */
export default defineSeed({
  description: 'Accepted product categories (lower-case labels, as stg_product_catalog normalises them) and their department.',
  owner: 'merchandising',
  columns: {
    category: t.string().primaryKey().describe('Category label, lower-case.'),
    department: t.string().notNull().describe('Department that owns the category.'),
  },
});
