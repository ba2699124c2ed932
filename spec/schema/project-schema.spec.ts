import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectJsonSchema } from '../../compiler/load/project-config.js';

describe('schemas/project.schema.json', () => {
  it('is the JSON Schema of the project.yaml validator (regenerate with npx tsx scripts/write-schema.ts)', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../schemas/project.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(projectJsonSchema())));
  });
});
