#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
