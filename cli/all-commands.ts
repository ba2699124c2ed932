// Every command class, imported up front: what oclif reads when it has no manifest (running from the
// TypeScript sources, see bin/etl.js), and what scripts/build.mjs writes dist/oclif.manifest.json from.
import { COMMAND_MODULES } from './index.js';
import { loadAllCommands } from './lazy-commands.js';

export const COMMANDS = await loadAllCommands(COMMAND_MODULES);
