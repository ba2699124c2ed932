import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate, parseSimpleTemplate } from '../../compiler/resolve/template.js';

/** The parts of an AST the interpreter reads, for comparing our fast path with Handlebars. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (!node || typeof node !== 'object') return node;
  const n = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ['type', 'value', 'original', 'parts', 'params', 'hash', 'pairs', 'key', 'path', 'body', 'data', 'depth']) {
    if (key in n && n[key] !== undefined) out[key] = shape(n[key]);
  }
  const loc = n.loc as { start?: { line: number; column: number } } | undefined;
  // The interpreter reads positions of statements only.
  if (loc?.start && String(n.type).endsWith('Statement')) out.start = [loc.start.line, loc.start.column];
  return out;
}

const text = fc.stringMatching(/^[A-Za-z0-9_ ,.*()=<>'\n\t-]{0,30}$/);
const name = fc.constantFrom('stg_orders', 'dim_customer', 'a', 'model_2');
const mustache = fc.oneof(
  name.map((n) => `{{ref "${n}"}}`),
  name.map((n) => `{{ ref '${n}' }}`),
  fc.tuple(name, name).map(([a, b]) => `{{source "${a}" "${b}"}}`),
  fc.constant('{{this}}'),
  fc.constant('{{var "min_date"}}'),
  fc.tuple(fc.integer({ min: -5, max: 50 }), fc.boolean()).map(([n, b]) => `{{config materialized="table" threads=${n} enabled=${b} unique_key='id'}}`),
);
const template = fc.array(fc.oneof(text, mustache), { maxLength: 12 }).map((parts) => parts.join(''));

describe('the fast template parser', () => {
  it('builds the AST Handlebars builds, positions included', () => {
    fc.assert(
      fc.property(template, (source) => {
        const ours = parseSimpleTemplate(source);
        expect(ours).toBeDefined();
        expect(shape(ours)).toEqual(shape(Handlebars.parse(source)));
      }),
      { numRuns: 300 },
    );
  });

  it('renders the same text as Handlebars itself', () => {
    const env = Handlebars.create();
    env.registerHelper('ref', (n: string) => `silver.${n}`);
    env.registerHelper('source', (s: string, t: string) => `bronze.${s}_${t}`);
    env.registerHelper('var', () => '2020-01-01');
    env.registerHelper('config', () => '');
    fc.assert(
      fc.property(template, (source) => {
        const context = { toString: () => 'gold.me' };
        expect(compileTemplate(env, source).render(context).text).toBe(env.compile(source, { noEscape: true })(context));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves blocks, partials, comments, sub-expressions and whitespace control to Handlebars', () => {
    for (const source of ['{{#if a}}x{{/if}}', '{{> p}}', '{{! note }}', '{{q (var "x")}}', '{{~ref "a"}}', '\\{{ref "a"}}', '{{{raw}}}', '{{x null}}', '{{else}}']) {
      expect(parseSimpleTemplate(source), source).toBeUndefined();
    }
  });
});
