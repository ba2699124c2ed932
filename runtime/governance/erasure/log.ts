/**
 * The erasure log: append-only JSON lines under `.etl/erasure/log.jsonl`, one line per table acted
 * on. The subject appears only as an HMAC-SHA256 of `key=value` under the project's erasure salt
 * (ETL_ERASURE_SALT, else a random salt kept in `.etl/erasure/salt`, readable by its owner only), so
 * the log proves which request was honoured without keeping who it was about.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ERASURE_DIR = join('.etl', 'erasure');

export const ErasureLogEntrySchema = z
  .object({
    at: z.string(),
    requestId: z.string(),
    subject: z.object({ key: z.string(), kinds: z.array(z.string()), hash: z.string() }).strict(),
    node: z.string(),
    relation: z.string(),
    action: z.enum(['rewrite-files', 'delete', 'rebuild']),
    rowsRemoved: z.number().int().min(0),
    filesRewritten: z.number().int().min(0).optional(),
    versionsVacuumed: z.number().int().min(0).optional(),
  })
  .strict();
export type ErasureLogEntry = z.infer<typeof ErasureLogEntrySchema>;

function salt(projectDir: string): string {
  const fromEnv = process.env.ETL_ERASURE_SALT;
  if (fromEnv) return fromEnv;
  const dir = join(projectDir, ERASURE_DIR);
  const file = join(dir, 'salt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const created = randomBytes(32).toString('hex');
  writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
  return created;
}

/** The subject as the log keeps it: HMAC-SHA256 of `key=value` under the project's erasure salt. */
export function subjectHash(projectDir: string, key: string, value: string): string {
  return createHmac('sha256', salt(projectDir)).update(`${key}=${value}`).digest('hex');
}

export const erasureLogFile = (projectDir: string) => join(projectDir, ERASURE_DIR, 'log.jsonl');

export function appendErasureLog(projectDir: string, entries: ErasureLogEntry[]): string {
  const file = erasureLogFile(projectDir);
  mkdirSync(join(projectDir, ERASURE_DIR), { recursive: true });
  if (entries.length) appendFileSync(file, entries.map((e) => `${JSON.stringify(ErasureLogEntrySchema.parse(e))}\n`).join(''));
  return file;
}
