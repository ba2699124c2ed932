/**
 * Watches a project directory and hands the session each burst of changed project files, with the
 * time the first change of the burst was seen. One fs.watch per directory, set up synchronously, so
 * a change made once `watchProject` returns is seen (Node 20's recursive fs.watch on Linux walks the
 * tree asynchronously and says nothing when it is ready).
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Folders and files that are outputs or tooling, never project inputs. */
const IGNORED = /^(target|\.etl|node_modules|\.git|dist|data)(\/|$)|(^|\/)\.[^/]*$|~$|\.swp$/;

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
  const watchers = new Map<string, FSWatcher>();
  const flush = () => {
    timer = undefined;
    const burst = { files: [...pending].sort(), seenAt };
    pending = new Set();
    running = running.then(() => onBurst(burst)).catch(() => undefined);
  };
  const changed = (file: string) => {
    if (IGNORED.test(file)) return;
    if (!watchers.has(file) && isDirectory(path.join(projectDir, file))) watchTree(file);
    if (!INPUT.test(file)) return;
    if (pending.size === 0) seenAt = performance.now();
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, settleMs);
  };
  const watchTree = (rel: string) => {
    const abs = path.join(projectDir, rel);
    try {
      watchers.set(rel, watch(abs, (_event, name) => name && changed(rel ? `${rel}/${name.toString()}` : name.toString())));
      for (const e of readdirSync(abs, { withFileTypes: true })) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory() && !IGNORED.test(child)) watchTree(child);
      }
    } catch {
      /* removed meanwhile */
    }
  };
  watchTree('');
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
    },
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
