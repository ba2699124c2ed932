/**
 * GROUP BY ROLLUP / CUBE / GROUPING SETS (and `WITH ROLLUP`, `WITH CUBE`): the grouping expressions
 * Spark makes nullable in the output, those absent from at least one grouping set (Spark 3.5's
 * ResolveGroupingAnalytics keeps the nullability of an expression present in every set).
 */
type Node = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const key = (e: Node) => JSON.stringify(e, (k, v) => (k === 'span' ? undefined : typeof v === 'string' && k === 'value' ? v.toLowerCase() : v));

/** One item of the GROUP BY list as its grouping sets (lists of expressions). */
function setsOf(item: Node): Node[][] {
  if (item?.Rollup) {
    const parts: Node[][] = item.Rollup;
    return parts.map((_, i) => parts.slice(0, parts.length - i).flat()).concat([[]]);
  }
  if (item?.Cube) {
    const parts: Node[][] = item.Cube;
    return parts.reduce<Node[][]>((acc, p) => acc.flatMap((s) => [[...s, ...p], s]), [[]]);
  }
  if (item?.GroupingSets) return item.GroupingSets.GroupingSets ?? item.GroupingSets;
  return [[item]];
}

/**
 * The grouping expressions (AST nodes) that are NULL in some output rows: empty for a plain
 * GROUP BY. `groupBy` is the SELECT's `group_by` as the parser gives it.
 */
export function rolledUpExpressions(groupBy: Node): Node[] {
  const [items = [], modifiers = []]: [Node[], Node[]] = groupBy?.Expressions ?? [];
  let sets: Node[][][];
  if (modifiers.includes('Rollup')) sets = [setsOf({ Rollup: items.map((i) => [i]) })];
  else if (modifiers.includes('Cube')) sets = [setsOf({ Cube: items.map((i) => [i]) })];
  else {
    const explicit = modifiers.find((m) => m?.GroupingSets);
    sets = explicit ? [setsOf(explicit)] : items.map(setsOf);
  }
  if (sets.every((s) => s.length <= 1)) return [];
  // An expression is in every output set when one item has it in each of its own sets.
  const always = new Set<string>();
  const all = new Map<string, Node>();
  for (const itemSets of sets) {
    const keys = itemSets.map((s) => new Set(s.map(key)));
    for (const s of itemSets) for (const e of s) all.set(key(e), e);
    for (const k of keys[0] ?? []) if (keys.every((ks) => ks.has(k))) always.add(k);
  }
  return [...all].filter(([k]) => !always.has(k)).map(([, e]) => e);
}

/** The column names (last part, lower case) and qualifiers a rolled-up expression reads. */
export function columnsRead(e: Node): Array<{ name: string; qualifier?: string }> {
  const out: Array<{ name: string; qualifier?: string }> = [];
  const visit = (n: Node) => {
    if (!n || typeof n !== 'object') return;
    if (n.Identifier && typeof n.Identifier === 'object' && 'value' in n.Identifier) {
      out.push({ name: String(n.Identifier.value).toLowerCase() });
      return;
    }
    if (Array.isArray(n.CompoundIdentifier)) {
      const parts = n.CompoundIdentifier.map((p: Node) => String(p.value).toLowerCase());
      out.push({ name: parts[parts.length - 1]!, qualifier: parts[parts.length - 2] });
      return;
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(e);
  return out;
}

/** The relations of a SELECT as its SELECT list and HAVING see them: rolled-up columns nullable. */
export function withRolledUpColumns<R extends { alias: string; columns: Array<{ name: string; nullable: boolean }> }>(rels: R[], groupBy: Node): R[] {
  const read = rolledUpExpressions(groupBy).flatMap(columnsRead);
  if (read.length === 0) return rels;
  return rels.map((r) => ({
    ...r,
    columns: r.columns.map((c) => (read.some((x) => x.name === c.name.toLowerCase() && (!x.qualifier || x.qualifier === r.alias.toLowerCase())) ? { ...c, nullable: true } : c)),
  }));
}

/** A set operation's column is NULL where UNION takes a NULL from either side, INTERSECT from both, EXCEPT from the left. */
export function setOperationNullable(op: unknown, left: boolean, right: boolean): boolean {
  const name = String(op).toLowerCase();
  if (name === 'intersect') return left && right;
  if (name === 'except' || name === 'minus') return left;
  return left || right;
}
