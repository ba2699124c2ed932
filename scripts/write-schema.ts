// Regenerates schemas/project.schema.json (editor completion for project.yaml) from the zod schema.
import { writeFileSync } from 'node:fs';
import { projectJsonSchema } from '../compiler/load/project-config.js';

writeFileSync(new URL('../schemas/project.schema.json', import.meta.url), `${JSON.stringify(projectJsonSchema(), null, 2)}\n`);
