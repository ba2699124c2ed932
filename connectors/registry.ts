/**
 * The source systems, one folder each. The compiler asks this registry which systems exist, how to
 * validate a declaration, which metadata columns bronze gets and how to emit a job; the runtime asks
 * it how to run one. A new system is a folder with `definition.ts` and `ingest.ts`, listed here once
 * (a list rather than a directory scan, so `defineSource` can be typed from it).
 */
import type { z } from 'zod';
import type { ManifestColumn } from '../compiler/manifest/types.js';
import { metadataColumn, type ConnectorDefinition } from './definition.js';
import { files } from './files/definition.js';
import { kafka } from './kafka/definition.js';
import { salesforce } from './salesforce/definition.js';
import { snowflake } from './snowflake/definition.js';

export const CONNECTORS = [snowflake, salesforce, kafka, files] as const;

export type Connector = (typeof CONNECTORS)[number];
export type SystemName = Connector['system'];
type ConnectorOf<S extends SystemName> = Extract<Connector, { system: S }>;

/** The declaration's `connection:` of system S, as written (before defaults). */
export type ConnectionOf<S extends SystemName> = z.input<ConnectorOf<S>['connection']>;
/** The system's own keys of a table declaration, as written. */
export type TableSettingsOf<S extends SystemName> = z.input<ConnectorOf<S>['table']>;
/** The `extract` part of any known system's job spec, narrowed by `kind`. */
export type KnownExtract = z.output<Connector['extract']>;

// Widened to the erased form: callers look systems up by a runtime string and feed each connector
// only what its own schemas validated, so the per-system type parameters are not needed past here.
const bySystem = new Map<string, ConnectorDefinition>(CONNECTORS.map((c) => [c.system, c as unknown as ConnectorDefinition]));

export const SYSTEM_NAMES: readonly string[] = CONNECTORS.map((c) => c.system);

/** The connector of a system, or undefined (callers report the unknown name with SYSTEM_NAMES). */
export function connectorFor(system: string): ConnectorDefinition | undefined {
  return bySystem.get(system);
}

/** Every bronze table has these, whatever the system; a connector appends its own after them. */
export const COMMON_METADATA_COLUMNS: readonly ManifestColumn[] = [
  metadataColumn('_run_id', 'string', false),
  metadataColumn('_extracted_at', 'timestamp', false),
  metadataColumn('_source', 'string', false),
  metadataColumn('_cursor_value', 'string'),
  metadataColumn('_is_deleted', 'boolean', false),
];

/** The metadata columns ingestion appends to a bronze table of `system`, in file order. */
export function bronzeMetadataColumns(connector: ConnectorDefinition): ManifestColumn[] {
  return [...COMMON_METADATA_COLUMNS, ...connector.metadataColumns].map((c) => ({ ...c, classification: [...c.classification] }));
}
