/**
 * Stamps of target/'s files as `writeArtifacts` left them, so a nothing-changed compile can tell
 * in one stat per file that target/ still holds its result (a file edited, deleted or left half
 * switched by a killed writer stamps differently, and the writer then compares and rewrites as usual).
 */
import { statSync } from 'node:fs';
import type { FileStamp } from './input-stamp.js';

function stampNow(file: string): FileStamp | undefined {
  try {
    const st = statSync(file);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

/** Stamps of `files` (paths relative to target/). */
export function stampTarget(target: string, files: Iterable<string>): Record<string, FileStamp> {
  const out: Record<string, FileStamp> = {};
  for (const f of files) {
    const s = stampNow(`${target}/${f}`);
    if (s) out[f] = s;
  }
  return out;
}

export function sameTargetFile(target: string, file: string, recorded: FileStamp | undefined): boolean {
  const now = recorded && stampNow(`${target}/${file}`);
  return now !== undefined && now[0] === recorded![0] && now[1] === recorded![1];
}

/** Whether every recorded file of target/ stamps the same now. */
export function sameTarget(target: string, recorded: Record<string, FileStamp>): boolean {
  for (const [file, stamp] of Object.entries(recorded)) if (!sameTargetFile(target, file, stamp)) return false;
  return true;
}
