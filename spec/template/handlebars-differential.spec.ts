/**
 * Differential property: templates generated with Handlebars' constructs (#each over arrays and
 * objects with @index/@key/@first/@last/this, #with, #if/#unless with {{else}} and {{else if}}
 * chains, ../ and @root, block parameters, lookup, partials, whitespace control `~`) render through the
 * compiler's interpreter exactly as through the real `handlebars` package, on generated data.
 */
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../compiler/resolve/template.js';

const word = fc.constantFrom('a', 'b', '', 'x y');
const data = fc.record({
  name: word,
  flag: fc.boolean(),
  n: fc.integer({ min: -1, max: 2 }),
  list: fc.array(fc.record({ id: fc.integer({ min: 0, max: 9 }), label: word, on: fc.boolean() }, { noNullPrototype: true }), { maxLength: 3 }),
  obj: fc.dictionary(fc.constantFrom('k1', 'k2', 'k3'), word, { maxKeys: 3, noNullPrototype: true }),
  words: fc.array(fc.constantFrom('p', 'q', 'r'), { maxLength: 3 }),
  nested: fc.option(fc.record({ name: word, words: fc.array(fc.constantFrom('p', 'q'), { maxLength: 2 }) }, { noNullPrototype: true }), { nil: undefined }),
}, { noNullPrototype: true });

const text = fc.constantFrom('t', ' ', '\n', '  \n', ',', '\n  - ');
const value = fc.constantFrom(
  '{{name}}', '{{this.name}}', '{{n}}', '{{flag}}', '{{id}}', '{{label}}', '{{this}}', '{{.}}', '{{@index}}', '{{@key}}', '{{@first}}', '{{@last}}',
  '{{../name}}', '{{@root.name}}', '{{@../index}}', '{{lookup obj "k1"}}', '{{lookup ../obj @key}}', '{{name.length}}', '{{words.length}}',
  '{{item.label}}', '{{i}}', '{{constructor}}', '{{__proto__}}', '{{obj.toString}}',
  '{{> row}}', '{{> row nested}}', '{{> row label="z"}}', '\n  {{> row}}\n',
);
const tilde = fc.constantFrom('', '~');
const condition = fc.constantFrom('flag', 'n', 'name', 'list', 'on', 'nested', '@first', '@last', 'words');
const iterable = fc.constantFrom('list', 'obj', 'words', 'nested.words', '../list', 'this');

/** `{{~#name args~}}` and its closing tag, with independent whitespace control on each side. */
const tag = (t: [string, string], body: string) => `{{${t[0]}${body}${t[1]}}}`;

const { template } = fc.letrec<{ template: string; block: string }>((tie) => ({
  template: fc.array(fc.oneof({ weight: 3, arbitrary: text }, { weight: 3, arbitrary: value }, { weight: 2, arbitrary: tie('block') }), { maxLength: 5 }).map((parts) => parts.join('')),
  block: fc.oneof(
    fc
      .tuple(fc.tuple(tilde, tilde), iterable, fc.boolean(), tie('template'), fc.option(fc.tuple(fc.tuple(tilde, tilde), tie('template'))), fc.tuple(tilde, tilde))
      .map(([o, what, params, body, otherwise, c]) => `${tag(o, `#each ${what}${params ? ' as |item i|' : ''}`)}${body}${otherwise ? `${tag(otherwise[0], 'else')}${otherwise[1]}` : ''}${tag(c, '/each')}`),
    fc
      .tuple(fc.tuple(tilde, tilde), fc.constantFrom('if', 'unless'), condition, tie('template'), fc.array(fc.tuple(fc.tuple(tilde, tilde), fc.constantFrom('if', 'unless'), condition, tie('template')), { maxLength: 2 }), fc.option(tie('template')), fc.tuple(tilde, tilde))
      .map(([o, helper, cond, body, chain, otherwise, c]) => {
        const elseIfs = chain.map(([t, h, cnd, b]) => `${tag(t, `else ${h} ${cnd}`)}${b}`).join('');
        return `${tag(o, `#${helper} ${cond}`)}${body}${elseIfs}${otherwise !== null ? `{{else}}${otherwise}` : ''}${tag(c, `/${helper}`)}`;
      }),
    fc
      .tuple(fc.tuple(tilde, tilde), fc.constantFrom('nested', 'obj', 'name', 'list'), tie('template'), fc.option(tie('template')), fc.tuple(tilde, tilde))
      .map(([o, what, body, otherwise, c]) => `${tag(o, `#with ${what}`)}${body}${otherwise !== null ? `{{else}}${otherwise}` : ''}${tag(c, '/with')}`),
  ),
}));

describe('templates render as Handlebars renders them', () => {
  // Two environments: rendering through Handlebars replaces a partial's text with its compiled function.
  const env = Handlebars.create();
  const ours = Handlebars.create();
  // Handlebars warns on the console when it refuses a prototype property; the refusal is what is compared.
  Handlebars.logger.level = 3; // errors only
  // A partial sees the caller's data (@index) and its own context.
  for (const e of [env, ours]) e.registerPartial('row', '{{label}}{{name}}/{{@index}}{{#if @first}}^{{/if}}\n');

  // Compiled with escaping on: with noEscape, Handlebars adds adjacent numbers (`{{a}}{{b}}` with 1
  // and 2 prints 3). The generated data has no character escaping would change.
  it('each, with, if/unless chains, data variables, ../, block params and ~ (generated)', () => {
    fc.assert(
      fc.property(template, data, (source, input) => {
        const expected = env.compile(source)(input);
        expect(compileTemplate(ours, source).render(input).text).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('examples', () => {
    const input = { list: [{ id: 1 }, { id: 2 }, { id: 3 }], obj: { a: 1, b: 2 }, name: 'n' };
    const cases: Array<[string, string]> = [
      ['{{#each list}}{{@index}}:{{id}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}} {{/each}}', '0:1F 1:2 2:3L '],
      ['{{#each obj}}{{@key}}={{this}}{{#unless @last}}, {{/unless}}{{/each}}', 'a=1, b=2'],
      ['{{#each list as |row idx|}}{{idx}}-{{row.id}} {{/each}}', '0-1 1-2 2-3 '],
      ['{{#with obj}}{{a}}{{../name}}{{/with}}', '1n'],
      ['{{#if none}}x{{else if name}}y{{else}}z{{/if}}', 'y'],
      ['a  {{~name~}}  b', 'anb'],
      ['{{constructor}}|{{name.constructor}}|{{lookup obj "constructor"}}', '||'],
    ];
    for (const [source, out] of cases) {
      expect(compileTemplate(ours, source).render(input).text, source).toBe(out);
      expect(env.compile(source, { noEscape: true })(input), source).toBe(out);
    }
  });
});
