import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';

const base = `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata:
  name: svc
spec:
  app:
    repo: app
    image: registry.example.com/team/svc
  environments:
    - name: production
      config: { repo: deploy, branch: prd, file: k.yaml, locator: { kustomizeImage: registry.example.com/team/svc } }
`;

function validate(text: string) {
  const parsed = parseDocuments('p.yaml', text);
  assert.is(parsed.diagnostics.length, 0, JSON.stringify(parsed.diagnostics));
  const doc = parsed.documents[0]!;
  return validatePolicy(doc.value, doc.locate, 'p.yaml');
}

test('a minimal policy is valid and gets the schema defaults', () => {
  const result = validate(base);
  assert.equal(result.diagnostics, []);
  assert.is(result.policy?.spec.app.mainline, 'main');
  assert.is(result.policy?.spec.app.tagFormat, 'main-{sha7}');
  assert.equal(result.policy?.spec.app.revisionFrom, ['label', 'tag']);
  assert.is(result.policy?.spec.environments[0]?.config.digest, 'update');
});

test('validation does not change the parsed value it is given', () => {
  const parsed = parseDocuments('p.yaml', base);
  const doc = parsed.documents[0]!;
  const before = JSON.stringify(doc.value);
  validatePolicy(doc.value, doc.locate);
  assert.is(JSON.stringify(doc.value), before);
});

test('every schema violation is reported, not only the first', () => {
  const text = base.replace('name: svc', 'name: svc\n  colour: red').replace('repo: app', 'repo: app\n    shape: round');
  const codes = validate(text).diagnostics.map((d) => d.code);
  assert.equal(codes, ['HF110', 'HF110']);
});

test('HF130: gitTag listed without a pattern', () => {
  const text = base.replace('repo: app', 'repo: app\n    revisionFrom: [gitTag]');
  const result = validate(text);
  assert.equal(result.diagnostics.map((d) => [d.code, d.range?.start.line, d.range?.start.col]), [['HF130', 8, 20]]);
  assert.is(result.policy, undefined);
});

test('warnings alone still give a policy', () => {
  const text = base.replace('locator: { kustomizeImage: registry.example.com/team/svc }', 'locator: { kustomizeImage: registry.example.com/team/other }');
  const result = validate(text);
  assert.equal(result.diagnostics.map((d) => d.code), ['HF132']);
  assert.ok(result.policy);
});

test('the locator needs exactly one key', () => {
  const result = validate(base.replace('locator: { kustomizeImage: registry.example.com/team/svc }', 'locator: {}'));
  assert.equal(result.diagnostics.map((d) => d.code), ['HF114']);
  assert.match(result.diagnostics[0]!.message, /exactly one of: kustomizeImage, fluxImagePolicy/);
});

test('a value of the wrong type is described in plain words', () => {
  const result = validate(base.replace('environments:\n', 'environments: 3\n').replace(/    - name[\s\S]*$/, ''));
  assert.equal(result.diagnostics.map((d) => d.message), ['spec.environments must be a list, not number 3']);
});

test.run();
