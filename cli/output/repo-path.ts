/**
 * Paths as CI systems want them: relative to the repository root (GitHub annotations and SARIF are
 * matched against the checked-out tree), not to the project directory, which may sit in a sub-folder.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The project directory relative to `git rev-parse --show-toplevel`, with `/` separators: '' when the
 * project is the repository root, or when it is not in a git work tree (then the project directory
 * is the root paths are relative to).
 */
export function projectPrefix(projectDir: string): string {
  return repoRoot(projectDir).prefix;
}

/** The root paths are relative to (the git top level, else the project) and the project's prefix under it. */
export function repoRoot(projectDir: string): { root: string; prefix: string } {
  const project = path.resolve(projectDir);
  let top = '';
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* not a git work tree, or no git: paths stay relative to the project */
  }
  if (!top) return { root: project, prefix: '' };
  const rel = path.relative(realpathSync(top), realpathSync(project));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { root: project, prefix: '' };
  return { root: realpathSync(top), prefix: rel.split(path.sep).join('/') };
}

/** A project-relative file as a repository-relative, `/`-separated path. */
export function repoPath(prefix: string, file: string): string {
  const posix = file.split(path.sep).join('/');
  return prefix ? path.posix.join(prefix, posix) : path.posix.normalize(posix);
}
