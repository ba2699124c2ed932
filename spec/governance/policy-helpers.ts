/** Shared helpers of the governance policy and mask specs: fixture paths. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const fixture = (name: string) => path.join(fixturesDir, name);
