/**
 * The tests stage for a session: every test (full compile), or only the tests of some models (an
 * edit), with the same functions compileProject uses.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ManifestModel } from '../manifest/types.js';
import { compileTests } from '../tests/data-tests.js';
import { compileUnitTestOperations, compileUnitTests } from '../tests/unit-tests.js';
import type { CompiledParts } from './state.js';

/**
 * The project's models as the tests stage reads them, iterating only the models in focus: their
 * tests are compiled, while lookups (relationships targets, unit-test inputs) still see every model.
 */
class FocusMap extends Map<string, ManifestModel> {
  constructor(
    private readonly all: Map<string, ManifestModel>,
    private readonly focus: ReadonlySet<string>,
  ) {
    super();
  }
  override get(id: string): ManifestModel | undefined {
    return this.all.get(id);
  }
  override has(id: string): boolean {
    return this.all.has(id);
  }
  override get size(): number {
    return this.all.size;
  }
  override values(): MapIterator<ManifestModel> {
    const focused = [...this.focus].sort().flatMap((id) => (this.all.has(id) ? [this.all.get(id)!] : []));
    return focused.values();
  }
}

/**
 * Compiles the tests of `focus` (model ids; all models when undefined). Singular tests read any
 * model, so they are compiled with every model whenever the project has some.
 */
export function runTestsStage(c: CompiledParts, focus: ReadonlySet<string> | undefined, diagnostics: Diagnostic[]): void {
  const { loaded, resolved, modelGraph, sourceById } = c;
  const { rendered, scope, preparedByName } = resolved;
  const models = focus === undefined ? c.models : new FocusMap(c.models, focus);
  const blocked = new Set([...resolved.unavailable.keys(), ...modelGraph.excluded]);
  compileTests({ models, sources: loaded.sources, rendered, singular: focus === undefined ? loaded.singular : [], env: loaded.env, scope, preparedByName, diagnostics, blocked });
  const unitTests = compileUnitTests(models, rendered, sourceById, diagnostics);
  compileUnitTestOperations({ unitTests, models, rendered, scope, sourceById, diagnostics });
}
