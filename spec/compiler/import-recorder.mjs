// Preloaded with `node --import` by spec/compiler/cli-ls-imports.spec.ts: registers the hooks that
// append the URL of every module the process imports to the file named by ETL_SPEC_IMPORTS.
import { register } from 'node:module';

register('./import-recorder-hooks.mjs', import.meta.url);
