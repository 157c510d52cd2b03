import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { indentationSlips } from '../../src/policy/indentation-slips.js';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { ROOT } from '../helpers/run-cli.js';

const policies = readdirSync(join(ROOT, 'policies'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => ({ name, text: readFileSync(join(ROOT, 'policies', name), 'utf8') }));

/** Every way one line of `text` can slip one or two spaces either way. */
function* slipsOfOneLine(text: string): Generator<{ line: number; by: number; text: string }> {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const indent = line.length - line.trimStart().length;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    for (const by of [-2, -1, 1, 2]) {
      if (indent + by < 0) continue;
      const copy = [...lines];
      copy[i] = ' '.repeat(indent + by) + line.trimStart();
      yield { line: i + 1, by, text: copy.join('\n') };
    }
  }
}

test('one line of an example policy moved one or two spaces is one finding, which names that line', () => {
  let broken = 0;
  let yamlErrors = 0;
  const unnamed: string[] = [];
  for (const { name, text } of policies) {
    for (const variant of slipsOfOneLine(text)) {
      const errors = (parseAllDocuments(variant.text) as unknown as Array<{ errors: unknown[] }>).flatMap((d) => d.errors);
      if (errors.length === 0) continue; // still valid YAML (a key moved into the block above it): the schema has its say
      broken++;
      yamlErrors += errors.length;
      const findings = parseDocuments(name, variant.text).diagnostics;
      const where = `${name} line ${variant.line} moved ${variant.by}`;
      assert.is(findings.length, 1, `${where}: ${findings.map((d) => d.message).join(' | ')}`);
      // At the moved line, or naming it among the lines it is about or as the other side.
      const [finding] = findings as [Diagnostic];
      const spans = [...finding.message.matchAll(/lines? (\d+)(?:–(\d+))?/g)].map((m) => [Number(m[1]), Number(m[2] ?? m[1])] as const);
      const named = finding.range?.start.line === variant.line || spans.some(([from, to]) => from <= variant.line && variant.line <= to);
      if (!named) unnamed.push(`${where}: ${finding.message}`);
    }
  }
  // A line moved two spaces deeper can leave yaml a valid block up to a later line (its children become its siblings); one space never does.
  assert.ok(unnamed.every((u) => u.includes('moved 2')), unnamed.join('\n'));
  assert.ok(unnamed.length * 50 <= broken, unnamed.join('\n'));
  // Enough variants broke the YAML for this to mean something, and yaml alone said far more.
  assert.ok(broken > 300, `${broken}`);
  assert.ok(yamlErrors > 3 * broken, `${yamlErrors} parser errors for ${broken} slips`);
});

test('valid layouts have no slips: compact lists, block scalars, flow and quoted values over several lines, comments anywhere, several documents', () => {
  const valid = [
    ...policies.map((p) => p.text),
    'spec:\n  hotfix:\n    bypass:\n    - dev\n    - staging\n    mergeBack:\n    - main\n  git:\n    push: true\n',
    'metadata:\n  description: |\n    Billing service.\n      Indented more inside the text.\n\n    Still the text.\n  owners: [a]\nspec: {}\n',
    'metadata:\n  description: >-\n    folded\n    text\n  name: x\n',
    'spec:\n  app: { repo: web,\n    image: registry.example.com/shop/web,\n      tagFormat: "main-{sha7}" }\n  hotfix:\n    reasons: [security,\n      critical-bug]\n    base: deployed\n',
    'metadata:\n  description: "a long description\n      going on over lines\n    at any indentation deeper than the key"\n  name: x\n',
    'metadata:\n# a comment at the margin\n      # and one deeper\n  name: x\n  owners:\n  # between items\n  - a\n',
    'a: 1\n---\n  b: 1\n  c: 2\n---\nd:\n  - e: 1\n    f: 2\n  -   g: 3\n      h: 4\n',
    '{"apiVersion": "hotfix.dev/v1alpha1",\n  "kind": "HotfixPolicy",\n "metadata": {"name": "x"}}\n',
    'spec:\n  environments:\n    - name: dev\n      config: &dev\n        repo: deploy\n    - name: prod\n      config: *dev\n',
  ];
  for (const text of valid) {
    assert.is((parseAllDocuments(text) as unknown as Array<{ errors: unknown[] }>).flatMap((d) => d.errors).length, 0, text);
    assert.equal(indentationSlips(text), [], text);
  }
});

test('a slip in a Kubernetes manifest (not a policy): the same one finding', () => {
  const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\nimages:\n  - name: registry.example.com/shop/web\n     newTag: main-26a4b87\n';
  const slips = indentationSlips(kustomization);
  assert.equal(slips.map((s) => s.message), ['line 7 is indented 5 spaces, but the other keys of its mapping are indented 4 (line 6); the entries of one block start in the same column']);
  assert.equal(slips[0]!.range.start, { line: 7, col: 6 });
});

test('hostile lines, hundreds of kilobytes of anchors, tags, quotes or brackets, are read in one pass and the slip after them found', () => {
  // Nested repetition in a pattern, or a look back over the line for each quote, would make these take hours; read once they take milliseconds.
  const values = ['&'.repeat(200_000) + 'x y', '& '.repeat(100_000) + 'x', `[${"'a', ".repeat(40_000)}]`, `{${'"k": "v", '.repeat(30_000)}}`, '!'.repeat(100_000) + ' &a x'];
  for (const value of values) {
    const slips = indentationSlips(`spec:\n  hotfix: ${value}\n   base: deployed\n`);
    assert.is(slips.length, 1, value.slice(0, 20));
    assert.is(slips[0]!.range.start.line, 3);
  }
});

test.run();
