// Every `etl` command, by its id. Explicit rather than globbed: faster start-up, and the list is reviewable.
import Compile from './commands/compile.js';
import DocsGenerate from './commands/docs/generate.js';
import DocsServe from './commands/docs/serve.js';

export const COMMANDS = {
  compile: Compile,
  'docs generate': DocsGenerate,
  'docs serve': DocsServe,
};
