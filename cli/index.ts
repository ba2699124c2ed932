// Every `etl` command, by its id. Explicit rather than globbed: faster start-up, and the list is reviewable.
import Compile from './commands/compile.js';

export const COMMANDS = {
  compile: Compile,
};
