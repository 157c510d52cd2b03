// Property-based tests of the format-preserving patch engine: random config files built
// from generated trees (so every scalar's path and byte span is known), random ops.
import fc from 'fast-check';
import jsonpatch from 'jsonpatch';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { formatPointer } from '../../src/patch/json-pointer.js';
import { patchYamlText, type PatchOp } from '../../src/patch/patch-yaml.js';
import { scalarText } from '../../src/patch/scalar-text.js';
import { jsonFile, keyName, numberValue, plainTag, scalarValue, stringValue, yamlFile, type CollectionSite, type GeneratedFile, type ScalarSite, type ScalarValue } from '../helpers/yaml-arbitraries.js';

// Fixed, so every run checks the same cases; fast-check prints it with a shrunk counterexample.
const seed = 6902;
let cases = 0;

function check<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => void): void {
  const counted = fc.property(arbitrary, (value) => {
    cases += 1;
    predicate(value);
  });
  fc.assert(counted, { seed, numRuns, includeErrorInReport: true });
}

/** The n-th element, counting round: a plain `fc.nat()` picks from a list and shrinks well. */
function nth<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

function documentsOf(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  assert.ok(Array.isArray(docs), 'the text has documents');
  for (const doc of docs) assert.equal(doc.errors, [], 'the text is valid YAML');
  return docs.map((doc) => doc.toJS());
}

/** The ops applied to the document's plain data by the jsonpatch library: what the file must read as. */
function intended(text: string, document: number, ops: PatchOp[]): unknown {
  return jsonpatch.apply_patch(documentsOf(text)[document], ops);
}

/** A key the mapping does not have yet. */
function newKey(map: CollectionSite, key: string): string {
  return map.keys.includes(key) ? newKey(map, `${key}-new`) : key;
}

function replaceOps(tokens: readonly string[], old: ScalarValue, value: ScalarValue): PatchOp[] {
  const path = formatPointer(tokens);
  return [
    { op: 'test', path, value: old },
    { op: 'replace', path, value },
  ];
}

/** The code of the HotfixError the run throws; returning text is a failure. */
function refusal(run: () => string): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HotfixError) return error.diagnostics.map((d) => d.code).join(' ');
    throw error;
  }
  throw new Error('expected a refusal, got text');
}

/** The part of `before` that `after` rewrote: what lies between their common prefix and common suffix. */
function rewritten(before: string, after: string): { start: number; end: number } {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start += 1;
  let kept = 0;
  while (kept < before.length - start && kept < after.length - start && before.at(-1 - kept) === after.at(-1 - kept)) kept += 1;
  return { start, end: before.length - kept };
}

const maps = (file: GeneratedFile) => file.collections.filter((c) => c.kind === 'map');

// A value in an indented block that ends in a comment trips the add/remove bug tested at the
// end of this file; the other add/remove properties leave those files out.

/** A file, one of its scalars, and a new value for it. */
function scalarReplace<F extends { readonly scalars: readonly unknown[] }>(files: fc.Arbitrary<F>) {
  return fc.record({ file: files.filter((f) => f.scalars.length > 0), n: fc.nat(), value: scalarValue }).map(({ file, n, value }) => ({ file, site: nth(file.scalars as F['scalars'][number][], n), value }));
}

test('generated files read as the trees they were built from', () => {
  check(yamlFile, 500, (file) => {
    assert.equal(documentsOf(file.text), file.documents.map((d) => d.value));
    for (const site of file.scalars) assert.is(file.text.slice(site.start, site.end), site.text);
  });
});

test('1. replace agrees with jsonpatch; the other documents keep their bytes', () => {
  check(scalarReplace(yamlFile), 2000, ({ file, site, value }) => {
    const ops = replaceOps(site.tokens, site.value, value);
    const out = patchYamlText(file.text, [{ document: site.document, ops }]);
    assert.equal(documentsOf(out)[site.document], intended(file.text, site.document, ops));
    const shift = out.length - file.text.length;
    file.documents.forEach((doc, index) => {
      const moved = index > site.document ? shift : 0;
      if (index !== site.document) assert.is(out.slice(doc.start + moved, doc.end + moved), file.text.slice(doc.start, doc.end), `document ${index}`);
    });
  });
});

test('1. on JSON: replace agrees with jsonpatch', () => {
  check(scalarReplace(jsonFile), 1500, ({ file, site, value }) => {
    const ops = replaceOps(site.tokens, site.value, value);
    assert.equal(documentsOf(patchYamlText(file.text, [{ document: 0, ops }]))[0], intended(file.text, 0, ops));
  });
});

test('2. comments survive a replace or an added key, in order', () => {
  const edit = fc.record({ replace: scalarReplace(yamlFile), add: fc.boolean(), n: fc.nat(), key: keyName });
  check(edit, 1000, ({ replace: { file, site, value }, add, n, key }) => {
    const map = add && maps(file).length > 0 ? nth(maps(file), n) : undefined;
    const patch = map
      ? { document: map.document, ops: [{ op: 'add' as const, path: formatPointer([...map.tokens, newKey(map, key)]), value }] }
      : { document: site.document, ops: [{ op: 'replace' as const, path: formatPointer(site.tokens), value }] };
    const out = patchYamlText(file.text, [patch]);
    let from = 0;
    for (const comment of file.comments) {
      const at = out.indexOf(comment, from);
      assert.ok(at >= 0, `"${comment}" is kept, after the comments before it`);
      from = at + comment.length;
    }
  });
});

test('3. only the value changes: every byte outside its span stays', () => {
  check(scalarReplace(yamlFile), 1500, ({ file, site, value }) => {
    const out = patchYamlText(file.text, [{ document: site.document, ops: replaceOps(site.tokens, site.value, value) }]);
    if (out === file.text) return;
    const { start, end } = rewritten(file.text, out);
    // An empty value (`key:  # c`) has no bytes: its span is the blanks after the colon.
    const spanEnd = site.end + (site.text === '' ? /^[ \t]*/.exec(file.text.slice(site.end))![0].length : 0);
    assert.ok(start >= site.start && end <= spanEnd, `rewrote ${JSON.stringify(file.text.slice(start, end))} at ${start}-${end}, outside the value's span ${site.start}-${spanEnd}`);
  });
});

function styleOf(text: string): 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' {
  if (text.startsWith("'")) return 'QUOTE_SINGLE';
  if (text.startsWith('"')) return 'QUOTE_DOUBLE';
  return text.startsWith('|') ? 'BLOCK_LITERAL' : 'PLAIN';
}

/** Scalars spelled as the engine writes their value in their style: the ones a round trip can restore. */
const canonical = (file: GeneratedFile) => file.scalars.filter((s) => scalarText(s.value, styleOf(s.text), s.inFlow) === s.text);

test('4. replacing a value and then putting the old one back restores every byte', () => {
  // The new value is one the old value's style can hold, so the engine keeps that style.
  const newValues = fc.record({
    PLAIN: plainTag,
    QUOTE_SINGLE: stringValue.filter((s) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(s)),
    QUOTE_DOUBLE: stringValue,
    other: fc.oneof(numberValue, fc.boolean(), fc.constant(null)),
  });
  const roundTrip = fc.record({ file: yamlFile.filter((f) => canonical(f).length > 0), n: fc.nat(), newValues }).map(({ file, n, newValues }) => {
    const site = nth(canonical(file), n);
    const style = styleOf(site.text);
    const value = typeof site.value === 'string' && style !== 'BLOCK_LITERAL' ? newValues[style] : newValues.other;
    return { file, site, value };
  });
  check(roundTrip, 1000, ({ file, site, value }) => {
    const changed = patchYamlText(file.text, [{ document: site.document, ops: replaceOps(site.tokens, site.value, value) }]);
    assert.is(patchYamlText(changed, [{ document: site.document, ops: replaceOps(site.tokens, value, site.value) }]), file.text);
  });
});

/** A file, one of its mappings, and a key and value to add there. */
function keyAdd(files: fc.Arbitrary<GeneratedFile>) {
  return fc.record({ file: files.filter((f) => maps(f).length > 0), n: fc.nat(), key: keyName, value: scalarValue }).map(({ file, n, key, value }) => {
    const map = nth(maps(file), n);
    return { file, map, path: formatPointer([...map.tokens, newKey(map, key)]), value };
  });
}

test('5. adding a key to a mapping and removing it again restores every byte', () => {
  check(keyAdd(yamlFile), 1000, ({ file, map, path, value }) => {
    const add: PatchOp[] = [{ op: 'add', path, value }];
    const added = patchYamlText(file.text, [{ document: map.document, ops: add }]);
    assert.equal(documentsOf(added)[map.document], intended(file.text, map.document, add));
    assert.is(patchYamlText(added, [{ document: map.document, ops: [{ op: 'remove', path }] }]), file.text);
  });
});

/** A file and the path of a key in one of its mappings that the predicate picks. */
function keyRemoval(files: fc.Arbitrary<GeneratedFile>, picked: (map: CollectionSite) => boolean) {
  return fc.record({ file: files.filter((f) => maps(f).some(picked)), n: fc.nat() }).map(({ file, n }) => {
    const map = nth(maps(file).filter(picked), n);
    return { file, map, path: formatPointer([...map.tokens, nth(map.keys, n)]) };
  });
}

// The only key of a block mapping cannot go by deleting lines (the mapping would become `{}`):
// see the skipped test at the end.
const notSoleBlockKey = (map: CollectionSite) => map.keys.length > (map.flow ? 0 : 1);

test('5. removing an existing key agrees with jsonpatch', () => {
  check(keyRemoval(yamlFile, notSoleBlockKey), 500, ({ file, map, path }) => {
    const ops: PatchOp[] = [{ op: 'remove', path }];
    assert.equal(documentsOf(patchYamlText(file.text, [{ document: map.document, ops }]))[map.document], intended(file.text, map.document, ops));
  });
});

test('6. a test op with a wrong value is refused (HF320)', () => {
  const wrongTest = scalarReplace(yamlFile).filter(({ site, value }) => !Object.is(site.value, value));
  check(wrongTest, 500, ({ file, site, value }) => {
    const ops = replaceOps(site.tokens, value, site.value);
    assert.is(refusal(() => patchYamlText(file.text, [{ document: site.document, ops }])), 'HF320');
  });
});

type Missing = 'key' | 'index' | 'below-scalar' | 'document';

/** Where a path leaves the file: a missing key, an index past the end, below a scalar, a missing document. */
function missingNode(file: GeneratedFile, where: Missing, n: number, key: string): { document: number; tokens: readonly string[] } {
  const scalar = nth(file.scalars, n);
  const map = nth(maps(file), n);
  const seqs = file.collections.filter((c) => c.kind === 'seq');
  if (where === 'document') return { document: file.documents.length + (n % 2), tokens: scalar.tokens };
  if (where === 'below-scalar') return { document: scalar.document, tokens: [...scalar.tokens, key] };
  if (where === 'index' && seqs.length > 0) {
    const seq = nth(seqs, n);
    return { document: seq.document, tokens: [...seq.tokens, String(seq.keys.length + (n % 3))] };
  }
  return { document: map.document, tokens: [...map.tokens, newKey(map, key)] };
}

test('6. a path that is not there is refused (HF321)', () => {
  const missing = fc.record({
    file: yamlFile.filter((f) => f.scalars.length > 0 && maps(f).length > 0),
    where: fc.constantFrom<Missing>('key', 'index', 'below-scalar', 'document'),
    op: fc.constantFrom('test', 'replace', 'remove', 'add'),
    n: fc.nat(),
    key: keyName,
  });
  check(missing, 500, ({ file, where, op, n, key }) => {
    const { document, tokens } = missingNode(file, where, n, key);
    // `add` at a missing key is legal, and `remove` below a sequence or a scalar is another
    // refusal (HF322): those go one level deeper, where the parent itself is missing.
    const deeper = op === 'add' || (op === 'remove' && where !== 'key');
    const path = formatPointer(deeper ? [...tokens, 'y'] : tokens);
    const ops: PatchOp[] = [op === 'remove' ? { op, path } : { op, path, value: 'v' }];
    assert.is(refusal(() => patchYamlText(file.text, [{ document, ops }])), 'HF321');
  });
});

// ---- known bugs: these fail until src/patch is fixed --------------------------------------

// A value in an indented block that ends in a comment (an empty `key:  # c`, or a nested block
// whose last line is a comment): `yaml` ends its range past the next line's indentation, which
// once made the editor take the whole next line with it. Found by this file; kept as a guard:
//   a:\n  b: # x\n  c: 1\n              remove /a/b    gives  a:\n  c: 1\n
//   a:\n  b:\n    c: # x\n  e: 1\n      add /a/b/f = 2 gives  a:\n  b:\n    c: # x\n    f: 2\n  e: 1\n
test('adding and removing keys after a value that ends in a comment agrees with jsonpatch', () => {
  const edits = fc.oneof(
    keyAdd(yamlFile.filter((f) => f.nestedValueEndsInComment)).map(({ file, map, path, value }) => ({ file, document: map.document, ops: [{ op: 'add', path, value }] as PatchOp[] })),
    keyRemoval(yamlFile.filter((f) => f.nestedValueEndsInComment), notSoleBlockKey).map(({ file, map, path }) => ({ file, document: map.document, ops: [{ op: 'remove', path }] as PatchOp[] })),
  );
  check(edits, 500, ({ file, document, ops }) => {
    assert.equal(documentsOf(patchYamlText(file.text, [{ document, ops }]))[document], intended(file.text, document, ops));
  });
});

// A JSON number, boolean or null replaced by a string once kept its plain style, leaving a
// bare string the file's JSON readers would reject. Found by this file; kept as a guard:
//   {"replicas": 2}   replace /replicas = "abc"   gives {"replicas": "abc"}
test('JSON stays JSON: a replaced value is written as JSON', () => {
  check(scalarReplace(jsonFile), 500, ({ file, site, value }) => {
    const ops = replaceOps(site.tokens, site.value, value);
    assert.equal(JSON.parse(patchYamlText(file.text, [{ document: 0, ops }])), jsonpatch.apply_patch(JSON.parse(file.text), ops));
  });
});

// Removing the only key of a block mapping would leave the parent empty (null), where
// jsonpatch gives `{}`: the editor refuses it, saying why, rather than guessing a layout.
test('removing the only key of a block mapping is refused, saying why', () => {
  const soleKey = (map: CollectionSite) => !map.flow && !map.compact && map.keys.length === 1;
  check(keyRemoval(yamlFile, soleKey), 300, ({ file, map, path }) => {
    const ops: PatchOp[] = [{ op: 'remove', path }];
    assert.throws(() => patchYamlText(file.text, [{ document: map.document, ops }]), /only key of its mapping/);
  });
});

test.after(() => {
  console.log(`patch properties: ${cases} generated cases`);
});

test.run();
