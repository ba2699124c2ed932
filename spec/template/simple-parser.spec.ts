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
  for (const key of ['type', 'value', 'original', 'parts', 'params', 'hash', 'pairs', 'key', 'path', 'body', 'data', 'depth', 'program', 'inverse', 'name', 'indent']) {
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
const space = fc.constantFrom('', ' ', '  ', '\n', '\n  ', '  \n', '\n\n');
const partial = fc.tuple(space, fc.constantFrom('{{> dedupe key="id" order_by=\'ts DESC\'}}', '{{> header}}', '{{!-- a comment --}}', '{{! short }}'), space).map((p) => p.join(''));
const flat = fc.array(fc.oneof(text, mustache, partial), { maxLength: 6 }).map((parts) => parts.join(''));
// Blocks on lines of their own (standalone) and inline, with and without {{else}}.
const block = fc
  .tuple(space, fc.constantFrom('is_incremental', 'if flag', 'unless flag'), space, flat, fc.option(fc.tuple(space, flat)), space)
  .map(([a, open, b, inner, otherwise, c]) => `${a}{{#${open}}}${b}${inner}${otherwise ? `{{else}}${otherwise[0]}${otherwise[1]}` : ''}${c}{{/${open.split(' ')[0]}}}`);
const template = fc.array(fc.oneof(text, mustache, block, space, partial), { maxLength: 12 }).map((parts) => parts.join(''));

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
    env.registerPartial('dedupe', 'SELECT *\nFROM x\nWHERE {{key}} IS NOT NULL -- {{order_by}}\n');
    env.registerPartial('header', '-- header\n');
    env.registerHelper('is_incremental', function (this: unknown, options: Handlebars.HelperOptions) {
      return options.fn(this);
    });
    fc.assert(
      fc.property(template, (source) => {
        const context = { toString: () => 'gold.me', flag: source.length % 2 === 0 };
        expect(compileTemplate(env, source).render(context).text).toBe(env.compile(source, { noEscape: true })(context));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves else-if chains, unbalanced blocks, dynamic partials, sub-expressions and whitespace control to Handlebars', () => {
    for (const source of ['{{#if a}}x{{else if b}}y{{/if}}', '{{#if a}}x', '{{#a}}x{{/b}}', '{{> (dyn) }}', '{{!~ note }}', '{{q (var "x")}}', '{{~ref "a"}}', '\\{{ref "a"}}', '{{{raw}}}', '{{x null}}', '{{else}}']) {
      expect(parseSimpleTemplate(source), source).toBeUndefined();
    }
  });
});
