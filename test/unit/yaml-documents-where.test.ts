import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { findImage, findImageInRevision } from '../../src/patch/find-image.js';
import type { Locator } from '../../src/policy/types.js';

// The history walk parses only the documents of a revision that can name the image. It must
// give findImage's answer (fields, lines, image, or the same refusal) on every file, so this
// compares the two on multi-document files built from the pieces real ones have: HelmReleases
// with Flux markers (several policies per document, as image automation repositories write
// them), kustomizations, comment-only preambles, empty and `--- # comment` documents, block
// scalars, CRLF lines, escapes, a `...` end marker and a %YAML directive (both parsed whole),
// and broken documents.
const IMAGE = 'ghcr.io/example-org/payments';

const helmRelease = (app: string, tag: string, policy: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${app}
  namespace: commerce
spec:
  values:
    image:
      repository: ghcr.io/example-org/${app} # {"$imagepolicy": "${policy}:name"}
      tag: ${tag} # {"$imagepolicy": "${policy}:tag"}
    notes: |
      rolled out by Flux
      --- not a marker: indented
`;
const kustomization = (name: string, tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
images:
  - name: ${name}
    newName: ${IMAGE}
    newTag: "${tag}"
`;

const piece = fc.oneof(
  fc.record({ app: fc.constantFrom('payments', 'orders', 'payments-migrations'), tag: fc.constantFrom('main-6794280-1702555055', '1.2.3'), policy: fc.constantFrom('flux-system:payments', 'flux-system:orders', 'apps:payments') }).map(({ app, tag, policy }) => helmRelease(app, tag, policy)),
  fc.record({ name: fc.constantFrom('api', 'payments', 'worker'), tag: fc.constantFrom('1.0.0', '2.0.0') }).map(({ name, tag }) => kustomization(name, tag)),
  fc.constantFrom('', '# only a comment\n', 'kind: ConfigMap\ndata:\n  key: "esc\\u0061ped flux-system:payments"\n', 'broken: [unclosed\n', 'a: 1\n  b: 2\n', 'key: |\n  text\n'),
);

const file = fc.record({
  preamble: fc.constantFrom('', '# a comment before any document\n\n', 'kind: Namespace\nmetadata:\n  name: commerce\n'),
  docs: fc.array(fc.record({ marker: fc.constantFrom('---\n', '--- # next\n', '---\r\n'), body: piece }), { minLength: 1, maxLength: 6 }),
  tail: fc.constantFrom('', '...\n', '\n'),
  directive: fc.boolean(),
  crlf: fc.boolean(),
}).map(({ preamble, docs, tail, directive, crlf }) => {
  const text = `${directive ? '%YAML 1.2\n' : ''}${preamble}${docs.map((d) => d.marker + d.body).join('')}${tail}`;
  return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
});

const LOCATORS: Locator[] = [{ fluxImagePolicy: 'flux-system:payments' }, { fluxImagePolicy: 'apps:payments' }, { kustomizeImage: 'payments' }, { kustomizeImage: 'api' }];

function answer(find: () => unknown): unknown {
  try {
    return { found: find() };
  } catch (error) {
    if (error instanceof HotfixError) return { refused: error.diagnostics.map((d) => `${d.code} ${d.message}`) };
    throw error;
  }
}

const refusedAsBroken = (a: unknown) => (a as { refused?: string[] }).refused?.every((m) => m.startsWith('HF211 ')) === true;

test('the partial parse gives findImage\'s answer on every generated multi-document file, but for documents that cannot hold the image', () => {
  const seen = { same: 0, found: 0, brokenElsewhere: 0 };
  fc.assert(
    fc.property(file, fc.constantFrom(...LOCATORS), (text, locator) => {
      const whole = answer(() => findImage(text, locator, IMAGE));
      const partial = answer(() => findImageInRevision(text, locator, IMAGE));
      if ('found' in (whole as object)) seen.found++;
      // The one difference, by design: a document that does not parse is not read when it
      // cannot name the image, so the revision says what its other documents say.
      if (refusedAsBroken(whole) && !refusedAsBroken(partial)) {
        seen.brokenElsewhere++;
        return;
      }
      seen.same++;
      assert.equal(partial, whole);
    }),
    { numRuns: 1500 },
  );
  assert.ok(seen.found > 150 && seen.brokenElsewhere > 25 && seen.same > 1000, `the generator must exercise every case: ${JSON.stringify(seen)}`);
});

test('a match in the tenth document has the lines and index of the whole file', () => {
  const text = Array.from({ length: 10 }, (_, i) => `---\n${helmRelease(i === 9 ? 'payments' : `app-${i}`, '1.2.3', i === 9 ? 'flux-system:payments' : `flux-system:app-${i}`)}`).join('');
  const location = findImageInRevision(text, { fluxImagePolicy: 'flux-system:payments' }, IMAGE);
  assert.equal(location, findImage(text, { fluxImagePolicy: 'flux-system:payments' }, IMAGE));
  assert.is(location.fields[0]!.document, 9);
  assert.is(text.split('\n')[location.fields[0]!.line - 1], '      repository: ghcr.io/example-org/payments # {"$imagepolicy": "flux-system:payments:name"}');
});

test.run();
