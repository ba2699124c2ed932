// Every `etl` command: its id and the module defining it. Explicit rather than globbed (the list is
// reviewable), and lazy: a command's module (and all it imports) loads only when that command runs.
// `etl --help` reads flags and summaries from the manifest the build writes (dist/oclif.manifest.json).
// Adding a command: one line here, e.g. `dev: () => import('./commands/dev.js'),`.
import { lazyCommands, type CommandModule } from './lazy-commands.js';

export const COMMAND_MODULES = {
  clean: () => import('./commands/clean.js'),
  compile: () => import('./commands/compile.js'),
  dev: () => import('./commands/dev.js'),
  lsp: () => import('./commands/lsp.js'),
  diff: () => import('./commands/diff.js'),
  'env:drop': () => import('./commands/env/drop.js'),
  'grants:show': () => import('./commands/grants/show.js'),
  'grants:apply': () => import('./commands/grants/apply.js'),
  'infra:generate': () => import('./commands/infra/generate.js'),
  'infra:deploy': () => import('./commands/infra/deploy.js'),
  debug: () => import('./commands/debug.js'),
  lineage: () => import('./commands/lineage.js'),
  ls: () => import('./commands/ls.js'),
  'docs:generate': () => import('./commands/docs/generate.js'),
  'docs:serve': () => import('./commands/docs/serve.js'),
  build: () => import('./commands/build.js'),
  test: () => import('./commands/test.js'),
  seed: () => import('./commands/seed.js'),
  'spark:start': () => import('./commands/spark/start.js'),
  'spark:stop': () => import('./commands/spark/stop.js'),
  'spark:status': () => import('./commands/spark/status.js'),
  ingest: () => import('./commands/ingest.js'),
  status: () => import('./commands/status.js'),
  init: () => import('./commands/init.js'),
  show: () => import('./commands/show.js'),
  intervals: () => import('./commands/intervals.js'),
  'diff-data': () => import('./commands/diff-data.js'),
  restore: () => import('./commands/restore.js'),
  replicate: () => import('./commands/replicate.js'),
  'retention:run': () => import('./commands/retention/run.js'),
  erase: () => import('./commands/erase.js'),
} satisfies Record<string, CommandModule>;

/** What oclif runs (the explicit strategy's target in the compiled build). */
export const COMMANDS = lazyCommands(COMMAND_MODULES);
