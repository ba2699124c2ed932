/** `--select` for sources: `kafka`, `kafka.user_events`, `source.kafka.user_events`, globs like `snowflake.*`. */
/** What selection looks at: a manifest source or an ingestion job spec. */
export interface SelectableSource {
  id: string;
  sourceName: string;
  table: string;
  system: string;
}

export function selectSources<S extends SelectableSource>(sources: S[], patterns: string[] | undefined): S[] {
  if (!patterns?.length) return sources;
  const matchers = patterns.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean).map(toRegExp);
  return sources.filter((s) => {
    const names = [s.id, `${s.sourceName}.${s.table}`, s.sourceName, s.system, `${s.system}.${s.table}`];
    return matchers.some((m) => names.some((n) => m.test(n)));
  });
}

function toRegExp(pattern: string): RegExp {
  const body = pattern.replace(/^source:/, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}
