// Every `etl` command, by its id. Explicit rather than globbed: faster start-up, and the list is reviewable.
import Clean from './commands/clean.js';
import Compile from './commands/compile.js';
import Diff from './commands/diff.js';
import EnvDrop from './commands/env/drop.js';
import Debug from './commands/debug.js';
import Lineage from './commands/lineage.js';
import Ls from './commands/ls.js';
import DocsGenerate from './commands/docs/generate.js';
import DocsServe from './commands/docs/serve.js';
import Build from './commands/build.js';
import Test from './commands/test.js';
import SparkStart from './commands/spark/start.js';
import SparkStop from './commands/spark/stop.js';
import SparkStatus from './commands/spark/status.js';
import Ingest from './commands/ingest.js';
import Init from './commands/init.js';
import Show from './commands/show.js';

export const COMMANDS = {
  clean: Clean,
  compile: Compile,
  diff: Diff,
  'env:drop': EnvDrop,
  debug: Debug,
  lineage: Lineage,
  ls: Ls,
  'docs:generate': DocsGenerate,
  'docs:serve': DocsServe,
  build: Build,
  test: Test,
  'spark:start': SparkStart,
  'spark:stop': SparkStop,
  'spark:status': SparkStatus,
  ingest: Ingest,
  init: Init,
  show: Show,
};
