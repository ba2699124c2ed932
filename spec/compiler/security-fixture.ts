/** A fixture project copied to a temp dir with some files replaced (null deletes), for the safety specs. */
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from './helpers.js';

export function projectCopy(name: string, files: Record<string, string | null> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'etl-safety-'));
  cpSync(fixture(name), dir, { recursive: true, filter: (src) => !/[/\\](target|\.etl)$/.test(src) });
  for (const [file, text] of Object.entries(files)) {
    const abs = path.join(dir, file);
    if (text === null) rmSync(abs, { force: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }
  return dir;
}

/** The shop source of the unknown-var fixture with its connection auth and tables replaced. */
export const shopSource = (auth: string, tables: string, extra = '') => `import { defineSource, env, t } from 'lakehouse-etl';

export default defineSource({
  name: 'shop',
  system: 'snowflake',
  connection: {
    account: 'acme',
    warehouse: 'WH',
    database: 'RAW',
    schema: 'PUBLIC',${extra}
    auth: ${auth},
  },
  tables: {
${tables}
  },
});
`;

export const ORDERS_TABLE = `    orders: {
      table: 'ORDERS',
      columns: { order_id: t.string().primaryKey(), customer_id: t.string(), amount: t.decimal(18, 2), is_active: t.boolean(), order_date: t.date() },
    },`;
