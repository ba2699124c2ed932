/**
 * What Spark 3.5 knows of the NULLs inside arrays and structs: `containsNull` of the arrays that
 * sequence(), array() and arrays_zip() build, `valueContainsNull` of map() and map_from_arrays(),
 * the `nullable` of struct fields, and the field names
 * arrays_zip() gives its structs (ArraysZip: a column's name, else the argument's ordinal).
 */
import type { SqlType } from '../../api/columns.js';
import { identName, lc, type Node, type Value } from '../ast.js';
import type { Scope } from '../context.js';
import { T } from '../sql-types.js';

type Field = { name: string; type: SqlType; nullable?: boolean };

/** A struct field, marked never NULL when its value is not. */
export const structField = (name: string, value: { type: SqlType; nullable: boolean }): Field =>
  value.nullable ? { name, type: value.type } : { name, type: value.type, nullable: false };

/** The type of `name(args)` refined with what is known of NULL elements; `type` otherwise. */
export function containerType(name: string, type: SqlType, args: Value[], argNodes: Node[], scope: Scope): SqlType {
  if (name === 'sequence' && type.kind === 'array') return T.array(type.element, false);
  if (name === 'array' && type.kind === 'array') return T.array(type.element, args.some((a) => a.nullable));
  if (name === 'map' && type.kind === 'map' && args.every((a, i) => i % 2 === 0 || !a.nullable)) return { ...type, valueContainsNull: false };
  if (name === 'map_from_arrays' && type.kind === 'map' && args[1]?.type.kind === 'array' && args[1].type.containsNull === false) return { ...type, valueContainsNull: false };
  if (name === 'arrays_zip') {
    const fields = args.map((a, i) => ({ name: zipFieldName(argNodes[i], i, scope), type: a.type.kind === 'array' ? a.type.element : T.unknown }));
    return T.array({ kind: 'struct', fields }, false);
  }
  return type;
}

/** ArraysZip's field name: an attribute's own name, anything else its position. */
function zipFieldName(node: Node | undefined, i: number, scope: Scope): string {
  if (node?.Identifier) return identName(node.Identifier);
  const parts: Node[] | undefined = node?.CompoundIdentifier;
  if (Array.isArray(parts) && parts.length === 2) {
    const qualifier = lc(identName(parts[0]));
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.rels.some((r) => lc(r.alias) === qualifier)) return identName(parts[1]);
    }
  }
  return String(i);
}

/** Whether explode/posexplode of a value of `type` (not _outer) can give a NULL element. */
export function elementNullable(type: SqlType): boolean {
  if (type.kind === 'array') return type.containsNull !== false;
  return type.kind !== 'map' || type.valueContainsNull !== false;
}
