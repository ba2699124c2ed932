// Resolves `lakehouse-etl` in a project's sources and models to this very copy of the tool, so a
// project in any directory (--project) shares the compiler's API module instance.
const api = new URL('../api/index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'lakehouse-etl') return next(api, context);
  return next(specifier, context);
}
