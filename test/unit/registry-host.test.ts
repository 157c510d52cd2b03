import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { checkReference, isLoopback, registryLocation } from '../../src/state/registry/registry-host.js';

test('Docker Hub: names without a registry host, official images under library/', () => {
  assert.equal(registryLocation('team/app'), { host: 'registry-1.docker.io', repository: 'team/app', origin: 'https://registry-1.docker.io' });
  assert.equal(registryLocation('nginx'), { host: 'registry-1.docker.io', repository: 'library/nginx', origin: 'https://registry-1.docker.io' });
  assert.is(registryLocation('docker.io/nginx').repository, 'library/nginx');
  assert.is(registryLocation('index.docker.io/team/app').host, 'registry-1.docker.io');
  assert.is(registryLocation('docker.io/team/app').repository, 'team/app');
});

test('a first component with a dot or a colon, or localhost, is the registry host', () => {
  assert.equal(registryLocation('registry.example.com/team/app'), { host: 'registry.example.com', repository: 'team/app', origin: 'https://registry.example.com' });
  assert.equal(registryLocation('registry:5000/app'), { host: 'registry:5000', repository: 'app', origin: 'https://registry:5000' });
  assert.equal(registryLocation('localhost/app'), { host: 'localhost', repository: 'app', origin: 'http://localhost' });
  assert.is(registryLocation('ghcr.io/org/team/app').repository, 'org/team/app');
  // A plain first component is a Docker Hub namespace, not a host.
  assert.is(registryLocation('registry/app').host, 'registry-1.docker.io');
});

test('http only for loopback hosts: 127.0.0.0/8, localhost, [::1]', () => {
  for (const host of ['127.0.0.1:5000', '127.1.2.3', 'localhost', 'localhost:5000', '[::1]', '[::1]:5000']) assert.ok(isLoopback(host), host);
  for (const host of ['128.0.0.1:5000', '10.0.0.1', 'localhost.example.com', 'registry:5000', '127.0.0.1.example.com', '[::2]:5000']) assert.not.ok(isLoopback(host), host);
  assert.is(registryLocation('127.0.0.1:5000/team/app').origin, 'http://127.0.0.1:5000');
  assert.is(registryLocation('[::1]:5000/team/app').origin, 'http://[::1]:5000');
  assert.is(registryLocation('10.0.0.1:5000/team/app').origin, 'https://10.0.0.1:5000');
});

test('names and references that are not the spec grammar are refused before any request (HF210)', () => {
  for (const name of ['Team/App', 'team//app', 'team/../app', 'evil.com@x/app', 'host.example.com/a?b', 'a b']) {
    try {
      registryLocation(name);
      assert.unreachable(name);
    } catch (error) {
      assert.instance(error, HotfixError);
      assert.is((error as HotfixError).diagnostics[0]?.code, 'HF210', name);
    }
  }
  assert.is(checkReference('main-26a4b87'), 'main-26a4b87');
  assert.is(checkReference(`sha256:${'a'.repeat(64)}`), `sha256:${'a'.repeat(64)}`);
  for (const reference of ['../x', 'a?b', '-x', 'x'.repeat(129), '']) assert.throws(() => checkReference(reference), /neither a valid image tag nor a digest/, reference);
});

test.run();
