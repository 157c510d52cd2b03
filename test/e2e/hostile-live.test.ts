import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { sha256Digest } from '../../src/state/registry/digest.js';
import { countingShim } from '../helpers/counting-shim.js';
import { hostileCorpus, type HostileCase } from '../helpers/hostile-corpus.js';
import { VALID } from '../helpers/hostile-policies.js';
import { fakeKubectl, httpServer, imageDocuments, rawServer, serveImage, type LoopbackServer } from '../helpers/hostile-servers.js';
import { scenario } from '../helpers/rollback-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

// What the live world can answer: a kubectl that prints garbage, fails with junk or hangs
// (found first on PATH, its time bounded by HOTFIX_KUBECTL_TIMEOUT_MS), and image
// registries that never answer, answer garbage, or redirect elsewhere.
const gitops = await scenario();
const gitopsRepos = [gitops.configRepo, gitops.remote];
const hotfixPolicy = join(gitops.root, 'policies', 'with-hotfix.yaml');
writeFileSync(hotfixPolicy, `${VALID}  hotfix:\n    reasons: [security]\n`);
const workloadFile = join(tempDir(), 'workload.json');
writeFileSync(workloadFile, JSON.stringify((JSON.parse(readFileSync(gitops.clusterStateFile, 'utf8')) as { items: unknown[] }).items[0]));

/** kubectl's behaviour → the refusal. */
const KUBECTLS: Array<[string, string, RegExp]> = [
  ['prints garbage', 'echo garbage', /not JSON.*\[HF205\]/],
  ['prints a warning before the JSON', `echo "Warning: v1 ComponentStatus is deprecated"; cat ${workloadFile}`, /not JSON.*\[HF205\]/],
  ['prints half a JSON document, then hangs', 'printf \'{"kind": "Deploy\'; exec sleep 60', /timed out after 1s.*\[HF205\]/],
  ['hangs without a word', 'exec sleep 60', /timed out after 1s.*\[HF205\]/],
  ['answers the workload, then hangs on the pods', `case "$*" in *pods*) exec sleep 60;; esac; cat ${workloadFile}`, /get pods .*timed out after 1s.*\[HF205\]/],
  ['fails with junk on stderr', 'printf "E0101 00:00:00 junk \\033[2J\\n" >&2; exit 1', /kubectl get deployment\/api-js failed: .*\[HF205\]/],
  ['fails with binary junk on stderr', 'head -c 4096 /dev/urandom >&2; exit 3', /\[HF205\]/],
  ['is killed by a signal', 'kill -9 $$', /\[HF205\]/],
  ['prints more than 64 MiB', 'head -c 70000000 /dev/zero', /\[HF205\]/],
  ['prints JSON of another kind', 'echo \'{"kind": "Status", "status": "Failure", "message": "forbidden"}\'', /\[HF206\]/],
  ['prints JSON with the containers in the wrong shape', 'echo \'{"kind": "Deployment", "metadata": {"name": "api-js"}, "spec": {"template": {"spec": {"containers": {"api": 1}}}}}\'', /\[HF206\]/],
  ['prints a null', 'echo null', /\[HF206\]/],
];

const cases: HostileCase[] = [];
for (const [label, script, expect] of KUBECTLS) {
  const fake = `${fakeKubectl(script)}:${process.env.PATH ?? ''}`;
  for (const [command, args] of [
    ['plan rollback', ['plan', 'rollback', '--policy', gitops.policyFile, '--env', 'production', '--repo', `deploy=${gitops.configRepo}`, '--reason', 'r']],
    ['plan hotfix', ['plan', 'hotfix', '--policy', hotfixPolicy, '--env', 'production', '--repo', `deploy=${gitops.configRepo}`, '--repo', `app=${gitops.configRepo}`, '--no-registry', '--reason', 'security']],
  ] as const) {
    // The workload, then its pods: a kubectl that fails or hangs is never asked again.
    const kubectl = countingShim('kubectl', fake);
    const env = { PATH: kubectl.path(fake), HOTFIX_KUBECTL_TIMEOUT_MS: '1000' };
    const work = { what: 'kubectl calls', count: () => kubectl.invocations().length, max: 2 };
    cases.push({ name: `${command}: kubectl ${label}`, args, cwd: gitops.root, env, repos: gitopsRepos, expect, work });
  }
}

// Registries: the app scenario with only the image label to name the deployed commit, so a
// registry that cannot be read refuses the plan (HF337, giving the registry's own failure).
const app = await buildAppScenario(tempDir(), '127.0.0.1:9', {});
const appRepos = [app.appRepo, app.appRemote, app.configRepo, app.configRemote];
const labelOnly = join(app.root, 'policies', 'label-only.yaml');
writeFileSync(labelOnly, readFileSync(app.policyFile, 'utf8').replace('revisionFrom: [label, tag, gitTag]', 'revisionFrom: [label]').replace(/ {4}gitTagPattern: .*\n/, ''));
const servers: LoopbackServer[] = [];
const serve = async (server: Promise<LoopbackServer>) => {
  servers.push(await server);
  return servers[servers.length - 1]!.host;
};
const elsewhere = await serve(httpServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a registry</html>'), '127.0.0.2'));
const hangs = await serve(httpServer(() => {}, '127.0.0.3'));
const label = (value: unknown) => ({ config: { Labels: { 'org.opencontainers.image.revision': value } } });
const { manifest: goodManifest } = imageDocuments(label(app.deployed.commit));

/** The registry's behaviour → the refusal; the slow ones wait out the request timeout, set to 2 s for them (HOTFIX_REGISTRY_TIMEOUT_MS). */
const REGISTRIES: Array<[string, Promise<LoopbackServer>, RegExp]> = [
  ['never answers', httpServer(() => {}), /no complete answer within 2 s.*\[HF337\]/],
  ['sends headers, then a body that never ends', httpServer((_, r) => r.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).write('{"schemaVersion": 2,')), /no complete answer within 2 s.*\[HF337\]/],
  ['drips a byte a second', httpServer((_, r) => {
    r.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    const timer = setInterval(() => r.write(' '), 1000);
    r.on('close', () => clearInterval(timer));
  }), /no complete answer within 2 s.*\[HF337\]/],
  ['answers garbage as a manifest', httpServer((_, r) => r.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end('garbage')), /is not JSON.*\[HF337\]/],
  ['answers an HTML page', httpServer((_, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>')), /not JSON.*\[HF337\]/],
  ['answers a JSON list', httpServer((_, r) => r.writeHead(200).end('[]')), /not a JSON object.*\[HF337\]/],
  ['answers a manifest of schema 1', httpServer((_, r) => r.writeHead(200).end('{"schemaVersion": 1}')), /schema version 2.*\[HF337\]/],
  ['answers a manifest nested 100,000 deep', httpServer((_, r) => r.writeHead(200).end(`{"schemaVersion": 2, "config": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`)), /\[HF337\]/],
  ['names a config digest that climbs the URL', httpServer((_, r) => r.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:../../../../v2/_catalog' }, layers: [] }))), /without a valid digest.*\[HF337\]/],
  ['serves a config that does not match its digest', httpServer((request, r) => (request.url?.includes('/manifests/') ? r.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(goodManifest) : r.writeHead(200).end('{"config": {}}'))), /does not match its digest.*\[HF337\]/],
  ['sends a Docker-Content-Digest that lies', httpServer((_, r) => r.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha256Digest(Buffer.from('other')) }).end(goodManifest)), /does not match its digest.*\[HF337\]/],
  ['announces a 100 MB manifest', httpServer((_, r) => r.writeHead(200, { 'content-length': String(100 * 1024 * 1024) }).end()), /more than 4 MiB.*\[HF337\]/],
  ['streams more than 4 MiB', httpServer((_, r) => {
    r.writeHead(200);
    let sent = 0;
    const more = () => {
      while (sent < 8 * 1024 * 1024 && r.write(Buffer.alloc(64 * 1024, 0x20))) sent += 64 * 1024;
      if (sent < 8 * 1024 * 1024) r.once('drain', more);
      else r.end();
    };
    more();
  }), /more than 4 MiB.*\[HF337\]/],
  ['fails with 500', httpServer((_, r) => r.writeHead(500, { 'content-type': 'application/json' }).end('{"errors": [{"code": "UNKNOWN"}]}')), /answered 500.*\[HF337\]/],
  ['refuses with 401 and no challenge', httpServer((_, r) => r.writeHead(401).end()), /without a Basic or Bearer challenge.*\[HF337\]/],
  ['challenges with a token realm that never answers', httpServer((_, r) => r.writeHead(401, { 'www-authenticate': `Bearer realm="http://${hangs}/token",service="x"` }).end()), /\[HF337\]/],
  ['challenges with a token realm that answers garbage', httpServer((_, r) => r.writeHead(401, { 'www-authenticate': `Bearer realm="http://${elsewhere}/token",service="x"` }).end()), /\[HF337\]/],
  ['redirects the manifest to another host', httpServer((request, r) => r.writeHead(307, { location: `http://${elsewhere}${request.url}` }).end()), /\[HF337\]/],
  ['redirects in a loop', httpServer((request, r) => r.writeHead(302, { location: `${request.url}x` }).end()), /redirected more than 5 times.*\[HF337\]/],
  ['redirects to a file URL', httpServer((_, r) => r.writeHead(301, { location: 'file:///etc/passwd' }).end()), /not http\(s\).*\[HF337\]/],
  ['redirects without a Location', httpServer((_, r) => r.writeHead(302).end()), /without a Location.*\[HF337\]/],
  ['hangs up mid-answer', httpServer((_, r) => {
    r.writeHead(200, { 'content-length': '1000' }).write('{"schemaVersion"');
    setTimeout(() => r.socket?.destroy(), 50);
  }), /cannot reach.*\[HF337\]/],
  ['is not HTTP at all', rawServer(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n')), /cannot reach.*\[HF337\]/],
  ['labels the image with a revision expression', httpServer(serveImage(label('HEAD@{1}'))), /"HEAD@\{1\}" is not a commit id.*\[HF337\]/],
  ['labels the image with an option', httpServer(serveImage(label('--upload-pack=touch /tmp/hotfix-pwned'))), /is not a commit id.*\[HF337\]/],
  ['labels the image with a number', httpServer(serveImage(label(5))), /whose value is not a string.*\[HF337\]/],
  ['labels the image with a megabyte', httpServer(serveImage(label('f'.repeat(1024 * 1024)))), /is not a commit id.*\[HF337\]/],
];

for (const [behaviour, server, expect] of REGISTRIES) {
  const host = await serve(server);
  const served = servers[servers.length - 1]!.served;
  cases.push({
    name: `plan hotfix: a registry that ${behaviour}`,
    args: ['plan', 'hotfix', '--policy', labelOnly, '--env', 'production', '--repo', `app=${app.appRepo}`, '--repo', `deploy=${app.configRepo}`, '--reason', 'payment', '--pick', app.fixes[0]!.commit, '--deployed', `${host}/team/shop-api:${app.deployed.tag}`],
    cwd: app.root,
    env: { HOTFIX_REGISTRY_TIMEOUT_MS: '2000' },
    repos: appRepos,
    expect,
    // The manifest and the config blob, and a redirect or a challenge before each: no retries, no redirect without end.
    work: { what: 'requests to the registry', count: served, max: 6 },
    // A megabyte from the registry is quoted in the refusal only as far as a finding keeps (MAX_MESSAGE_CHARS).
    maxOutputBytes: 16 * 1024,
  });
}

test.after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
hostileCorpus('hostile kubectl and registries', cases);
test.run();
