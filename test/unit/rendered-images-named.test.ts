import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderedImagesNamed } from '../../src/state/render/rendered-image.js';

// Output shaped like `kubectl kustomize`: documents separated by `---`, keys sorted, every
// kind that carries a pod template where Kubernetes puts it.
const OUTPUT = `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
  - image: registry.example.com/shop/api:1.4.0
    name: api
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-api
spec:
  template:
    spec:
      containers:
      - image: registry.example.com/shop/api:1.4.1
        name: api
      - image: envoyproxy/envoy:v1.30.1
        name: proxy
      initContainers:
      - image: registry.example.com/shop/api:1.4.1@sha256:${'a'.repeat(64)}
        name: migrate
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - image: registry.example.com/shop/api:1.3.9
            name: report
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  image: registry.example.com/shop/api:0.0.1
`;

test('every container and init container running the image, in pods, workloads and cron jobs; nothing else', () => {
  assert.equal(renderedImagesNamed(OUTPUT, 'registry.example.com/shop/api', 'overlays/production'), [
    'registry.example.com/shop/api:1.4.0',
    'registry.example.com/shop/api:1.4.1',
    `registry.example.com/shop/api:1.4.1@sha256:${'a'.repeat(64)}`,
    'registry.example.com/shop/api:1.3.9',
  ]);
  assert.equal(renderedImagesNamed(OUTPUT, 'registry.example.com/shop/web', ''), []);
  assert.equal(renderedImagesNamed(OUTPUT, 'envoyproxy/envoy', ''), ['envoyproxy/envoy:v1.30.1']);
});

test.run();
