/**
 * Generates the reference project's sample data as bronze Parquet.
 *
 *   node --import tsx scripts/generate-sample-data.ts --scale 1 [--seed S] [--out DIR] [--day YYYY-MM-DD] [--increment] [--force]
 *
 * The base batch is extracted on --day at 06:00 UTC; --increment adds the next day's batch (new rows,
 * updates, late and re-extracted records) on top of an existing base generated with the same options.
 * Writes `<out>/expected-dirt.json` listing every planted bad row, per data-quality rule.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSampleData, SAMPLE_TABLES, validateOptions, type SampleOptions } from '../runtime/sample-data/generate.js';
import type { ExpectedDirt } from '../runtime/sample-data/ledger.js';
import { bronzeColumns, prepareBase, SampleDataError, writeBatch, writeExpected } from '../runtime/sample-data/write.js';

const USAGE = `usage: generate-sample-data --scale N [--seed S] [--out DIR] [--day YYYY-MM-DD] [--increment] [--force] [--project DIR]
  --scale N       size multiplier; 1 is about 1,000 orders and 5,000 user events (default 1)
  --seed S        PRNG seed; same seed and options give the same bytes (default lakehouse)
  --out DIR       warehouse root; bronze lands in DIR/bronze (default <project>/data/warehouse)
  --day DAY       base extraction day (default today, UTC)
  --now           extract the base batch at the current time (today, so freshness checks pass)
                  instead of at 06:00 UTC on --day; not reproducible, for demos and the quickstart
  --increment     add the following day's batch to an existing base generated with the same options
  --force         replace bronze data already present for the 9 tables (base batch only)
  --project DIR   project whose sources/*.ts declare the tables (default .)`;

function fail(message: string, hint?: string, code = 1): never {
  process.stderr.write(`error: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        scale: { type: 'string', default: '1' },
        seed: { type: 'string', default: 'lakehouse' },
        out: { type: 'string' },
        day: { type: 'string', default: new Date().toISOString().slice(0, 10) },
        increment: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        now: { type: 'boolean', default: false },
        project: { type: 'string', default: '.' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message, USAGE, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const projectDir = path.resolve(values.project);
  const warehouse = path.resolve(values.out ?? path.join(projectDir, 'data', 'warehouse'));
  const now = new Date();
  const options: SampleOptions = {
    scale: Number(values.scale),
    seed: values.seed,
    day: values.now ? now.toISOString().slice(0, 10) : values.day,
    increment: values.increment,
    ...(values.now ? { extractionMinute: now.getUTCHours() * 60 + now.getUTCMinutes() } : {}),
  };
  if (values.now && values.increment) fail('--now applies to the base batch only', 'generate the increment with the --day of its base', 2);
  try {
    validateOptions(options);
  } catch (err) {
    fail((err as Error).message, USAGE, 2);
  }

  if (options.increment) options.extractionMinute = await checkBaseMatches(warehouse, options);
  else await prepareBase(warehouse, SAMPLE_TABLES, values.force);

  const started = performance.now();
  const data = generateSampleData(options);
  const columns = await bronzeColumns(projectDir);
  // The increment regenerates the base in memory (same seed, same rows) but writes only the new batch.
  const batches = options.increment ? data.batches.filter((b) => b.name === 'increment') : data.batches;
  let files = 0;
  let rows = 0;
  for (const batch of batches) {
    files += (await writeBatch(warehouse, batch, columns)).length;
    for (const r of batch.rows.values()) rows += r.length;
  }
  const expectedFile = await writeExpected(warehouse, data);
  const planted = Object.values(data.expected.rules).reduce((n, r) => n + r.values.length, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stdout.write(
    `${batches.map((b) => b.name).join(' + ')} batch: ${rows} rows in ${files} Parquet files under ${path.join(warehouse, 'bronze')} (${seconds} s)\n` +
      `planted ${planted} bad rows across ${Object.keys(data.expected.rules).length} rules: ${expectedFile}\n`,
  );
}

/** Checks the landed base matches the options; returns its extraction minute so the increment follows it. */
async function checkBaseMatches(warehouse: string, options: SampleOptions): Promise<number> {
  const file = path.join(warehouse, 'expected-dirt.json');
  let previous: ExpectedDirt;
  try {
    previous = JSON.parse(await readFile(file, 'utf8')) as ExpectedDirt;
  } catch {
    fail(`no base batch found (${file} is missing)`, 'generate the base first with the same --seed, --scale and --day, then add --increment');
  }
  if (previous.seed !== options.seed || previous.scale !== options.scale || previous.baseDay !== options.day) {
    fail(
      `the base in ${warehouse} was generated with --seed ${previous.seed} --scale ${previous.scale} --day ${previous.baseDay}`,
      `re-run with those options and --increment (the increment must follow its own base)`,
    );
  }
  const at = new Date(previous.baseExtractedAt);
  return at.getUTCHours() * 60 + at.getUTCMinutes();
}

main().catch((err: unknown) => {
  if (err instanceof SampleDataError) fail(err.message, err.hint);
  throw err;
});
