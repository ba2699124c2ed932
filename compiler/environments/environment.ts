/**
 * Environments (`--env pr_42`): a copy of the silver and gold layers in their own databases
 * (`silver__pr_42`) and under their own roots (`<warehouse>/envs/pr_42/silver`), so a pull request
 * builds and tests its models without touching production. Bronze is shared and read as it is.
 */
import { z } from 'zod';
import type { LayerName, LayerSettings } from '../manifest/types.js';

/** Lower-case letters, digits and `_`, starting with a letter: it becomes part of database names. */
export const environmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'an environment name is lower-case letters, digits and _, starting with a letter (e.g. pr_42)');

export const environmentDatabase = (database: string, env: string): string => `${database}__${env}`;

/** `data/warehouse/silver` -> `data/warehouse/envs/pr_42/silver`; `s3://b/silver` -> `s3://b/envs/pr_42/silver`. */
export function environmentRoot(root: string, env: string): string {
  const trimmed = root.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  // A bare relative root (`silver`) has no parent to put envs/ under.
  if (slash < 0) return `envs/${env}/${trimmed}`;
  return `${trimmed.slice(0, slash)}/envs/${env}/${trimmed.slice(slash + 1)}`;
}

/** The layers a build in `env` writes: silver and gold moved, bronze as production has it. */
export function environmentLayers(layers: Record<LayerName, LayerSettings>, env: string | undefined): Record<LayerName, LayerSettings> {
  if (!env) return layers;
  const moved = (l: LayerSettings): LayerSettings => ({ root: environmentRoot(l.root, env), database: environmentDatabase(l.database, env) });
  return { bronze: layers.bronze, silver: moved(layers.silver), gold: moved(layers.gold) };
}
