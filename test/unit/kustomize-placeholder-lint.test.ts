import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';

// Kustomize's `images[].name` matches the image the manifests use, which in many repositories
// is a placeholder (`image: api` in base/deployment.yaml) that newName turns into the real one.
const policy = (name: string) => `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata:
  name: api-js
spec:
  app:
    repo: app
    image: ghcr.io/example-org/api-js
  environments:
    - name: production
      config: { repo: deploy, branch: main, file: apps/production/kustomization.yaml, locator: { kustomizeImage: ${name} } }
`;

const codes = (name: string) => {
  const doc = parseDocuments('p.yaml', policy(name)).documents[0]!;
  return validatePolicy(doc.value, doc.locate, 'p.yaml').diagnostics.map((d) => d.code);
};

test('a placeholder name is normal', () => {
  assert.equal(codes('api'), []);
  assert.equal(codes('api-js'), []);
});

test('another image reference is still HF132', () => {
  assert.equal(codes('ghcr.io/example-org/worker'), ['HF132']);
  assert.equal(codes('example-org/api'), ['HF132']);
  assert.equal(codes('ghcr.io/example-org/api-js'), []);
});

test.run();
