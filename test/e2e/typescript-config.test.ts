import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const IMAGE = 'registry.example.com/team/api';
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

const config = (tag: string) => `// Production settings of the api chart (cdk8s).
import type { ApiProps } from '../lib/api';

export const config = {
  api: {
    // Bumped by CI on every release.
    image: '${IMAGE}:${tag}',
    replicas: 3,
  },
} satisfies Record<string, ApiProps>;
`;

test('a rollback of a TypeScript config: only the string literal changes, and apply commits exactly that', () => {
  const root = tempDir();
  const repo = join(root, 'deploy');
  mkdirSync(join(repo, 'config'), { recursive: true });
  git(root, 'init', '-q', '-b', 'main', repo);
  for (const tag of ['main-1111111', 'main-2222222', 'main-3333333']) {
    writeFileSync(join(repo, 'config', 'prod.ts'), config(tag));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', `Release ${IMAGE}:${tag}`);
  }
  const policy = join(root, 'policy.yaml');
  writeFileSync(policy, `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata: { name: api }
spec:
  app: { repo: app, image: ${IMAGE} }
  environments:
    - name: production
      config: { repo: deploy, branch: main, file: config/prod.ts, locator: { typescript: { export: config, path: api.image } } }
  rollback: { method: revert, requireReason: false }
`);
  const out = join(root, 'plan.json');
  const planned = runCli(['plan', 'rollback', '--policy', policy, '--env', 'production', '--repo', `deploy=${repo}`, '--no-cluster', '--out', out], { cwd: root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
  assert.is(plan.target.image, `${IMAGE}:main-2222222`);
  const commit = plan.actions.find((a) => a.kind === 'commit') as Extract<Plan['actions'][number], { kind: 'commit' }>;
  const changed = commit.changes[0]!.diff.split('\n').filter((l) => /^[+-] /.test(l));
  assert.equal(changed, [`-    image: '${IMAGE}:main-3333333',`, `+    image: '${IMAGE}:main-2222222',`]);

  const applied = runCli(['apply', '--auto-approve', out], { cwd: root });
  assert.is(applied.code, 0, applied.stderr);
  assert.is(git(repo, 'rev-parse', `refs/heads/${(plan.actions[0] as { branch: string }).branch}`), commit.commit);
  assert.is(execFileSync('git', ['-c', 'core.abbrev=7', 'show', '--format=', commit.commit], { cwd: repo, env, encoding: 'utf8' }), commit.changes[0]!.diff);
  assert.is(git(repo, 'show', `${commit.commit}:config/prod.ts`), config('main-2222222').trimEnd());
});

test.run();
