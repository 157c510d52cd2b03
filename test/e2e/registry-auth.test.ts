import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { listTags } from '../../src/state/registry/list-tags.js';
import { readImage } from '../../src/state/registry/read-image.js';
import { pushImage } from '../helpers/push-image.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';
import { tempDir } from '../helpers/temp-dir.js';

// Real registries with distribution's own auth: htpasswd, and token auth backed by a
// token server in this process that signs RS256 JWTs.
const basic = await startTestRegistry({ auth: 'basic' });
const token = await startTestRegistry({ auth: 'token' });
const labels = { 'org.opencontainers.image.revision': '26a4b87f3c5e1d2b9a8f7e6d5c4b3a2918171615' };
for (const registry of [basic, token]) {
  await pushImage(registry.host, { name: 'team/app', tag: 'main-26a4b87', labels, auth: login(registry) });
  await pushImage(registry.host, { name: 'team/app', tag: 'multi', labels, platforms: ['linux/arm64', 'linux/amd64'], auth: login(registry) });
}

test.after(async () => {
  await basic.stop();
  await token.stop();
});

for (const [mode, registry] of [['basic', basic], ['token', token]] as const) {
  test(`${mode} auth: labels and tags with the credentials of the docker config`, async () => {
    const facts = await readImage({ name: `${registry.host}/team/app`, tag: 'main-26a4b87' }, { dockerConfig: registry.dockerConfig });
    assert.equal(facts?.labels, labels);
    assert.equal((await listTags(`${registry.host}/team/app`, { dockerConfig: registry.dockerConfig })).sort(), ['main-26a4b87', 'multi']);
  });

  test(`${mode} auth: no credentials is HF212 saying to docker login`, async () => {
    const error = await failure(readImage({ name: `${registry.host}/team/app`, tag: 'main-26a4b87' }, { dockerConfig: config({}) }));
    assert.match(error.message, `requires a login for repository:team/app:pull`);
    assert.match(error.message, `log in with docker login ${registry.host} [HF212]`);
  });

  test(`${mode} auth: a wrong password is HF212, and no password or token appears in it`, async () => {
    const wrong = `wrong-${registry.password}`;
    const dockerConfig = config({ [registry.host]: { auth: Buffer.from(`${registry.username}:${wrong}`).toString('base64') } });
    const error = await failure(readImage({ name: `${registry.host}/team/app`, tag: 'main-26a4b87' }, { dockerConfig }));
    assert.match(error.message, `docker login ${registry.host}`);
    assert.is(error.diagnostics[0]?.code, 'HF212');
    const everything = `${error.message}\n${error.stack}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error.diagnostics)}`;
    for (const secret of [wrong, registry.password!, Buffer.from(`${registry.username}:${wrong}`).toString('base64'), ...registry.tokens])
      assert.not.ok(everything.includes(secret), `a secret appears in the error: ${everything}`);
  });
}

test('basic auth: username and password fields of the docker config, and $DOCKER_CONFIG by default', async () => {
  const dockerConfig = config({ [`https://${basic.host}`]: { username: basic.username, password: basic.password } });
  const saved = process.env.DOCKER_CONFIG;
  process.env.DOCKER_CONFIG = join(dockerConfig, '..');
  try {
    assert.equal((await readImage({ name: `${basic.host}/team/app`, tag: 'main-26a4b87' }))?.labels, labels);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved;
  }
});

test('token auth: one token per call, reused for the index, the manifest and the config', async () => {
  const before = token.tokens.length;
  const facts = await readImage({ name: `${token.host}/team/app`, tag: 'multi' }, { dockerConfig: token.dockerConfig });
  assert.ok(facts?.platformDigest);
  assert.is(token.tokens.length - before, 1);
});

function login(registry: TestRegistry) {
  return { username: registry.username!, password: registry.password! };
}

/** A docker config.json with these auths, in a directory of its own. */
function config(auths: object): string {
  const file = join(tempDir('hotfix-docker-config-'), 'config.json');
  writeFileSync(file, JSON.stringify({ auths }));
  return file;
}

async function failure(pending: Promise<unknown>): Promise<HotfixError> {
  const error = await pending.then(() => assert.unreachable('expected a HotfixError'), (e: unknown) => e);
  assert.instance(error, HotfixError);
  return error as HotfixError;
}

test.run();
