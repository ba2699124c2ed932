// Resolves `lakehouse-etl` in a project's sources and models to this very copy of the tool, so a
// project in any directory (--project) shares the compiler's API module instance.
const api = new URL('../api/index.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier === 'lakehouse-etl' ? api : specifier, context);
  // Project files (sources, models, macros) are ES modules even where no package.json says so;
  // as CommonJS they could not import the ESM tool.
  if (/\.m?ts$/.test(resolved.url) && !resolved.url.includes('/node_modules/')) return { ...resolved, format: 'module' };
  return resolved;
}
