import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isNode, isPair, isScalar, visit, type Document } from 'yaml';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { findImage } from '../../src/patch/find-image.js';
import { patchYamlText } from '../../src/patch/patch-yaml.js';
import { parseYamlSourceWhere } from '../../src/patch/yaml-source-where.js';
import { parseYamlSource, yamlParsed, type YamlSource } from '../../src/patch/yaml-source.js';
import { yamlFile } from '../helpers/yaml-arbitraries.js';

// A file that will be edited is parsed document by document, only the documents the edit or
// the image's locator can touch get a node tree, a document already parsed (the same bytes,
// at any offset) is not parsed again, and every other document is only checked to be
// readable. Held here to the whole parse of the same text: the same refusal, word for word,
// or the same documents, node for node, with every offset, comment and line. On files built
// like real multi-document ones (HelmReleases with Flux markers, kustomizations), on the
// generated files of every scalar and collection style, and on what makes yaml's own split
// differ from one on `---` lines: directives, `...`, byte order marks, CRLF, a marker inside a
// block or quoted scalar, broken documents.

const helmRelease = (app: string, tag: string, anchored = true) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app} # the release
  namespace: commerce
spec:
  chart:
    spec: {chart: service, version: "4.39.0"}
  values:
    image:
      repository: ghcr.io/example-org/${app} # {"$imagepolicy": "flux-system:${app}:name"}
      tag: ${tag} # {"$imagepolicy": "flux-system:${app}:tag"}
    args: [--port, "8080"]
    notes: |
      rolled out by Flux
      --- indented, so not a marker

    podAnnotations:${anchored ? ' &annotations' : ''}
      prometheus.io/scrape: "true"
# the end of ${app}
`;

const valid = fc.constantFrom(
  '',
  '# only a comment\n',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: payments\n    newTag: "1.0.0"\n',
  'kind: ConfigMap\ndata:\n  key: "esc\\u0061ped"\n  url: http://api:8080/path?q=1\n',
  // A line starting `---` ends a block scalar, and starts a document (YAML 1.2 §9.1.4).
  'kind: ConfigMap\ndata:\n  script: |\n    echo one\n---\nafter: marker\n',
  '? [complex, key]\n: value\n',
  '[a, b]: flow key\n',
  'anchor: &a 1\nalias: *a\n',
  'tagged: !!str 1\nset: !!set {a, b}\n',
  'plain\nscalar document\n',
  '- a\n- b\n',
  // U+2028 and U+2029 are text to YAML, line ends to a JavaScript `^`: no marker follows them.
  'kind: ConfigMap # owner: storefront team\u2028---\ndata: {}\n',
);
const broken = fc.constantFrom(
  // Inside a quoted scalar too: an error to yaml.
  'kind: ConfigMap\ndata:\n  quoted: "first line\n---\n  still quoted"\n',
  "single: 'a\n...\n  b'\n",
  'broken: [unclosed\n',
  'a: 1\n  b: 2\n',
  'dup: 1\ndup: 2\n',
  '? ? nested\n  : key\n: value\n',
  ': empty key\n',
  'tab:\n\t- indented\n',
  // yaml parses these without an error and fails only when the value is read.
  'kind: Kustomization\nlabels:\n  - pairs:\n      team: *nope\n',
  'early: *later\nlate: &later 1\n',
);
const piece = fc.oneof(
  { arbitrary: fc.record({ app: fc.constantFrom('payments', 'orders', 'search'), tag: fc.constantFrom('main-6794280-1702555055', '1.2.3', '"2.0"'), anchored: fc.boolean() }).map(({ app, tag, anchored }) => helmRelease(app, tag, anchored)), weight: 10 },
  { arbitrary: valid, weight: 4 },
  // yaml ends such a document before the comment's line break when a `---` follows, at the end of the text after it.
  { arbitrary: fc.constant('empty:\n# a comment where its value would be\n'), weight: 1 },
  { arbitrary: broken, weight: 1 },
);

const realShaped = fc
  .record({
    start: fc.constantFrom('', '\uFEFF', '%YAML 1.2\n', '%TAG !e! tag:example.com,2026:\n', '# the releases of commerce\n\n', '# the releases\u2029--- of commerce\n', 'kind: Namespace\nmetadata:\n  name: commerce\n'),
    docs: fc.array(fc.record({ marker: fc.constantFrom('---\n', '--- # next\n', '---\t\n', '--- !!map\n', '...\n---\n', '\uFEFF---\n', '---x: 1\n'), body: piece }), { minLength: 1, maxLength: 6 }),
    tail: fc.constantFrom('', '...\n', '\n', '# trailing\n', '---\n'),
    crlf: fc.boolean(),
  })
  .map(({ start, docs, tail, crlf }) => {
    const text = `${start}${docs.map((d) => d.marker + d.body).join('')}${tail}`;
    return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
  });

/** Everything a reader of a document can see: ranges, comments, spacing, anchors, tags, styles and values, node by node in order. */
function described(doc: Document.Parsed): unknown[] {
  const out: unknown[] = [['document', doc.range, doc.commentBefore, doc.comment, doc.directives?.docStart, doc.contents === null]];
  visit(doc, (_, node) => {
    if (isPair(node)) out.push(['pair']);
    else if (isNode(node)) {
      const n = node as { range?: unknown; comment?: unknown; commentBefore?: unknown; spaceBefore?: unknown; anchor?: unknown; tag?: unknown; type?: unknown; flow?: unknown };
      out.push([node.constructor.name, n.range, n.comment, n.commentBefore, n.spaceBefore, n.anchor, n.tag, n.type, n.flow, isScalar(node) ? [node.value, node.source] : undefined]);
    }
  });
  out.push(['value', doc.toJS()]);
  return out;
}

function attempt(parse: () => YamlSource): { source: YamlSource } | { refused: string[] } {
  try {
    return { source: parse() };
  } catch (error) {
    if (error instanceof HotfixError) return { refused: error.diagnostics.map((d) => `${d.code} ${d.message}`) };
    throw error;
  }
}

/** parseYamlSourceWhere gives what the whole parse gives: the same refusal, or the same wanted documents at the same places. */
function assertSameAsWhole(text: string, wanted: (index: number) => boolean, seen: Record<string, number>): void {
  const whole = attempt(() => parseYamlSource(text));
  const where = attempt(() => parseYamlSourceWhere(text, (_, index) => wanted(index)));
  if ('refused' in whole || 'refused' in where) {
    assert.equal(where, whole, JSON.stringify(text));
    seen.refused!++;
    return;
  }
  assert.is(where.source.documents.length, whole.source.documents.length, JSON.stringify(text));
  whole.source.documents.forEach((doc, index) => {
    if (!wanted(index)) return;
    assert.equal(described(where.source.documents[index]!), described(doc), `document ${index} of ${JSON.stringify(text)}`);
    seen.compared!++;
  });
  for (let offset = 0; offset <= text.length; offset += 7) assert.is(where.source.lineOf(offset), whole.source.lineOf(offset));
  seen.same!++;
}

test('the documents read are those of the whole parse, and a refusal is its refusal, on real-shaped multi-document files', () => {
  const seen = { refused: 0, same: 0, compared: 0 };
  fc.assert(
    fc.property(realShaped, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (text, picks) => {
      const wanted = (index: number) => picks[index % picks.length]!;
      assertSameAsWhole(text, wanted, seen);
      // The same documents again behind another one: parsed before, now at other offsets.
      assertSameAsWhole(`---\nfirst: document\n${text.startsWith('\uFEFF') || text.startsWith('%') ? '' : text}`, wanted, seen);
    }),
    { numRuns: 700 },
  );
  assert.ok(seen.refused > 150 && seen.same > 600 && seen.compared > 600, `the generator must exercise every case: ${JSON.stringify(seen)}`);
});

test('the same on generated files of every scalar, collection and comment style, each document wanted', () => {
  const seen = { refused: 0, same: 0, compared: 0 };
  fc.assert(
    fc.property(yamlFile, fc.integer({ min: 0, max: 3 }), (file, skipped) => {
      assertSameAsWhole(file.text, (index) => index !== skipped, seen);
      const copy = `${file.text.endsWith('\n') ? file.text : `${file.text}\n`}---\n${file.text}`;
      assertSameAsWhole(copy, (index) => index !== skipped, seen);
    }),
    { numRuns: 400 },
  );
  assert.ok(seen.same > 700 && seen.compared > 1000, JSON.stringify(seen));
});

const RELEASES = ['# HelmReleases of the commerce namespace', ...Array.from({ length: 24 }, (_, i) => `---\n${helmRelease(i === 17 ? 'payments' : `app-${i}`, '1.2.3-rc.1', false)}`)].join('\n');
const PAYMENTS = { fluxImagePolicy: 'flux-system:payments' };
const IMAGE = 'ghcr.io/example-org/payments';

test('a rollback of one HelmRelease of 24 gives one node tree, and none again for a revision where only another changed', () => {
  const before = { ...yamlParsed };
  const head = findImage(RELEASES, PAYMENTS, IMAGE);
  assert.is(head.fields[0]!.document, 17);
  const tag = head.fields.find((f) => f.path.endsWith('/tag'))!;
  const edited = patchYamlText(RELEASES, [{ document: 17, ops: [{ op: 'replace', path: tag.path, value: 'main-5f2a694-1702541663' }] }]);
  assert.ok(edited.includes('tag: main-5f2a694-1702541663 # {"$imagepolicy": "flux-system:payments:tag"}'));
  assert.is(yamlParsed.texts - before.texts, 0, 'whole parses');
  // The release found and edited (parsed once, for both), and the edited one, checked.
  assert.is(yamlParsed.documents - before.documents, 2, 'documents parsed');

  // A bot bump of another release: every document but that one is known, and it is only checked.
  const bumped = RELEASES.replace('name: app-3 # the release', 'name: app-3 # the release, bumped');
  const mid = { ...yamlParsed };
  assert.equal(findImage(bumped, PAYMENTS, IMAGE).fields, head.fields);
  assert.is(yamlParsed.texts - mid.texts, 0, 'whole parses');
  assert.is(yamlParsed.documents - mid.documents, 0, 'documents parsed');
});

test('a broken release the image is not in still refuses the edit, with the whole parse\'s message', () => {
  const broken = RELEASES.replace('name: app-5 # the release\n', 'name: app-5 # the release\n  labels: [unclosed\n');
  const whole = attempt(() => parseYamlSource(broken));
  assert.ok('refused' in whole && whole.refused[0]!.startsWith('HF211 the config file is not valid YAML (document 5'), JSON.stringify(whole));
  const refusal = (find: () => unknown) => {
    try {
      find();
    } catch (error) {
      return error instanceof HotfixError ? error.diagnostics.map((d) => `${d.code} ${d.message}`) : error;
    }
    return 'not refused';
  };
  assert.equal(refusal(() => findImage(broken, PAYMENTS, IMAGE)), whole.refused);
  assert.equal(refusal(() => patchYamlText(broken, [{ document: 17, ops: [{ op: 'replace', path: '/spec/values/image/tag', value: 'x' }] }])), whole.refused);
});

test.run();
