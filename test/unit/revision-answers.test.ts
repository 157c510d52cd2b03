import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppSpec } from '../../src/policy/types.js';
import { revisionAnswers } from '../../src/state/hotfix/revision-answers.js';

// The commit a running image was built from, read from its tag: a mainline build under
// app.tagFormat (`main-{sha7}`), a hotfix build under hotfix.imageTag (`{branch}-{sha7}`,
// docker/metadata-action's `type=sha,prefix={{branch}}-` with the branch's `/` as `-`).
const MAIN = '26a4b87c0ffee00d15ea5e0000000000000000aa';
const FIX = '849c912700000000000000000000000000000abc';
const app = { image: 'ghcr.io/example/web', tagFormat: 'main-{sha7}', revisionFrom: ['tag'], revisionLabel: 'org.opencontainers.image.revision' } as unknown as AppSpec;
const resolve = async (name: string) => [MAIN, FIX].find((c) => c.startsWith(name));
const answer = async (tag: string, hotfixTag?: string) =>
  (await revisionAnswers({ app, ...(hotfixTag !== undefined ? { hotfixTag } : {}), image: `ghcr.io/example/web:${tag}`, labels: { unavailable: 'not asked' }, tags: [], resolve }))[0]!;

test('a mainline tag reads under tagFormat; a hotfix build under hotfix.imageTag; neither says both forms', async () => {
  assert.is((await answer('main-26a4b87', 'hotfix-20261203-{sha7}')).commit, MAIN);
  assert.is((await answer('hotfix-20261203-849c912', 'hotfix-20261203-{sha7}')).commit, FIX);
  assert.is((await answer('hotfix-20261203-f8b82c8-849c912', '{branch}-{sha7}')).commit, FIX, 'the branch part takes any branch name');
  assert.is((await answer('hotfix-20261203-849c912')).unavailable, 'tag "hotfix-20261203-849c912" does not match tagFormat "main-{sha7}" with a commit in it', 'without hotfix.imageTag, as before');
  assert.is((await answer('1.4.1', 'hotfix-{sha7}')).unavailable, 'tag "1.4.1" does not match tagFormat or hotfix.imageTag "main-{sha7}" or "hotfix-{sha7}" with a commit in it');
});

test.run();
