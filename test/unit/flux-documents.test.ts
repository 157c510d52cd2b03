import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { fluxCandidateDocuments } from '../../src/state/git/flux-documents.js';
import { fluxObjectsIn } from '../../src/state/git/scan-flux.js';

const policy = (name: string) => `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: ${name}\n`;
const automation = 'apiVersion: image.toolkit.fluxcd.io/v1beta1\nkind: ImageUpdateAutomation\nmetadata:\n  name: deploy\n  namespace: flux-system\nspec:\n  suspend: true\n  update:\n    path: ./app\n';
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  big: |\n${data}`;

/** The objects as yaml reads the whole file: kind, name and document index. */
function byYaml(text: string): string[] {
  return parseAllDocuments(text).flatMap((doc, i) => {
    const v = doc.errors.length > 0 ? null : (doc.toJS() as { kind?: string; apiVersion?: string; metadata?: { name?: string } } | null);
    return v && /^Image(UpdateAutomation|Policy|Repository)$/.test(v.kind ?? '') && v.apiVersion?.startsWith('image.toolkit.fluxcd.io/') ? [`${v.kind} ${v.metadata?.name} #${i}`] : [];
  });
}

const TEXTS: Array<[string, string]> = [
  ['one object', policy('a')],
  ['objects and a ConfigMap', `${policy('a')}---\n${configMap('    x\n')}---\n${policy('b')}`],
  ['a leading marker', `---\n${policy('a')}---\n${automation}`],
  ['comments before the first marker', `# generated\n\n# by flux\n---\n${configMap('    x\n')}---\n${policy('a')}`],
  ['content before the first marker', `${configMap('    x\n')}---\n${policy('a')}`],
  ['empty documents and a trailing marker', `---\n---\n${policy('a')}---\n---\n${policy('b')}---\n`],
  ['a marker with a comment and spaces', `${configMap('    x\n')}---   # next\n${automation}--- \n${policy('b')}`],
  ['a broken document among them', `${policy('a')}---\nkey: [unclosed\n---\n${policy('b')}`],
  ['a marker with content after it', `${policy('a')}--- !!map\nkind: ImagePolicy\n---\n${policy('b')}`],
  ['an end marker', `${policy('a')}...\n---\n${policy('b')}`],
  ['a directive', `%YAML 1.2\n---\n${policy('a')}---\n${policy('b')}`],
  ['CRLF line ends', `${policy('a')}---\n${policy('b')}`.replace(/\n/g, '\r\n')],
  ['CRLF line ends and a comment before the first marker', `# generated\n---\n${policy('a')}---\n${policy('b')}`.replace(/\n/g, '\r\n')],
  ['a carriage return of its own before a marker', `${policy('a')}\r---\n${policy('b')}`],
  ['a document marker inside a block scalar ends it', `${configMap('    x\n')}---\n${policy('a')}`],
  ['a marker-like line indented in a block scalar', `${configMap('    ---\n    kind: ImagePolicy\n')}---\n${policy('a')}`],
];

for (const [label, text] of TEXTS)
  test(`flux documents: ${label} reads as yaml reads the whole file`, () => {
    assert.equal(fluxObjectsIn('f.yaml', text).map((o) => `${o.kind} ${o.name} #${o.document}`), byYaml(text));
  });

test('flux documents: a 16 MiB ConfigMap beside a policy is never handed to a parser', () => {
  const big = configMap('    {"panel": 1, "expr": "sum(rate(x[5m]))"}\n'.repeat(400_000));
  const text = `${policy('a')}---\n${big}---\n${automation}`;
  assert.ok(text.length > 16 * 1024 * 1024);
  const candidates = fluxCandidateDocuments(text)!;
  assert.equal(candidates.map((c) => c.document), [0, 2]);
  const parsed = candidates.reduce((n, c) => n + c.text.length, 0);
  assert.ok(parsed < 1024, `${parsed} characters go to the parser`);
  assert.equal(fluxObjectsIn('f.yaml', text).map((o) => `${o.kind} ${o.name} #${o.document}`), ['ImagePolicy a #0', 'ImageUpdateAutomation deploy #2']);
});

test.run();
