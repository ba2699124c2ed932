/**
 * Layer roots as the target declares them. A local target's roots stay relative to the project
 * (`data/warehouse/silver`) and are resolved where the plan runs, so a compiled `target/` runs from
 * another checkout or directory; an EMR target's roots are S3 URIs.
 */
import type { LayerName } from '../manifest/types.js';
import type { Location } from './operations.js';

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

/**
 * A location as the target declares it, for people (target/run/, the docs site): an absolute path or
 * URI as is, else under its layer's declared root, which stays relative until the plan runs.
 */
export function declaredLocation(layers: Record<LayerName, { root: string }>): (l: Location) => string {
  return (l) => (/^([a-z][a-z0-9+.-]*:|\/)/i.test(l.path) ? l.path : `${layers[l.layer].root}/${l.path}`);
}
