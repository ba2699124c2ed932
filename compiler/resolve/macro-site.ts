/**
 * Where a macro is: which file each partial and helper comes from, so that a fault inside a macro
 * is reported in the macro's file, with the calls that led there. Kept beside the Handlebars
 * environment (a WeakMap keyed by it), since Handlebars itself keeps only names and texts.
 */

/** A call on the way into a macro: `file` undefined is the template being rendered (the model). */
export interface CallSite {
  file?: string;
  /** 1-based. */
  line: number;
  column: number;
}

/** A position inside a macro file, reached through `via` (outermost call first). */
export interface MacroSite {
  file: string;
  text: string;
  via: CallSite[];
}

/** A partial whose text does not parse: reported once, at environment creation. */
export interface BrokenPartial {
  message: string;
  line: number;
  column: number;
}

interface MacroRegistry {
  partialFiles: Map<string, string>;
  brokenPartials: Map<string, BrokenPartial>;
  /** Declared parameter count of each TypeScript helper, when it is known. */
  helperArity: Map<string, { file: string; arity: number }>;
}

const registries = new WeakMap<object, MacroRegistry>();

export function macroRegistry(env: object): MacroRegistry {
  let registry = registries.get(env);
  if (!registry) registries.set(env, (registry = { partialFiles: new Map(), brokenPartials: new Map(), helperArity: new Map() }));
  return registry;
}

/** The site inside a macro reached by calling it at `call` from `outer` (undefined: from the model). */
export function enterMacro(outer: MacroSite | undefined, call: { line: number; column: number }, file: string, text: string): MacroSite {
  const site: CallSite = outer ? { file: outer.file, ...call } : { ...call };
  return { file, text, via: [...(outer?.via ?? []), site] };
}
