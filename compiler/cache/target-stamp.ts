/**
 * Stamps of target/'s files as `writeArtifacts` left them, so a nothing-changed compile can tell
 * in one stat per file that target/ still holds its result (a file edited, deleted or left half
 * switched by a killed writer stamps differently, and the writer then compares and rewrites as usual).
 * Like the input stamps (input-stamp.ts) they are one text, a line `file<TAB>size<TAB>mtimeMs` each.
 */
import { statSync } from 'node:fs';
import type { FileStamp } from './input-stamp.js';

function stampNow(file: string): FileStamp | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? [st.size, st.mtimeMs] : undefined;
}

/** Stamps of `files` (paths relative to target/, in the order given; missing files left out). */
export function stampTarget(target: string, files: Iterable<string>): string {
  const lines: string[] = [];
  for (const f of files) {
    const s = stampNow(`${target}/${f}`);
    if (s) lines.push(`${f}\t${s[0]}\t${s[1]}`);
  }
  return lines.join('\n');
}

export function sameTargetFile(target: string, file: string, recorded: FileStamp | undefined): boolean {
  const now = recorded && stampNow(`${target}/${file}`);
  return now !== undefined && now[0] === recorded![0] && now[1] === recorded![1];
}

/** The recorded stamp of one file in a target stamp text. */
export function recordedStamp(text: string, file: string): FileStamp | undefined {
  const found = text.startsWith(`${file}\t`) ? 0 : text.indexOf(`\n${file}\t`);
  if (found < 0) return undefined;
  const at = found === 0 && text.startsWith(`${file}\t`) ? 0 : found + 1;
  const end = text.indexOf('\n', at);
  const [, size, mtime] = text.slice(at, end < 0 ? undefined : end).split('\t');
  return [Number(size), Number(mtime)];
}

/** Whether every recorded file of target/ stamps the same now. */
export function sameTarget(target: string, recorded: string): boolean {
  const files = recorded === '' ? [] : recorded.split('\n').map((line) => line.slice(0, line.indexOf('\t')));
  return stampTarget(target, files) === recorded;
}
