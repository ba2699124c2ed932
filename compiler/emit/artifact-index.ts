/**
 * `target/.artifacts-index.json`: what the artifact writer owns under target/, with the content hash
 * of every file and of manifest.json and plan.json. It is written last, after the switch, so a
 * reader can check that what it reads comes from one compile (`verifyTarget`); while a compile is
 * switching, the index lists every file it may leave behind (so a killed compile's files are pruned
 * by the next one) with an empty hash, and verification fails until the switch is done.
 *
 * Entries read back are paths the writer will delete: any entry that does not resolve inside a
 * folder the writer owns is dropped (an index entry with `../` once made a compile delete files
 * outside target/).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isOwnedEntry } from './artifact-paths.js';

export const INDEX_FILE = '.artifacts-index.json';
export const INDEX_VERSION = 2;

export interface ArtifactIndex {
  indexVersion: typeof INDEX_VERSION;
  /** Hash of manifest.json and plan.json as written by the same compile; '' while switching. */
  manifest: string;
  plan: string;
  /** Path relative to target/ (always `/`-separated) -> content hash ('' while switching). */
  files: Record<string, string>;
}

export const hashOf = (text: string | Buffer) => createHash('sha1').update(text).digest('base64url');

/**
 * The index on disk, with every entry outside the owned folders dropped; undefined when there is
 * none or it is unreadable (the writer then starts its folders clean). Reads the flat
 * `{ path: hash }` index of earlier versions too.
 */
export function readIndex(target: string): ArtifactIndex | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(target, INDEX_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const obj = raw as Record<string, unknown>;
  const v2 = obj.indexVersion === INDEX_VERSION && obj.files && typeof obj.files === 'object';
  const entries = Object.entries((v2 ? obj.files : obj) as Record<string, unknown>);
  const files: Record<string, string> = {};
  for (const [file, hash] of entries) if (typeof hash === 'string' && isOwnedEntry(target, file)) files[file] = hash;
  return {
    indexVersion: INDEX_VERSION,
    manifest: v2 && typeof obj.manifest === 'string' ? obj.manifest : '',
    plan: v2 && typeof obj.plan === 'string' ? obj.plan : '',
    files,
  };
}

function hashFile(file: string): string | undefined {
  try {
    return hashOf(readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * Checks that target/ holds one compile's output: manifest.json, plan.json and every indexed file
 * match their hashes. Problems are listed by path; an empty list means consistent.
 */
export function verifyTarget(target: string): string[] {
  const index = readIndex(target);
  if (!index) return [`${INDEX_FILE} is missing or unreadable`];
  const problems: string[] = [];
  for (const name of ['manifest', 'plan'] as const) {
    if (!index[name] || hashFile(path.join(target, `${name}.json`)) !== index[name]) problems.push(`${name}.json`);
  }
  for (const [file, hash] of Object.entries(index.files)) {
    if (!hash || hashFile(path.join(target, file)) !== hash) problems.push(file);
  }
  return problems;
}
