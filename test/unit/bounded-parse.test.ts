import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments, Parser } from 'yaml';
import { parseYamlSource } from '../../src/patch/yaml-source.js';
import { parseYamlSourceWhere } from '../../src/patch/yaml-source-where.js';
import { deepestCollection, MAX_YAML_NESTING, mayNestTooDeep, parseAllDocumentsBounded } from '../../src/yaml/bounded-parse.js';
import { quickParse } from '../../src/yaml/quick-parse.js';

/** A value nested `depth` collections deep, written as flow (`[[…]]`) or block (each level a `- ` line indented further), under `x:`. */
const flow = (depth: number) => `x: ${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}\n`;
const block = (depth: number) => `x:\n${Array.from({ length: depth - 1 }, (_, i) => `${'  '.repeat(i)}-${i === depth - 2 ? ' 1' : ''}`).join('\n')}\n`;
const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.4.0\n';
const errorOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

test('up to the limit a document reads as parseAllDocuments reads it; one level more is an error at that collection, the other documents intact', () => {
  for (const nested of [flow, block]) {
    const text = `${manifest}---\n${nested(MAX_YAML_NESTING)}---\n${manifest}`;
    assert.equal(parseAllDocumentsBounded(text).map((d) => d.toJS()), (parseAllDocuments(text) as ReturnType<typeof parseAllDocumentsBounded>).map((d) => d.toJS()));
    const deeper = `${manifest}---\n${nested(MAX_YAML_NESTING + 1)}---\n${manifest}`;
    const docs = parseAllDocumentsBounded(deeper);
    assert.equal(docs.map((d) => d.errors.map((e) => e.code)), [[], ['RESOURCE_EXHAUSTION'], []]);
    assert.is(docs[1]!.errors[0]!.message, `nesting deeper than ${MAX_YAML_NESTING} levels, more than hotfix reads`);
    assert.equal(docs[2]!.toJS(), docs[0]!.toJS());
    // The collection that goes too deep: the 257th, counting x's mapping as the first.
    const at = docs[1]!.errors[0]!.pos[0];
    assert.ok(at > deeper.indexOf('---\nx:') && at < deeper.lastIndexOf('---'), `${at}`);
  }
});

test('the whole parse and the per-document parse refuse the same documents with the same words, whatever the depth and the stack (issue 14: 1,100 levels read one way and not the other)', () => {
  for (const depth of [MAX_YAML_NESTING, MAX_YAML_NESTING + 1, 1_100, 5_000, 100_000]) {
    // Block nesting needs a column per level: a few thousand levels make lines of megabytes.
    for (const nested of depth <= 1_100 ? [flow, block] : [flow]) {
      const text = `${manifest}---\n${nested(depth)}`;
      const whole = errorOf(() => parseYamlSource(text));
      const where = errorOf(() => parseYamlSourceWhere(text, (_chunk, index) => index === 0));
      assert.is(where, whole, `${depth} ${nested.name}`);
      assert.is(whole === undefined, depth <= MAX_YAML_NESTING, `${depth} ${nested.name}: ${whole}`);
      if (whole) assert.match(whole, /^the config file is not valid YAML \(document 1, line \d+\): nesting deeper than 256 levels/);
      // js-yaml reads deeper documents than yaml composes: the quick way must not vouch for one.
      if (depth > MAX_YAML_NESTING) assert.is(quickParse(text), undefined);
      // From deep in a stack too: the limit, not the stack, decides.
      const deepStack = (n: number): string | undefined => (n === 0 ? errorOf(() => parseYamlSource(`${text}\n# ${n}`)) : deepStack(n - 1));
      assert.is(deepStack(2_000) === undefined, depth <= MAX_YAML_NESTING);
    }
  }
});

test('the bound never clears a text that nests deeper than the limit (fast-check, block and flow collections mixed as YAML writes them)', () => {
  type Shape = { kind: 'map' | 'seq' | 'flow-seq' | 'flow-map'; child?: Shape };
  // Block levels first (flow ones cannot hold them), then flow levels: either alone can go past the limit.
  const kinds = (options: Array<Shape['kind']>) => fc.array(fc.constantFrom(...options), { maxLength: 400, size: 'max' });
  const shape: fc.Arbitrary<Shape> = fc
    .tuple(kinds(['map', 'seq']), kinds(['flow-seq', 'flow-map']))
    .filter(([blocks, flows]) => blocks.length + flows.length > 0)
    .map(([blocks, flows]) => [...blocks, ...flows].reduceRight<Shape | undefined>((child, kind) => ({ kind, ...(child ? { child } : {}) }), undefined)!);
  // Block collections inside flow ones are not YAML: once a flow collection opens, the rest is flow.
  const render = (s: Shape | undefined, indent: number, inFlow: boolean): string => {
    if (!s) return ' 1';
    if (inFlow) return s.kind === 'map' || s.kind === 'flow-map' ? `{k:${render(s.child, 0, true)}}` : `[${render(s.child, 0, true).trimStart()}]`;
    if (s.kind === 'flow-seq' || s.kind === 'flow-map') return ` ${render(s, 0, true)}`;
    const pad = ' '.repeat(indent);
    return s.kind === 'map' ? `\n${pad}k:${render(s.child, indent + 1, false)}` : `\n${pad}-${render(s.child, indent + 2, false)}`;
  };
  fc.assert(
    fc.property(shape, fc.integer({ min: 0, max: 3 }), (s, lead) => {
      const text = `top:${render(s, lead + 1, false)}\n`;
      const tokens = Array.from(new Parser().parse(text));
      const deep = tokens.some((t) => t.type === 'document' && deepestCollection(t) !== undefined);
      if (deep) assert.ok(mayNestTooDeep(text), text.slice(0, 300));
      // And the text is what it claims to be: yaml reads it, or refuses it only for depth.
      const errors = parseAllDocumentsBounded(text).flatMap((d) => d.errors.map((e) => e.code));
      assert.equal(errors, deep ? ['RESOURCE_EXHAUSTION'] : []);
    }),
    { numRuns: 300 },
  );
});

test('ordinary manifests take the direct way: the bound clears them without a second read', () => {
  assert.not.ok(mayNestTooDeep(`${manifest}---\n${manifest}`));
  assert.not.ok(mayNestTooDeep(flow(100)));
  assert.ok(mayNestTooDeep(flow(MAX_YAML_NESTING + 1)));
});

test.run();
