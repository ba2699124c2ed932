/**
 * Spark SQL column types (as the manifest carries them) to the Hive type strings that the Glue
 * catalog stores and Athena, EMR and Redshift Spectrum read: lower case, no spaces,
 * `struct<a:int,b:string>`. Parsing reuses the bronze writer's Spark type parser.
 */
import type { SqlType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';
import { AwsTargetError } from './errors.js';

export function hiveTypeOf(sparkType: string, where: string): string {
  let parsed: SqlType;
  try {
    parsed = parseSparkType(sparkType);
  } catch (err) {
    throw new AwsTargetError(
      'GLUE_BAD_TYPE',
      `${where}: type "${sparkType}" cannot be registered in Glue (${(err as Error).message})`,
      'declare the column with a Spark SQL type (e.g. data_type: decimal(18,2) in the model YAML)',
    );
  }
  return render(parsed, where);
}

function render(type: SqlType, where: string): string {
  switch (type.kind) {
    case 'string':
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'binary':
    case 'boolean':
    case 'date':
    case 'timestamp':
      return type.kind;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${render(type.element, where)}>`;
    case 'map':
      return `map<${render(type.key, where)},${render(type.value, where)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${render(f.type, where)}`).join(',')}>`;
    default:
      throw new AwsTargetError(
        'GLUE_BAD_TYPE',
        `${where}: the column's type is not known (${type.kind}), so it cannot be registered in Glue`,
        'declare data_type for the column in the model YAML',
      );
  }
}
