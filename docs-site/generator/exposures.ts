/** The manifest's exposures for the site index: small (a few per project), so they travel in the index. */
import type { Manifest } from '../../compiler/manifest/types.js';
import type { ExposureSummary } from '../shared/site-data.js';

export function exposureSummaries(manifest: Manifest, indexOf: Map<string, number>, warnings: string[]): ExposureSummary[] {
  const out: ExposureSummary[] = [];
  // Manifests written before exposures have none (the schema defaults them; raw JSON may lack the key).
  for (const e of Object.values(manifest.exposures ?? {}).sort((a, b) => a.name.localeCompare(b.name))) {
    const depends = e.depends.flatMap((d) => {
      const node = indexOf.get(d.model);
      if (node === undefined) warnings.push(`exposure ${e.name} reads ${d.model}, which is missing from the manifest`);
      return node === undefined ? [] : [{ node, columns: [...d.columns] }];
    });
    out.push({
      id: e.id,
      name: e.name,
      type: e.type,
      tool: e.tool,
      owner: { name: e.owner.name, email: e.owner.email },
      ...(e.url ? { url: e.url } : {}),
      ...(e.description ? { description: e.description } : {}),
      file: e.file,
      depends,
    });
  }
  return out;
}
