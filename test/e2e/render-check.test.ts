import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotfixRejection } from '../helpers/hotfix-failure.js';
import { renderCheck, type RenderCheckRequest } from '../../src/state/render/render-check.js';
import { tempDir } from '../helpers/temp-dir.js';

// Real kubectl, as the harness installs it: only `kubectl kustomize DIR` of kustomize 2.0.3
// (kubectl 1.14 to 1.20) is relied on, hence `bases:`, which kustomize 2.0 needs for a
// directory and later ones still accept.

const API = 'registry.example.com/team/api-js';
const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@a', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@a' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: ENV }).trim();

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-js
spec:
  selector:
    matchLabels: {app: api-js}
  template:
    metadata:
      labels: {app: api-js}
    spec:
      containers:
        - name: api
          image: ${API}:main-0000000
`;
const baseKustomization = (tag: string) => `resources:\n  - deployment.yaml\nimages:\n  - name: ${API}\n    newTag: ${tag}\n`;
const PRODUCTION = 'bases:\n  - ../../base\n';

/** A config repo: base/ with the image's newTag, overlays/production/ on top of it. */
function configRepo(overlay = PRODUCTION): { repo: string; commit: string } {
  const repo = tempDir('hotfix-render-repo-');
  git(repo, 'init', '-q', '-b', 'main');
  const files = { 'base/deployment.yaml': DEPLOYMENT, 'base/kustomization.yaml': baseKustomization('main-1111111'), 'overlays/production/kustomization.yaml': overlay };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'config');
  return { repo, commit: git(repo, 'rev-parse', 'HEAD') };
}

function request(repo: string, commit: string, tag = 'main-2222222'): RenderCheckRequest {
  return {
    repo,
    commit,
    files: [{ path: 'base/kustomization.yaml', text: baseKustomization(tag) }],
    renderDir: 'overlays/production',
    workload: 'deployment/api-js',
    container: 'api',
    image: `${API}:${tag}`,
  };
}

/** Everything that shows whether the repository was touched: status, index, the file on disk. */
function snapshot(repo: string): string {
  const index = createHash('sha256').update(readFileSync(join(repo, '.git', 'index'))).digest('hex');
  return [git(repo, 'status', '--porcelain', '--untracked-files=all'), index, readFileSync(join(repo, 'base', 'kustomization.yaml'), 'utf8')].join('\n');
}

const failure = hotfixRejection;

/** Runs with TMPDIR pointing at a fresh directory, to see what is left in it afterwards. */
async function leftBehind(run: () => Promise<unknown>): Promise<string[]> {
  const tmp = tempDir('hotfix-render-tmp-');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    await run().catch(() => undefined);
  } finally {
    process.env.TMPDIR = saved;
    if (saved === undefined) delete process.env.TMPDIR;
  }
  return readdirSync(tmp);
}

test("the planned newTag in the base renders through the overlay: ok, and the repository is untouched", async () => {
  const { repo, commit } = configRepo();
  const before = snapshot(repo);
  const result = await renderCheck(request(repo, commit));
  assert.equal(result, { ok: true, image: `${API}:main-2222222` });
  assert.is(snapshot(repo), before);
  assert.match(readFileSync(join(repo, 'base', 'kustomization.yaml'), 'utf8'), /newTag: main-1111111/);
});

test('an overlay that sets its own newTag wins: not ok, naming the overlay', async () => {
  const { repo, commit } = configRepo(`${PRODUCTION}images:\n  - name: ${API}\n    newTag: main-9999999\n`);
  const before = snapshot(repo);
  const result = await renderCheck(request(repo, commit));
  assert.equal(result, { ok: false, image: `${API}:main-9999999`, winner: 'overlays/production/kustomization.yaml' });
  assert.is(snapshot(repo), before);
});

test('an overlay patch that sets the image literally wins over the planned base', async () => {
  const { repo, commit } = configRepo(`${PRODUCTION}patchesStrategicMerge:\n  - image.yaml\n`);
  const patch = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-js\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ${API}:patched\n`;
  const r = request(repo, commit);
  const result = await renderCheck({ ...r, files: [...r.files, { path: 'overlays/production/image.yaml', text: patch }] });
  assert.equal(result, { ok: false, image: `${API}:patched`, winner: 'overlays/production/image.yaml' });
});

test('a broken kustomization is HF216 naming the directory and giving kubectl its words', async () => {
  const { repo, commit } = configRepo();
  const before = snapshot(repo);
  const r = request(repo, commit);
  const message = await failure(renderCheck({ ...r, files: [{ path: 'overlays/production/kustomization.yaml', text: 'bases:\n  - ../../base\nresources:\n  - missing.yaml\n' }] }));
  assert.match(message, /^HF216 kubectl kustomize overlays\/production failed \(commit [0-9a-f]{12} with the planned change\): .*missing\.yaml/);
  assert.not.match(message, /hotfix-render-/, 'the scratch directory is not named');
  assert.match(await failure(renderCheck({ ...r, files: [{ path: 'overlays/production/kustomization.yaml', text: 'bases: [\n' }] })), /^HF216 kubectl kustomize overlays\/production failed .*: .*yaml/);
  assert.is(snapshot(repo), before);
});

test('a bare repository renders the same', async () => {
  const { repo, commit } = configRepo();
  const bare = join(tempDir('hotfix-render-bare-'), 'config.git');
  execFileSync('git', ['clone', '-q', '--bare', repo, bare], { env: ENV });
  assert.equal(await renderCheck(request(bare, commit, 'main-3333333')), { ok: true, image: `${API}:main-3333333` });
});

test('the commit is rendered, not the work tree: uncommitted edits and the index play no part', async () => {
  const { repo, commit } = configRepo();
  writeFileSync(join(repo, 'overlays', 'production', 'kustomization.yaml'), 'not: [a kustomization\n');
  git(repo, 'add', '.');
  assert.equal(await renderCheck(request(repo, commit)), { ok: true, image: `${API}:main-2222222` });
});

test('a workload or container the render lacks: not ok, with no image', async () => {
  const { repo, commit } = configRepo();
  assert.equal(await renderCheck({ ...request(repo, commit), container: 'sidecar' }), { ok: false });
  assert.equal(await renderCheck({ ...request(repo, commit), workload: 'statefulset/api-js' }), { ok: false });
});

test('the scratch directory is removed after success and after failure', async () => {
  const { repo, commit } = configRepo();
  assert.equal(await leftBehind(() => renderCheck(request(repo, commit))), []);
  const broken = { ...request(repo, commit), files: [{ path: 'base/kustomization.yaml', text: 'resources: [nothing.yaml]\n' }] };
  assert.equal(await leftBehind(() => renderCheck(broken)), []);
});

test('refused before anything runs: paths out of the repository, an unknown commit, no kubectl', async () => {
  const { repo, commit } = configRepo();
  assert.match(await failure(renderCheck({ ...request(repo, commit), renderDir: '../elsewhere' })), /^HF210 render directory "..\/elsewhere" is not a path inside the repository$/);
  assert.match(await failure(renderCheck({ ...request(repo, commit), files: [{ path: '/etc/hosts', text: '' }] })), /^HF210 planned file "\/etc\/hosts"/);
  assert.match(await failure(renderCheck({ ...request(repo, commit), commit: '0'.repeat(40) })), /^HF202 commit 0{40} not found/);
  assert.match(await failure(renderCheck(request(repo, commit), join(repo, 'no-kubectl'))), /^HF225 .*no-kubectl is not installed or not on PATH; it is needed to render overlays\/production \(commit [0-9a-f]{12} with the planned change\)$/);
});

test('a symlink in the tree does not carry a planned file outside it', async () => {
  const { repo } = configRepo();
  const outside = tempDir('hotfix-render-outside-');
  execFileSync('ln', ['-s', outside, join(repo, 'linked')]);
  git(repo, 'add', 'linked');
  git(repo, 'commit', '-qm', 'link');
  const commit = git(repo, 'rev-parse', 'HEAD');
  const message = await failure(renderCheck({ ...request(repo, commit), files: [{ path: 'linked/kustomization.yaml', text: 'x' }] }));
  assert.match(message, /^HF210 cannot render the planned linked\/kustomization.yaml: linked is not a directory in the tree$/);
  assert.equal(readdirSync(outside), []);
});

test.run();
