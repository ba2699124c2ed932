import { defineSeed, t } from 'lakehouse-etl';

/** ISO 3166 country codes and the ISO 4217 currency each one invoices in. */
export default defineSeed({
  description: 'Country (ISO 3166-1 alpha-2) to currency (ISO 4217) and whether the country is in the euro area.',
  owner: 'finance',
  columns: {
    country_code: t.string().primaryKey().describe('ISO 3166-1 alpha-2, upper case.'),
    country_name: t.string().notNull(),
    currency_code: t.string().notNull().describe('ISO 4217 code.'),
    euro_area: t.boolean().notNull(),
  },
});
