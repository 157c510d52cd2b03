// The package as a user gets it: `npm pack` in the repository, the tarball installed with
// npm into a temp prefix (and a project, and through npx), and the installed `hotfix` run
// from directories that are not the repository. npm runs offline with an empty cache, so
// an install that needed anything from the registry fails here.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { HANG_GUARD_MS } from '../helpers/hang-guard.js';
import { gitOut, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';
import { startGitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const work = tempDir('hotfix-package-');
const userconfig = join(work, 'npmrc');
writeFileSync(userconfig, '');
/**
 * npm as on a machine with no registry: an empty cache, offline, nothing from the user's
 * config; and no FORCE_COLOR from the test runner, which would reach hotfix through npx.
 */
const npmEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', npm_config_cache: join(work, 'npm-cache'), npm_config_userconfig: userconfig, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = npmEnv): Run {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 2 * HANG_GUARD_MS, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function npm(args: readonly string[], cwd: string): Run {
  const r = run('npm', args, cwd);
  assert.is(r.code, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r;
}

// `npm pack` builds (prepack) and packs what package.json's `files` names.
const packDir = join(work, 'pack');
mkdirSync(packDir);
const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', packDir], ROOT).stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
const tarball = join(packDir, packed!.filename);
const prefix = join(work, 'prefix');
const installed = npm(['install', '--global', '--prefix', prefix, tarball], work);
const packageDir = join(prefix, 'lib', 'node_modules', manifest.name);
/** The installed bin first on PATH, and Node (its shebang says `env node`); git and kubectl as the machine has them. */
const userPath = [join(prefix, 'bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);

/** The installed `hotfix`, by name, as a user in `cwd` types it. */
function hotfix(args: readonly string[], cwd: string): Run {
  return run('hotfix', args, cwd, { PATH: userPath, HOME: process.env.HOME ?? '', NO_COLOR: '1' });
}

/** The same, without blocking this process: for loopback servers that live in it. */
function hotfixAsync(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('hotfix', args, { cwd, env: { PATH: userPath, HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 2 * HANG_GUARD_MS);
    child.on('error', fail);
    child.on('close', (code) => (clearTimeout(timer), done({ code, stdout, stderr })));
  });
}

test('the tarball holds the bundled CLI, the schemas and the docs, and nothing of the source tree', () => {
  const paths = packed!.files.map((f) => f.path);
  for (const path of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/hotfix.js', 'schemas/policy.schema.json', 'schemas/plan.schema.json']) assert.ok(paths.includes(path), `${path} is not in the tarball`);
  const strays = paths.filter((p) => !/^(dist|schemas)\//.test(p) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(p));
  assert.equal(strays, []);
});

test('installing the tarball needs nothing else: no dependency, no install script, no network', () => {
  // Everything dist/ imports is bundled; a runtime dependency would be fetched from the registry.
  assert.is((JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies, undefined);
  assert.not.ok(existsSync(join(packageDir, 'node_modules')));
  // npm 11 lists a `prepare` script as an install script waiting for approval, though a tarball install never runs it.
  assert.not.match(installed.stderr, /install.scripts/i);
  assert.ok(existsSync(join(prefix, 'bin', 'hotfix')));
});

test('the installed hotfix prints the version of package.json, from any directory', () => {
  const r = hotfix(['--version'], work);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), manifest.version);
});

test('lint, plan and apply with the installed hotfix, run from the scenario directory', async () => {
  const s = await scenario();
  const lint = hotfix(['lint', s.policyFile], s.root);
  assert.is(lint.code, 0, lint.stdout + lint.stderr);
  assert.match(lint.stdout, /^1 policy in 1 file: 0 errors, 0 warnings$/m);

  const broken = join(s.root, 'broken.yaml');
  writeFileSync(broken, readFileSync(s.policyFile, 'utf8').replace('kind: HotfixPolicy', 'kind: HotfixPolicy\nkind: HotfixPolicy'));
  const refused = hotfix(['lint', broken], s.root);
  assert.is(refused.code, 1);
  assert.match(refused.stdout, /HF\d{3}/);
  assert.not.ok(hasStackTrace(refused.stdout + refused.stderr));

  const out = join(s.root, 'plan.json');
  const planned = hotfix(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'checkout returns 500', '--out', out], s.root);
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
  assert.is(plan.target.image, `${s.image}:${s.apiJs.previousTag}`);

  const applied = hotfix(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, out], s.root);
  assert.is(applied.code, 0, applied.stderr);
  const commits = plan.actions.filter((a) => a.kind === 'commit') as Array<Extract<Plan['actions'][number], { kind: 'commit' }>>;
  const last = commits.at(-1)!;
  assert.is(gitOut(s.configRepo, ['rev-parse', `refs/heads/${last.branch}`]).trim(), last.commit);
  assert.is(gitOut(s.remote, ['rev-parse', `refs/heads/${last.branch}`]).trim(), last.commit);
  assert.match(gitOut(s.configRepo, ['show', `${commits[0]!.commit}:app/bases/kustomization.yaml`]), new RegExp(`newTag: ${s.apiJs.previousTag}`));
});

test('TypeScript config is patched by the installed package alone (ts-morph is in the bundle)', () => {
  const root = tempDir();
  const repo = join(root, 'deploy');
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' };
  mkdirSync(join(repo, 'src'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env });
  // A Pulumi program's settings, its image bumped by CI one commit per release.
  for (const tag of ['v1.8.0', 'v1.9.0']) {
    writeFileSync(join(repo, 'src', 'settings.ts'), `export const settings = {\n  checkout: { image: "ghcr.io/shop/checkout:${tag}", replicas: 2 },\n};\n`);
    execFileSync('git', ['add', '.'], { cwd: repo, env });
    execFileSync('git', ['commit', '-qm', `checkout ${tag}`], { cwd: repo, env });
  }
  const policy = join(root, 'checkout.yaml');
  writeFileSync(
    policy,
    `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata: { name: checkout }
spec:
  app: { repo: app, image: ghcr.io/shop/checkout }
  environments:
    - name: production
      config: { repo: deploy, branch: main, file: src/settings.ts, locator: { typescript: { export: settings, path: checkout.image } } }
  rollback: { method: revert, requireReason: false }
`,
  );
  const out = join(root, 'plan.json');
  const r = hotfix(['plan', 'rollback', '--policy', policy, '--env', 'production', '--repo', `deploy=${repo}`, '--no-cluster', '--out', out], root);
  assert.is(r.code, 0, r.stderr);
  assert.is((JSON.parse(readFileSync(out, 'utf8')) as Plan).target.image, 'ghcr.io/shop/checkout:v1.8.0');
});

test('a project installs the tarball; the README\'s $schema line names a schema that is there, and its hotfix lints', async () => {
  const s = await scenario();
  const project = join(work, 'project');
  mkdirSync(join(project, 'policies'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
  npm(['install', '--save-dev', tarball], project);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const modeline = /^# yaml-language-server: \$schema=(\.\.\/node_modules\/\S+)$/m.exec(readme);
  assert.ok(modeline, 'the README gives no $schema line for a policy in policies/ of a project');
  const policy = join(project, 'policies', 'api-js.yaml');
  writeFileSync(policy, `${modeline[0]}\n${readFileSync(s.policyFile, 'utf8')}`);
  // yaml-language-server resolves a relative $schema from the YAML file's directory.
  const schema = JSON.parse(readFileSync(resolve(dirname(policy), modeline[1]!), 'utf8')) as { title: string };
  assert.is(schema.title, 'HotfixPolicy');
  const r = run(join(project, 'node_modules', '.bin', 'hotfix'), ['lint', 'policies'], project, { PATH: userPath, NO_COLOR: '1' });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^1 policy in 1 file/m);
});

test('the installed hotfix posts the plan comment on GitHub and on GitLab: both forge clients are in the bundle', async () => {
  const s = await scenario();
  const file = join(s.root, 'plan.json');
  const planned = hotfix(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'checkout returns 500', '--out', file], s.root);
  assert.is(planned.code, 0, planned.stderr);
  const github = await startGitHubContractServer({ token: 'ghs_InstalledPackageT0ken' });
  const gitlab = await startGitLabContractServer({ project: 'platform/deploy', token: 'glpat-InstalledPackageT0ken' });
  try {
    github.openPullRequest(42, 'Roll back api-js');
    gitlab.openMergeRequest(7, 'Roll back api-js');
    const onGitHub = await hotfixAsync(['comment', 'plan.json', '--pr', 'octo-org/deploy#42'], s.root, { GITHUB_TOKEN: 'ghs_InstalledPackageT0ken', GITHUB_API_URL: github.apiUrl });
    assert.is(onGitHub.code, 0, onGitHub.stderr);
    const onGitLab = await hotfixAsync(['comment', 'plan.json', '--pr', 'platform/deploy!7'], s.root, { GITLAB_TOKEN: 'glpat-InstalledPackageT0ken', CI_SERVER_URL: gitlab.url });
    assert.is(onGitLab.code, 0, onGitLab.stderr);
    assert.is(github.comments.length, 1);
    assert.is(gitlab.notes.filter((n) => !n.system).length, 1);
    assert.equal([...github.violations, ...gitlab.violations], []);
  } finally {
    await github.close();
    await gitlab.close();
  }
});

test('the installed hotfix gives the status of a directory of policies and a completion script', async () => {
  const s = await scenario();
  const dir = join(s.root, 'fleet-policies');
  mkdirSync(dir);
  copyFileSync(s.policyFile, join(dir, 'api-js.yaml'));
  const status = hotfix(['status', '--policy', dir, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--format', 'json'], s.root);
  assert.ok(status.code === 0 || status.code === 2, status.stderr);
  const services = (JSON.parse(status.stdout) as { services: Array<{ name: string }> }).services;
  assert.equal(services.map((x) => x.name), ['api-js']);
  const completion = hotfix(['completion', 'bash'], s.root);
  assert.is(completion.code, 0, completion.stderr);
  assert.match(completion.stdout, /complete -F \S+ hotfix/);
});

test('npx runs the tarball without installing it anywhere else', async () => {
  const s = await scenario();
  const project = join(work, 'npx-project');
  mkdirSync(project);
  // npm resolves ./ against the project (the nearest package.json), as in a policy repository.
  writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
  copyFileSync(tarball, join(project, packed!.filename));
  copyFileSync(s.policyFile, join(project, 'api-js.yaml'));
  const r = run('npx', ['--yes', `./${packed!.filename}`, 'lint', 'api-js.yaml'], project);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^1 policy in 1 file: 0 errors/m, r.stdout + r.stderr);
});

test.run();
