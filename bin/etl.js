#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so there is no build step to forget.
import { register as registerHook } from 'node:module';
import { register } from 'tsx/esm/api';

register();
// Registered after tsx so it runs first: `lakehouse-etl` always means this copy of the tool.
registerHook('../cli/resolve-hook.mjs', import.meta.url);
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
