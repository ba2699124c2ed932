/**
 * Plan locations resolved for the target a plan runs on: a path under a layer root joins the root;
 * a relative root (a local target's `data/warehouse/silver`) resolves against the directory the
 * plan runs in, so a `target/` compiled elsewhere runs the same here.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { LayerName, TargetSettings } from '../../compiler/manifest/types.js';
import type { Location } from '../../compiler/plan/operations.js';
import type { LocationResolver } from '../engines/engine.js';

export const isUri = (p: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p);

/** A layer root as a path or URI usable where the plan runs. */
export function resolveRoot(root: string, projectDir: string): string {
  return isUri(root) || isAbsolute(root) ? root.replace(/\/+$/, '') : resolve(projectDir, root);
}

export function locationResolver(target: Pick<TargetSettings, 'layers'>, projectDir: string): LocationResolver {
  const roots = Object.fromEntries(Object.entries(target.layers).map(([layer, l]) => [layer, resolveRoot(l.root, projectDir)])) as Record<LayerName, string>;
  return (location: Location) => {
    if (isUri(location.path) || isAbsolute(location.path)) return location.path;
    const root = roots[location.layer];
    return isUri(root) ? `${root}/${location.path}` : join(root, location.path);
  };
}

/** A location string from the manifest (`<root>/<path>`, relative to the project, or absolute). */
export function resolveManifestLocation(location: string, projectDir: string): string {
  return isUri(location) || isAbsolute(location) ? location : resolve(projectDir, location);
}
