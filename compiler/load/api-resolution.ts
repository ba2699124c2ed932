/** How project files find the authoring API (`import ... from 'lakehouse-etl'`). */
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

let hookRegistered = false;
/**
 * Project files import the authoring API as `lakehouse-etl`, wherever the project lives; resolve
 * that to this copy of the tool (one module instance), for ES modules (a loader hook) and for
 * CommonJS, which tsx uses for .ts files in packages without "type": "module".
 */
export function ensureApiResolution(): void {
  // Inside vitest, vite resolves `lakehouse-etl` through its alias (checked per process: child
  // processes inherit the VITEST variable but not vite).
  if (hookRegistered || '__vitest_worker__' in globalThis) return;
  hookRegistered = true;
  register('./resolve-hook.mjs', import.meta.url);
  const apiPath = fileURLToPath(new URL('../api/index.ts', import.meta.url));
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, request === 'lakehouse-etl' ? apiPath : request, ...rest);
  };
}

