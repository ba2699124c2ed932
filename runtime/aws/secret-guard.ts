/**
 * Last line of defence before anything leaves the machine: no artifact may contain the value
 * of a credential from the environment (AWS keys, and every variable the project's source
 * connections reference as `{ env: NAME }`).
 */
import type { Manifest } from '../../compiler/manifest/types.js';
import type { Artifact } from './artifacts.js';
import { AwsTargetError } from './errors.js';

const ALWAYS_SECRET = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const MIN_SECRET_LENGTH = 6; // shorter values match too much by chance to be meaningful

export function secretEnvNames(manifest: Manifest): string[] {
  const names = new Set(ALWAYS_SECRET);
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.env === 'string' && Object.keys(o).length === 1) names.add(o.env);
    for (const child of Object.values(o)) walk(child);
  };
  for (const s of Object.values(manifest.sources)) walk(s.connection);
  return [...names].sort();
}

export function assertNoSecrets(artifacts: Artifact[], names: string[], env: NodeJS.ProcessEnv): void {
  const secrets = names.map((n) => [n, env[n]] as const).filter((e): e is readonly [string, string] => typeof e[1] === 'string' && e[1].length >= MIN_SECRET_LENGTH);
  for (const a of artifacts) {
    for (const [name, value] of secrets) {
      if (a.body.includes(value)) {
        throw new AwsTargetError(
          'SECRET_IN_ARTIFACT',
          `build artifact ${a.key} contains the value of $${name}; nothing was uploaded`,
          `reference the secret as { env: '${name}' } instead of its value, then compile again`,
        );
      }
    }
  }
}
