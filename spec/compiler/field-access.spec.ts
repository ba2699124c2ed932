import { beforeAll, describe, expect, it } from 'vitest';
import { analyseSql, toCatalogEntry } from '../../compiler/analyse/analyse-sql.js';
import type { CatalogEntry } from '../../compiler/analyse/analyser.js';
import { initParser } from '../../compiler/analyse/parse.js';

const node = 'model.events';
const catalog = new Map<string, CatalogEntry>([
  [
    'silver.events',
    toCatalogEntry({
      relation: 'silver.events',
      node,
      columns: [
        { name: 'id', type: { kind: 'string' }, nullable: false, refs: [`${node}\u0000id`], classes: [] },
        { name: 'device', type: { kind: 'struct', fields: [{ name: 'type', type: { kind: 'string' } }, { name: 'os', type: { kind: 'string' } }] }, nullable: true, refs: [`${node}\u0000device`], classes: [] },
        { name: 'properties', type: { kind: 'map', key: { kind: 'string' }, value: { kind: 'int' } }, nullable: true, refs: [`${node}\u0000properties`], classes: ['pii'] },
      ],
    }),
  ],
]);

beforeAll(() => initParser());

describe('field access through a table alias', () => {
  it('types alias.struct.field and alias.map[key], with lineage to the column', () => {
    const r = analyseSql({ id: 'model.x', full: "SELECT e.device.type AS device_type, e.properties['k'] AS k, device.os AS os FROM silver.events e" }, catalog);
    expect(r.problems).toEqual([]);
    expect(r.columns!.map((c) => [c.name, c.type.kind, c.refs, c.classes])).toEqual([
      ['device_type', 'string', [`${node}\u0000device`], []],
      ['k', 'int', [`${node}\u0000properties`], ['pii']],
      ['os', 'string', [`${node}\u0000device`], []],
    ]);
  });

  it('reports a struct field that does not exist', () => {
    const r = analyseSql({ id: 'model.x', full: 'SELECT e.device.colour AS c FROM silver.events e' }, catalog);
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([['ETL161', "Struct 'device' has no field 'colour'"]]);
  });
});
