import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { renderedImage } from '../../src/state/render/rendered-image.js';
import { kubectlSays } from '../../src/state/render/run-kustomize.js';
import { isPlannedImage } from '../../src/state/render/same-image.js';

const API = 'registry.example.com/team/api-js';

/** What `kubectl kustomize` prints: documents separated by `---`, keys sorted. */
const RENDERED = `apiVersion: v1
kind: Service
metadata:
  name: api-js
spec:
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: api-js
spec:
  template:
    spec:
      containers:
      - image: registry.example.com/team/api-js:sts
        name: api
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-js
spec:
  template:
    spec:
      containers:
      - image: envoyproxy/envoy:v1.30
        name: proxy
      - image: ${API}:main-2222222
        name: api
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
      - image: ${API}:worker
        name: api
`;

test('the container of the workload named by kind/name, among several documents', () => {
  assert.is(renderedImage(RENDERED, 'deployment/api-js', 'api', 'overlays/production'), `${API}:main-2222222`);
  assert.is(renderedImage(RENDERED, 'deployment/api-js', 'proxy', 'overlays/production'), 'envoyproxy/envoy:v1.30');
  assert.is(renderedImage(RENDERED, 'statefulset/api-js', 'api', 'overlays/production'), `${API}:sts`);
  assert.is(renderedImage(RENDERED, 'deployment/worker', 'api', 'overlays/production'), `${API}:worker`);
});

test('the kind is matched in any case, as kubectl does', () => {
  assert.is(renderedImage(RENDERED, 'Deployment/api-js', 'api', '.'), `${API}:main-2222222`);
  assert.is(renderedImage(RENDERED, 'STATEFULSET/api-js', 'api', '.'), `${API}:sts`);
});

test('no such workload or container: undefined, for the caller to report', () => {
  assert.is(renderedImage(RENDERED, 'daemonset/api-js', 'api', '.'), undefined);
  assert.is(renderedImage(RENDERED, 'deployment/api', 'api', '.'), undefined);
  assert.is(renderedImage(RENDERED, 'deployment/api-js', 'sidecar', '.'), undefined);
  assert.is(renderedImage(RENDERED, 'service/api-js', 'api', '.'), undefined);
  assert.is(renderedImage('', 'deployment/api-js', 'api', '.'), undefined);
  assert.is(renderedImage('---\n---\nplain scalar\n---\n- a list\n', 'deployment/api-js', 'api', '.'), undefined);
  assert.is(renderedImage('kind: Deployment\nmetadata: {name: api-js}\nspec: {template: {spec: {containers: [null, {name: api}]}}}\n', 'deployment/api-js', 'api', '.'), undefined);
});

test('output that is not YAML is HF216 naming the directory', () => {
  try {
    renderedImage('kind: Deployment\nspec: [\n---\n', 'deployment/api-js', 'api', 'overlays/production');
    assert.unreachable('expected HF216');
  } catch (error) {
    assert.instance(error, HotfixError);
    const [d] = (error as HotfixError).diagnostics;
    assert.is(d?.code, 'HF216');
    assert.match(d?.message ?? '', /^kubectl kustomize overlays\/production printed output that is not YAML: [^\n]+$/);
  }
});

test('planned image: name and tag, or name and digest (kustomize 2 drops the tag beside a digest)', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const other = `sha256:${'b'.repeat(64)}`;
  assert.ok(isPlannedImage(`${API}:v2`, `${API}:v2`));
  assert.not.ok(isPlannedImage(`${API}:v1`, `${API}:v2`));
  assert.not.ok(isPlannedImage(`registry.example.com/mirror/api-js:v2`, `${API}:v2`));
  assert.not.ok(isPlannedImage(`${API}:v2@${digest}`, `${API}:v2`), 'a digest the plan does not name pins another image');
  assert.ok(isPlannedImage(`${API}:v2@${digest}`, `${API}:v2@${digest}`));
  assert.ok(isPlannedImage(`${API}@${digest}`, `${API}:v2@${digest}`));
  assert.ok(isPlannedImage(`${API}:v2@${digest}`, `${API}@${digest}`));
  assert.not.ok(isPlannedImage(`${API}:v1@${digest}`, `${API}:v2@${digest}`));
  assert.not.ok(isPlannedImage(`${API}:v2@${other}`, `${API}:v2@${digest}`));
  assert.ok(isPlannedImage('registry:5000/api:v2', 'registry:5000/api:v2'));
  assert.not.ok(isPlannedImage('registry:5000/api', 'registry:5000/api:v2'));
});

test("kubectl's message: the error line past warnings, in both kubectl generations", () => {
  assert.is(
    kubectlSays("# Warning: 'bases' is deprecated. Please use 'resources' instead.\nError: rawResources failed to read Resources: Load from path missing.yaml failed\n\n"),
    'rawResources failed to read Resources: Load from path missing.yaml failed',
  );
  assert.is(
    kubectlSays('E1122 03:04:36.989760   31345 run.go:72] "command failed" err="invalid Kustomization: yaml: line 1: did not find \\"node\\" content"\n'),
    'invalid Kustomization: yaml: line 1: did not find "node" content',
  );
  // What kubectl 1.32 printed for a patch file that is missing (its own words, paths shortened).
  assert.is(
    kubectlSays('E1202 18:25:16.267030   22025 run.go:72] "command failed" err=<\n\ttrouble configuring builtin PatchTransformer with config: `\n\tpath: missing-patch.yaml\n\t`: failed to get the patch file from path(missing-patch.yaml): lstat missing-patch.yaml: no such file or directory\n >\n'),
    'trouble configuring builtin PatchTransformer with config: ` path: missing-patch.yaml `: failed to get the patch file from path(missing-patch.yaml): lstat missing-patch.yaml: no such file or directory',
  );
  assert.is(kubectlSays(''), '');
});

test.run();
