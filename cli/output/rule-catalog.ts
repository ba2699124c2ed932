/** What each diagnostic code is about, by range (README, "What the compiler checks"): SARIF rule help. */
const RANGES: Array<[from: number, to: number, text: string]> = [
  [100, 109, 'project.yaml: missing, YAML syntax, schema (unknown key, wrong type), unknown target'],
  [110, 119, 'Source declarations: load error, unknown system, duplicate table, untyped column, unknown cursor or key column, bad freshness'],
  [120, 129, 'Model files: outside models/silver or models/gold, bad sidecar YAML, YAML next to no model'],
  [130, 139, 'Templates: Handlebars syntax error, unknown helper or partial, bad ref/source call'],
  [140, 149, 'References: unknown model, unknown source table, unknown var, macro errors'],
  [150, 159, 'Models: TypeScript model errors, unknown or invalid config, duplicate names, dependency cycles, contract violations'],
  [160, 179, 'SQL: unknown table or column, ambiguous column, syntax errors, set-operation arity, duplicate or unnamed output columns, type errors'],
  [180, 189, 'Tests: bad test specs and thresholds, unit-test inputs'],
  [190, 199, 'Security: unsafe names, raw vars holding statements, secrets written as literals, credential-shaped text'],
];

export function ruleDescription(code: string): string {
  const n = Number(/^ETL(\d+)$/.exec(code)?.[1]);
  const range = RANGES.find(([from, to]) => n >= from && n <= to);
  return range ? `${code}: ${range[2]}` : `${code}: lakehouse-etl diagnostic`;
}
