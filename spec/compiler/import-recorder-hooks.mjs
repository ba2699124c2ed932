// Module hooks (node:module register): every module loaded, by URL, one a line, appended to the
// file named by ETL_SPEC_IMPORTS. Registered before anything else, so hooks registered later (tsx)
// run first and hand each load on to this one.
import { appendFileSync } from 'node:fs';

const out = process.env.ETL_SPEC_IMPORTS;

export async function load(url, context, nextLoad) {
  if (out) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
