/**
 * Layer roots as the target declares them. A local target's roots stay relative to the project
 * (`data/warehouse/silver`) and are resolved where the plan runs, so a compiled `target/` runs from
 * another checkout or directory; an EMR target's roots are S3 URIs.
 */
import type { LayerName } from '../manifest/types.js';

interface RootsConfig {
  layers: Record<LayerName, { root?: string | undefined }>;
}
interface TargetRoots {
  kind: string;
  warehouse_dir?: unknown;
  bucket?: unknown;
}

export function declaredLayerRoots(config: RootsConfig, target: TargetRoots): Record<LayerName, string> {
  const roots = {} as Record<LayerName, string>;
  for (const layer of ['bronze', 'silver', 'gold'] as const) {
    const explicit = config.layers[layer].root;
    if (explicit) roots[layer] = explicit.replace(/\/+$/, '');
    else if (target.kind === 'local') roots[layer] = `${trimSlashes(String(target.warehouse_dir ?? 'data/warehouse'))}/${layer}`;
    else roots[layer] = `s3://${String(target.bucket)}/${layer}`;
  }
  return roots;
}

const trimSlashes = (p: string) => p.replace(/^\.\/+/, '').replace(/\/+$/, '');
