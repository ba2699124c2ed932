/**
 * The classification policy at one model (issue 12, part 1). Every output column whose lineage
 * carries a classification the policy forbids at the model is ETL300, at the column in the model
 * file, unless the model masks it (compiler/analyse/mask-shapes.ts), declassifies it
 * (`declassify: { column: reason }`) or declares the exposure (`exposes: { pii: reason }`, for the
 * model or, in `columns:`, for one column). Declarations are checked too: a missing reason (ETL301),
 * an unknown classification (ETL302), a declassified column the model does not have (ETL303).
 * The result is the model's `governance` entry in the manifest, and its columns' masks.
 */
import type { Classification } from '../api/columns.js';
import type { SerialColumn } from '../analyse/analyse-sql.js';
import { POLICY_CLASSIFICATIONS, type GovernancePolicy, type PolicyClassification } from '../config/governance-policy.js';
import { didYouMean } from '../config/suggest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { GovernanceDeclassification, GovernanceExposure, ManifestModel } from '../manifest/types.js';
import type { RenderedModel } from '../resolve/models.js';
import { columnExposureSite, columnSite, configEntrySite, type Site } from './policy-sites.js';
import { policyRule } from './policy-rules.js';

const FORBIDDABLE = new Set<string>(POLICY_CLASSIFICATIONS);
const MASK_HINT = 'mask it ({{mask_hash "col"}}, {{mask_email_domain "col"}}, {{mask_partial "col" 4}}, {{mask_date "col" "month"}}, {{mask_amount "col" 1000}})';

function report(diagnostics: Diagnostic[], code: string, message: string, site: Site, hint: string): void {
  diagnostics.push({ code, severity: 'error', message, file: site.file, line: site.line, column: site.column, frame: codeFrame(site.text, site.line, site.column), hint });
}

const at = (s: Site) => ({ file: s.file, line: s.line, column: s.column });

/** A declaration's reason, or undefined after reporting it missing. */
function reasonOf(value: string | null | undefined, what: string, site: Site, model: string, diagnostics: Diagnostic[]): string | undefined {
  const reason = typeof value === 'string' ? value.trim() : '';
  if (reason) return reason;
  report(diagnostics, 'ETL301', `${what} in model ${model} has no reason`, site, "Say why, e.g. pii: 'Support looks customers up by e-mail': the reason is listed in the manifest and the docs.");
  return undefined;
}

/** `exposes` entries (model-wide or one column's): valid ones recorded, invalid ones reported. */
function exposures(r: RenderedModel, diagnostics: Diagnostic[]): GovernanceExposure[] {
  const out: GovernanceExposure[] = [];
  const add = (entries: Record<string, string | null>, column: string | undefined, siteOf: (cls: string) => Site) => {
    for (const [cls, value] of Object.entries(entries)) {
      const site = siteOf(cls);
      if (!FORBIDDABLE.has(cls)) {
        report(diagnostics, 'ETL302', `Unknown classification '${cls}' in exposes of ${column ? `column ${column} of ` : ''}model ${r.file.name}`, site, didYouMean(cls, POLICY_CLASSIFICATIONS) || `A policy forbids ${POLICY_CLASSIFICATIONS.join(', ')}.`);
        continue;
      }
      const reason = reasonOf(value, `exposes ${cls}${column ? ` of column ${column}` : ''}`, site, r.file.name, diagnostics);
      if (reason) out.push({ ...(column ? { column } : {}), classification: cls as Classification, reason, at: at(site) });
    }
  };
  add(r.config.exposes ?? {}, undefined, (cls) => configEntrySite(r, 'exposes', cls));
  for (const [column, meta] of Object.entries(r.file.meta?.data.columns ?? {})) {
    if (meta?.exposes) add(meta.exposes, column, (cls) => columnExposureSite(r, column, cls));
  }
  return out;
}

function declassifications(r: RenderedModel, columns: SerialColumn[], diagnostics: Diagnostic[]): GovernanceDeclassification[] {
  const out: GovernanceDeclassification[] = [];
  for (const [name, value] of Object.entries(r.config.declassify ?? {})) {
    const site = configEntrySite(r, 'declassify', name);
    const column = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!column) {
      report(diagnostics, 'ETL303', `declassify names column '${name}', which model ${r.file.name} does not select`, site, didYouMean(name, columns.map((c) => c.name)) || `The model selects: ${columns.map((c) => c.name).join(', ')}.`);
      continue;
    }
    const reason = reasonOf(value, `declassify ${name}`, site, r.file.name, diagnostics);
    if (reason) out.push({ column: column.name, removed: column.declassified ?? [], reason, at: at(site) });
  }
  return out;
}

/**
 * Checks the model against the policy and records its governance in its manifest entry (in place:
 * the entry was just built). Nothing is recorded for a project without governance.
 */
export function governModel(policy: GovernancePolicy | undefined, r: RenderedModel, columns: SerialColumn[], model: ManifestModel, diagnostics: Diagnostic[]): void {
  for (const c of model.columns) {
    const analysed = columns.find((x) => x.name === c.name);
    if (analysed?.masks?.length) c.masks = analysed.masks;
    if (analysed?.declassified) c.classification = [];
  }
  const exposed = exposures(r, diagnostics);
  const declassified = declassifications(r, columns, diagnostics);
  const rule = policyRule(policy, { layer: r.file.layer, file: r.file.file, tags: r.config.tags ?? [] });
  if (!policy && !exposed.length && !declassified.length) return;
  model.governance = {
    ...(rule ? { allowed: [...rule.allowed].sort(), rule: rule.rule } : {}),
    exposures: exposed,
    declassifications: declassified,
  };
  if (!rule) return;
  const modelWide = new Set(exposed.filter((e) => !e.column).map((e) => e.classification));
  for (const c of model.columns) {
    const own = new Set(exposed.filter((e) => e.column?.toLowerCase() === c.name.toLowerCase()).map((e) => e.classification));
    const forbidden = c.classification.filter((k): k is PolicyClassification => FORBIDDABLE.has(k) && !rule.allowed.has(k as PolicyClassification) && !modelWide.has(k) && !own.has(k));
    if (!forbidden.length) continue;
    const site = columnSite(r, columns.find((x) => x.name === c.name)?.at);
    const from = c.upstream.length ? ` (from ${c.upstream.slice(0, 3).map((s) => `${s.node.replace(/^(source|model)\./, '')}.${s.column}`).join(', ')}${c.upstream.length > 3 ? ', ...' : ''})` : '';
    const what = forbidden.join(' and ');
    report(
      diagnostics,
      'ETL300',
      `Column '${c.name}' of model ${r.file.name} exposes ${what}${from}, which the policy (${rule.rule}) does not allow unmasked`,
      site,
      `${MASK_HINT[0]!.toUpperCase()}${MASK_HINT.slice(1)}, drop it, or declare the exposure with a reason: exposes: { ${forbidden[0]}: 'why' } (SQL: {{config exposes=(hash ${forbidden[0]}="why")}}), or declassify: { ${c.name}: 'why' } if it is not ${what}.`,
    );
  }
}
