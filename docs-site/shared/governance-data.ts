/** The docs site's governance view (data/governance.js): built by docs-site/generator/governance.ts. */

/** Where a declaration is written: `file:line:col`. */
export type DeclaredAt = string;

export interface GovernancePolicyRow {
  /** `layer`, `folder` or `tag`. */
  scope: string;
  name: string;
  allowed: string[];
}

export interface GovernanceReasonRow {
  /** Model id. */
  model: string;
  column: string | null;
  classifications: string[];
  reason: string;
  at: DeclaredAt;
}

export interface GovernanceRole {
  role: string;
  description: string | null;
  principal: string | null;
  unmasked: string[];
  omit: string[];
}

/** One table's access per role (same order as `roles`): null when the role does not see the table. */
export interface GovernanceMatrixRow {
  node: string;
  layer: string;
  access: Array<{ visible: number; masked: number; omitted: number; maskedColumns: string[]; omittedColumns: string[] } | null>;
}

export interface GovernanceErasureTarget {
  node: string;
  layer: string;
  action: string;
  /** `column (how)`: `customer_id (value)`, `customer_hash (sha2 + salt)`, `order_id (row key of stg_orders)`. */
  match: string[];
  reason: string;
}

export interface GovernanceErasure {
  key: string;
  kinds: string[];
  keyColumns: Array<{ node: string; column: string }>;
  targets: GovernanceErasureTarget[];
  passThrough: Array<{ node: string; materialized: string }>;
}

export interface GovernanceData {
  policy: GovernancePolicyRow[];
  exposures: GovernanceReasonRow[];
  declassifications: GovernanceReasonRow[];
  roles: GovernanceRole[];
  matrix: GovernanceMatrixRow[];
  erasure: GovernanceErasure[];
  /** Why a part is empty (no plan beside the manifest, no roles declared...). */
  notes: string[];
}
