/**
 * The one place that decides whether a path belongs under target/. Every artifact path the
 * compiler derives from a model, test or source name, and every entry read back from the
 * artifacts index, goes through `underTarget`: resolved against target/ and checked by prefix, so
 * a name or an index entry holding `../` (or an absolute path) can never make a compile write or
 * delete outside target/.
 */
import path from 'node:path';

/** A user-facing artifact problem: what, where, how to fix. Printed by the CLI without a stack trace. */
export class ArtifactError extends Error {
  /** oclif reads these when the error reaches the command's top level. */
  readonly oclif: { exit: number };
  readonly suggestions: string[];
  constructor(message: string, hint: string, exit = 1) {
    super(message);
    this.name = 'Error';
    this.oclif = { exit };
    this.suggestions = [hint];
  }
}

/** `abs` when it lies strictly inside `root` (both resolved), else undefined. */
export function insideDir(root: string, candidate: string): string | undefined {
  const base = path.resolve(root);
  const abs = path.resolve(base, candidate);
  return abs.startsWith(base + path.sep) ? abs : undefined;
}

/** The folders under target/ that the artifact writer owns (and may prune). */
export const OWNED_DIRS = ['compiled', 'run', 'tests', 'ingestion'] as const;

/**
 * Resolves an artifact path (relative to target/) and proves it stays inside one of the folders the
 * writer owns (so a name cannot reach manifest.json or the run state either); `what` names the node
 * it was derived from, for the error. Returns the normalised relative path.
 */
export function underTarget(target: string, rel: string, what: string): string {
  const owned = OWNED_DIRS.some((dir) => insideDir(path.join(target, dir), path.join('..', rel)) !== undefined);
  if (!owned || rel.includes('\0') || path.isAbsolute(rel)) {
    throw new ArtifactError(
      `${what}: its artifact path '${rel}' resolves outside target/${OWNED_DIRS.join('|')}/ (${path.resolve(target, rel)}); nothing was written.`,
      `Rename it so its name has no path separators or '..' (letters, digits and underscores are safe).`,
    );
  }
  return path.relative(target, path.resolve(target, rel)).split(path.sep).join('/');
}

/** Whether an entry read back from the index is a path the writer may touch (never throws). */
export function isOwnedEntry(target: string, rel: unknown): rel is string {
  if (typeof rel !== 'string') return false;
  try {
    return underTarget(target, rel, 'index entry') === rel;
  } catch {
    return false;
  }
}

/** The artifact path of a manifest entry (`target/compiled/...`), relative to target/, checked. */
export function targetRelative(target: string, manifestPath: string, what: string): string {
  if (!manifestPath.startsWith('target/')) {
    throw new ArtifactError(`${what}: its artifact path '${manifestPath}' is not under target/; nothing was written.`, 'Compile again; if it persists, report it: the compiler derived a bad path.');
  }
  return underTarget(target, manifestPath.slice('target/'.length), what);
}
