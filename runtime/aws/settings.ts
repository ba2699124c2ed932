/**
 * The `targets.emr` block of project.yaml, validated with the compiler's schema
 * (`compiler/config/targets.ts`): the keys `etl compile` accepts are exactly the keys the EMR
 * target reads. The compiler passes the settings on in `manifest.target.settings`; this checks
 * them again at run time (a manifest may come from elsewhere), with errors that name the exact key.
 */
import { emrSettingsSchema, type EmrClusterSettings, type EmrSettings } from '../../compiler/config/targets.js';
import type { TargetSettings } from '../../compiler/manifest/types.js';
import { AwsTargetError } from './errors.js';

export type { EmrClusterSettings, EmrSettings };

/** Validates the EMR target settings; every problem is reported, each with its project.yaml key. */
export function parseEmrSettings(target: Pick<TargetSettings, 'name' | 'kind' | 'settings'>): EmrSettings {
  if (target.kind !== 'emr') {
    throw new AwsTargetError(
      'EMR_WRONG_TARGET',
      `target "${target.name}" is of kind "${target.kind}", not "emr"`,
      'pass --target with a target whose kind is emr in project.yaml',
    );
  }
  const parsed = emrSettingsSchema.safeParse(target.settings);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return unknown
      .map((k) => `  project.yaml ${['targets', target.name, ...issue.path.map(String), ...(k ? [k] : [])].join('.')}: ${k ? 'unknown key' : issue.message}`)
      .join('\n');
  });
  throw new AwsTargetError(
    'EMR_BAD_SETTINGS',
    `invalid EMR target settings:\n${lines.join('\n')}`,
    `correct the keys above under targets.${target.name} in project.yaml`,
  );
}
