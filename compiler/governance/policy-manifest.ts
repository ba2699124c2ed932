/** The manifest's `governance` section: the policy as declared, and every model's exposures and declassifications. */
import type { GovernancePolicy } from '../config/governance-policy.js';
import type { Manifest, ManifestModel } from '../manifest/types.js';

export function governanceSummary(policy: GovernancePolicy | undefined, models: Iterable<ManifestModel>): Pick<Manifest, 'governance'> {
  const exposures: NonNullable<Manifest['governance']>['exposures'] = [];
  const declassifications: NonNullable<Manifest['governance']>['declassifications'] = [];
  for (const m of [...models].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const e of m.governance?.exposures ?? []) exposures.push({ model: m.id, ...e });
    for (const d of m.governance?.declassifications ?? []) declassifications.push({ model: m.id, ...d });
  }
  if (!policy && !exposures.length && !declassifications.length) return {};
  return {
    governance: {
      ...(policy ? { policy: { layers: { ...policy.layers }, folders: { ...policy.folders }, tags: { ...policy.tags } } } : {}),
      exposures,
      declassifications,
    },
  };
}
