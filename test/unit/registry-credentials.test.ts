import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { credentialsFor, dockerConfigPath, readDockerConfig } from '../../src/state/registry/docker-credentials.js';
import { tempDir } from '../helpers/temp-dir.js';

const auth = (text: string) => Buffer.from(text).toString('base64');

test('auths[host].auth is base64 of user:password; the password may hold colons', () => {
  const config = { auths: { 'registry.example.com': { auth: auth('ci:pa:ss') } } };
  assert.equal(credentialsFor(config, 'registry.example.com', 'c.json'), { username: 'ci', password: 'pa:ss' });
});

test('username and password fields are read too', () => {
  const config = { auths: { 'registry.example.com': { username: 'ci', password: 'pw' } } };
  assert.equal(credentialsFor(config, 'registry.example.com', 'c.json'), { username: 'ci', password: 'pw' });
});

test('keys match as docker matches them: scheme and path ignored, case too', () => {
  for (const key of ['https://registry.example.com:5000', 'registry.example.com:5000/v1/', 'http://Registry.Example.com:5000/v2/'])
    assert.equal(credentialsFor({ auths: { [key]: { auth: auth('u:p') } } }, 'registry.example.com:5000', 'c.json'), { username: 'u', password: 'p' }, key);
  // Another port is another registry.
  assert.is(credentialsFor({ auths: { 'registry.example.com': { auth: auth('u:p') } } }, 'registry.example.com:5000', 'c.json'), undefined);
});

test('Docker Hub credentials live under its v1 index URL', () => {
  const config = { auths: { 'https://index.docker.io/v1/': { auth: auth('hub:pw') } } };
  assert.equal(credentialsFor(config, 'registry-1.docker.io', 'c.json'), { username: 'hub', password: 'pw' });
  assert.is(credentialsFor(config, 'ghcr.io', 'c.json'), undefined);
});

test('no config, no auths, an empty entry (a credential helper holds it): anonymous', () => {
  assert.is(credentialsFor(undefined, 'r.example.com', 'c.json'), undefined);
  assert.is(credentialsFor({}, 'r.example.com', 'c.json'), undefined);
  assert.is(credentialsFor({ auths: { 'r.example.com': {} }, credsStore: 'desktop' }, 'r.example.com', 'c.json'), undefined);
});

test('an auth value that is not user:password is HF212 without the value in the message', () => {
  const secret = 'nocolonhere-s3cret';
  try {
    credentialsFor({ auths: { 'r.example.com': { auth: auth(secret) } } }, 'r.example.com', '/home/u/.docker/config.json');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, HotfixError);
    assert.is((error as HotfixError).diagnostics[0]?.code, 'HF212');
    assert.match((error as Error).message, /docker login r\.example\.com/);
    assert.not.match((error as Error).message, secret);
    assert.not.match((error as Error).message, auth(secret));
  }
});

test('the config path: the option, else $DOCKER_CONFIG, else ~/.docker', () => {
  const saved = process.env.DOCKER_CONFIG;
  try {
    process.env.DOCKER_CONFIG = '/etc/ci/docker';
    assert.is(dockerConfigPath('/x/config.json'), '/x/config.json');
    assert.is(dockerConfigPath(), '/etc/ci/docker/config.json');
    delete process.env.DOCKER_CONFIG;
    assert.is(dockerConfigPath(), join(homedir(), '.docker', 'config.json'));
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
  }
});

test('reading the config: missing is anonymous, unreadable or not JSON is HF212', async () => {
  const dir = tempDir();
  assert.is(await readDockerConfig(join(dir, 'missing.json')), undefined);
  writeFileSync(join(dir, 'bad.json'), '{"auths": ');
  assert.match(await failureOf(readDockerConfig(join(dir, 'bad.json'))), /is not JSON \[HF212\]/);
  mkdirSync(join(dir, 'a-directory'));
  assert.match(await failureOf(readDockerConfig(join(dir, 'a-directory'))), /cannot read the docker config .*: it is a directory \[HF212\]/);
  writeFileSync(join(dir, 'good.json'), JSON.stringify({ auths: {} }));
  assert.equal(await readDockerConfig(join(dir, 'good.json')), { auths: {} });
});

function failureOf(pending: Promise<unknown>): Promise<string> {
  return pending.then(
    () => assert.unreachable('expected a rejection') as never,
    (error: Error) => error.message,
  );
}

test.run();
