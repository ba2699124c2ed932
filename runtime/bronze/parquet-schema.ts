/**
 * Maps declared Spark types to Parquet schema elements the way Spark itself writes them
 * (non-legacy format): decimals as INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision, timestamps as
 * INT64 TIMESTAMP(MICROS, UTC), 3-level LIST and MAP groups. Spark 3.5 then reads every column back
 * with its declared type.
 */
import type { parquetWrite } from 'hyparquet-writer';

/** The schema element type of the hyparquet copy that hyparquet-writer bundles. */
export type SchemaElement = NonNullable<Parameters<typeof parquetWrite>[0]['schema']>[number];
import type { SqlType } from '../../compiler/api/columns.js';

export function schemaElements(name: string, type: SqlType, nullable: boolean): SchemaElement[] {
  const repetition_type = nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (type.kind) {
    case 'string':
      return [{ name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }];
    case 'int':
      return [{ name, repetition_type, type: 'INT32' }];
    case 'bigint':
      return [{ name, repetition_type, type: 'INT64' }];
    case 'double':
      return [{ name, repetition_type, type: 'DOUBLE' }];
    case 'boolean':
      return [{ name, repetition_type, type: 'BOOLEAN' }];
    case 'date':
      return [{ name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }];
    case 'timestamp':
      return [
        {
          name,
          repetition_type,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MICROS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        },
      ];
    case 'decimal': {
      const { precision, scale } = type;
      const base = { name, repetition_type, converted_type: 'DECIMAL', precision, scale, logical_type: { type: 'DECIMAL', precision, scale } } as const;
      if (precision <= 9) return [{ ...base, type: 'INT32' }];
      if (precision <= 18) return [{ ...base, type: 'INT64' }];
      return [{ ...base, type: 'FIXED_LEN_BYTE_ARRAY', type_length: decimalBytes(precision) }];
    }
    case 'array':
      return [
        { name, repetition_type, num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...schemaElements('element', type.element, true),
      ];
    case 'map':
      return [
        { name, repetition_type, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        ...schemaElements('key', type.key, false),
        ...schemaElements('value', type.value, true),
      ];
    case 'struct':
      return [
        { name, repetition_type, num_children: type.fields.length },
        ...type.fields.flatMap((f) => schemaElements(f.name, f.type, true)),
      ];
    default:
      throw new Error(`column ${name}: type ${type.kind} cannot be written to Parquet`);
  }
}

/** Smallest byte count whose two's complement holds 10^precision - 1. */
function decimalBytes(precision: number): number {
  const max = 10n ** BigInt(precision) - 1n;
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) - 1n < max) bytes++;
  return bytes;
}
