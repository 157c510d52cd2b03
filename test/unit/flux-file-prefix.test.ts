import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FluxFilePrefix } from '../../src/state/git/flux-file-prefix.js';
import { fluxObjectsIn } from '../../src/state/git/scan-flux.js';

// A Flux file is read only through its last document that may hold a Flux object: the
// objects found in that start are the objects found in the whole file, however the pipe
// cuts the bytes, and what follows (a 16 MiB ConfigMap) is not kept.

const policy = (name: string) => `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: ${name}\n`;
const quoted = (name: string) => `"apiVersion": "image.toolkit.fluxcd.io/v1beta2"\n"kind": "ImageRepository"\n"metadata": {"name": "${name}"}\n`;
const automation = 'apiVersion: image.toolkit.fluxcd.io/v1beta1\nkind: ImageUpdateAutomation\nmetadata:\n  name: deploy\n  namespace: flux-system\nspec:\n  update:\n    path: ./app\n';
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  big: |\n${data}`;

/** The lines git grep matches (scan-flux.ts's pattern, line by line). */
const KIND_LINE = /kind["']?[ \t\v\f\r]*:[ \t\v\f\r]*(?:!!str[ \t\v\f\r]+)?["']?Image(?:UpdateAutomation|Policy|Repository)/;
function lastMatch(text: string): number | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if (KIND_LINE.test(lines[i]!)) return i + 1;
  return undefined;
}

function prefixOf(bytes: Buffer, sizes: readonly number[], last: number | undefined): { text: string; pieces: number; enough: boolean } {
  const prefix = new FluxFilePrefix(last);
  let at = 0;
  let pieces = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? bytes.length);
    pieces++;
    if (prefix.take(bytes.subarray(at, at + size))) return { text: prefix.text(), pieces, enough: true };
    at += size;
  }
  return { text: prefix.text(), pieces, enough: false };
}

const described = (file: string, text: string) => fluxObjectsIn(file, text).map((o) => `${o.kind} ${o.namespace}/${o.name} #${o.document}`);

test('the start ends before the marker after the last matched document', () => {
  const text = `${policy('a')}---\n${automation}---\n${configMap('    x\n')}---\n${configMap('    y\n')}`;
  const { text: start, enough } = prefixOf(Buffer.from(text), [text.length], lastMatch(text));
  assert.ok(enough);
  assert.is(start, `${policy('a')}---\n${automation}`);
});

test('markers: ---, "--- x", "---\\t", "---\\r\\n" end a document; "----", "---x", " ---" do not', () => {
  for (const marker of ['---\n', '--- # next\n', '--- !!map\n', '---\t\n', '---\r\n'])
    assert.is(prefixOf(Buffer.from(`${policy('a')}${marker}rest: 1\n`), [1000], 2).text, policy('a'), JSON.stringify(marker));
  for (const notMarker of ['----\n', '---x\n', ' ---\n'])
    assert.is(prefixOf(Buffer.from(`${policy('a')}${notMarker}rest: 1\n`), [1000], 2).text, `${policy('a')}${notMarker}rest: 1\n`, JSON.stringify(notMarker));
});

test('no line number, or the last match in the last document: the whole file', () => {
  const text = `${configMap('    x\n')}---\n${policy('a')}`;
  assert.is(prefixOf(Buffer.from(text), [7], undefined).text, text);
  assert.is(prefixOf(Buffer.from(text), [7], lastMatch(text)).text, text);
});

test('a 16 MiB ConfigMap after the objects: the first 64 KiB piece is enough, and only it is kept', () => {
  const text = `${policy('a')}---\n${automation}---\n${configMap('    {"panel": 1, "expr": "sum(rate(x[5m]))"}\n'.repeat(400_000))}`;
  const bytes = Buffer.from(text);
  assert.ok(bytes.length > 16 * 1024 * 1024);
  const { text: start, pieces } = prefixOf(bytes, [64 * 1024], lastMatch(text));
  assert.is(pieces, 1);
  assert.is(start.length, policy('a').length + 4 + automation.length);
});

const documents = fc.constantFrom(policy('a'), policy('b'), automation, quoted('q'), configMap('    x\n'), configMap('    ---x\n    kind: ImagePolicy\n'), 'key: [unclosed\n', '# a comment\n', '', 'kind: ImagePolicy\n');
const markers = fc.constantFrom('---\n', '--- # c\n', '---   \n', '--- !!map\n', '...\n---\n', '---\r\n', '\r---\n');

test('property: the objects in the start are the objects in the whole file, however it is cut into pieces', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(markers, documents), { maxLength: 7 }), documents, fc.boolean(), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), (rest, first, crlf, sizes) => {
      let text = first + rest.map(([marker, doc]) => marker + doc).join('');
      if (crlf) text = text.replace(/\r?\n/g, '\r\n');
      const { text: start } = prefixOf(Buffer.from(text), sizes, lastMatch(text));
      assert.ok(text.startsWith(start));
      assert.equal(described('f.yaml', start), described('f.yaml', text));
    }),
    { numRuns: 3000 },
  );
});

test.run();
