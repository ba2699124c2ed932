/**
 * Watches a project directory (fs.watch, recursive) and hands the session each burst of changed
 * project files, with the time the first change of the burst was seen.
 */
import { watch, type FSWatcher } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Folders and files that are outputs or tooling, never project inputs. */
const IGNORED = /^(target|\.etl|node_modules|\.git|dist)(\/|$)|(^|\/)\.[^/]*$|~$|\.swp$/;

/** The project inputs a path may be (what a compile reads); editors' temporary files have other names. */
const INPUT = /^(project\.ya?ml|(sources|models|macros|tests)\/.+\.(sql|ts|ya?ml|hbs|json)|[^/]+\.ts)$/;

export interface ChangeBurst {
  files: string[];
  /** performance.now() when the first change of the burst was seen. */
  seenAt: number;
}

export interface ProjectWatcher {
  close(): void;
}

/**
 * Calls `onBurst` with the project-relative files changed within `settleMs` of each other (editors
 * write a file in several steps); a burst waits for the previous one's handler to finish.
 */
export function watchProject(projectDir: string, onBurst: (burst: ChangeBurst) => Promise<void>, settleMs = 10): ProjectWatcher {
  let pending = new Set<string>();
  let seenAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const flush = () => {
    timer = undefined;
    const burst = { files: [...pending].sort(), seenAt };
    pending = new Set();
    running = running.then(() => onBurst(burst)).catch(() => undefined);
  };
  const watcher: FSWatcher = watch(projectDir, { recursive: true }, (_event, name) => {
    if (!name) return;
    const file = name.toString().split('\\').join('/');
    if (IGNORED.test(file) || !INPUT.test(file)) return;
    if (pending.size === 0) seenAt = performance.now();
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, settleMs);
  });
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
