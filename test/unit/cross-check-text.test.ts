import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crossCheckText } from '../../src/patch/cross-check.js';
import type { DocumentPatch } from '../../src/patch/patch-yaml.js';
import { parseYamlSource, type YamlSource } from '../../src/patch/yaml-source.js';
import { HotfixError } from '../../src/diagnostics/errors.js';

// crossCheckText checks an edited multi-document file by parsing only the documents the ops
// name; whatever it cannot be sure of goes to a whole parse. Each case counts the whole parses.
const RELEASES = `# HelmReleases of the commerce namespace
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: checkout
spec:
  values:
    image:
      tag: 1.4.0 # {"$imagepolicy": "flux-system:checkout:tag"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: payments
spec:
  values:
    image:
      tag: main-6794280-1702555055 # {"$imagepolicy": "flux-system:payments:tag"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: search
spec:
  values:
    image:
      tag: 2.0.1
`;
const TAG = '/spec/values/image/tag';
const rollback: DocumentPatch[] = [{ document: 1, ops: [{ op: 'test', path: TAG, value: 'main-6794280-1702555055' }, { op: 'replace', path: TAG, value: 'main-5f2a694-1702541663' }] }];

function check(original: string, edited: string, patches: readonly DocumentPatch[] = rollback): { wholeParses: number; error?: HotfixError } {
  let wholeParses = 0;
  const reparse = (text: string): YamlSource => (wholeParses++, parseYamlSource(text));
  try {
    crossCheckText(parseYamlSource(original), edited, patches, reparse);
    return { wholeParses };
  } catch (error) {
    if (!(error instanceof HotfixError)) throw error;
    return { wholeParses, error };
  }
}

const rolledBack = RELEASES.replace('main-6794280-1702555055', 'main-5f2a694-1702541663');

test('the edit the ops mean passes without a whole parse of the file', () => {
  assert.equal(check(RELEASES, rolledBack), { wholeParses: 0 });
});

test('a document no op names that changed, an edit the ops do not mean, changed comments before the first document: HF322', () => {
  const cases = [
    [rolledBack.replace('tag: 2.0.1', 'tag: 2.0.2'), /document 2 changed although no op names it/],
    [RELEASES.replace('main-6794280-1702555055', 'main-0000000-1702541663'), /document 1 does not read as the ops intend/],
    [rolledBack.replace('# HelmReleases', '# Releases'), /comments before the first document changed/],
  ] as const;
  for (const [edited, message] of cases) {
    const { error } = check(RELEASES, edited);
    assert.is(error?.diagnostics[0]?.code, 'HF322', String(message));
    assert.match(error!.diagnostics[0]!.message, message);
  }
});

test('what a split on --- lines cannot be sure of is parsed whole, with the whole check\'s findings', () => {
  // A document split in two by the edit: the counts differ, the whole parse says so.
  const split = check(RELEASES, rolledBack.replace('  name: payments\n', '  name: payments\n---\n'));
  assert.is(split.wholeParses, 1);
  assert.match(split.error!.diagnostics[0]!.message, /4 documents after the edit, 3 before/);
  // An edited document that no longer parses: the whole parse refuses it.
  const broken = check(RELEASES, rolledBack.replace('tag: main-5f2a694-1702541663', 'tag: [main-5f2a694'));
  assert.is(broken.wholeParses, 1);
  assert.ok(broken.error, 'refused');
  // Directives and `...` ends make yaml's split differ from one on --- lines.
  const directive = `%YAML 1.2\n${RELEASES}`;
  assert.equal(check(directive, `%YAML 1.2\n${rolledBack}`), { wholeParses: 1 });
  // A single document has no --- to split on.
  const single = 'image:\n  tag: main-6794280-1702555055\n';
  assert.equal(check(single, 'image:\n  tag: main-5f2a694-1702541663\n', [{ document: 0, ops: [{ op: 'replace', path: '/image/tag', value: 'main-5f2a694-1702541663' }] }]), { wholeParses: 1 });
});

test.run();
