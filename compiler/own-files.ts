/**
 * Where the tool's own files are, whether it runs from its TypeScript sources (a checkout, through
 * tsx or vitest) or from the compiled JavaScript in dist/ (built by scripts/build.sh; also what an
 * installed package runs). dist/ mirrors the source tree one level down, so paths are derived from
 * this module's own location and extension, never from the current directory.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** '.ts' when running from the sources, '.js' from the compiled output. */
export const CODE_EXT = path.extname(self) === '.ts' ? '.ts' : '.js';

/** The folder holding the tool's package.json: the checkout, or node_modules/lakehouse-etl. */
export const TOOL_ROOT = path.resolve(path.dirname(self), CODE_EXT === '.ts' ? '..' : '../..');

/** A module of the tool by path without extension, relative to `base` (an import.meta.url). */
export function ownModule(stem: string, base: string): URL {
  return new URL(`${stem}${CODE_EXT}`, base);
}
