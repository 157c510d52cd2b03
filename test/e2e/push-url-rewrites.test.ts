import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initRepo } from '../../fixtures/git.js';
import type { Plan } from '../../src/plan/types.js';
import { gitOut, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The URL a team's remote has (as GitHub shows it), rewritten for pushes by the user's own config. */
const PUBLIC_URL = 'https://git.example.com/platform/deploy.git';

/** A HOME whose ~/.gitconfig holds `rules` ([url "<base>"] pushInsteadOf / insteadOf), as `git config --global url.<base>.insteadOf` writes them. */
function homeWith(rules: ReadonlyArray<readonly [base: string, key: 'insteadOf' | 'pushInsteadOf', value: string]>): string {
  const home = tempDir('hotfix-home-');
  mkdirSync(join(home, '.config'));
  writeFileSync(join(home, '.gitconfig'), rules.map(([base, key, value]) => `[url "${base}"]\n\t${key} = ${value}\n`).join(''));
  return home;
}

function plan(s: GitopsScenario, home: string) {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'login broken', '--out', file], { cwd: s.root, env: { HOME: home } });
  return { ...r, file, plan: r.code === 0 ? (JSON.parse(readFileSync(file, 'utf8')) as Plan) : undefined };
}

const apply = (s: GitopsScenario, file: string, home: string) => runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file], { cwd: s.root, env: { HOME: home } });

/** The scenario with origin at its public URL, which only the user's rewrite rules turn into the real remote. */
async function rewritten() {
  const s = await scenario();
  gitOut(s.configRepo, ['remote', 'set-url', 'origin', PUBLIC_URL]);
  const decoy = join(tempDir(), 'decoy.git');
  await initRepo(decoy, { bare: true });
  return { s, decoy };
}

test('the plan shows and records the URL pushInsteadOf gives, and apply pushes exactly there', async () => {
  const { s, decoy } = await rewritten();
  const home = homeWith([[s.remote, 'pushInsteadOf', PUBLIC_URL]]);
  const p = plan(s, home);
  assert.is(p.code, 0, p.stderr);
  const push = p.plan!.actions.find((a) => a.kind === 'push')!;
  assert.is(push.kind === 'push' && push.url, s.remote);
  assert.ok(p.plan!.preconditions.some((c) => c.kind === 'remote' && c.url === s.remote));
  assert.match(p.stdout, new RegExp(`push to origin \\(${s.remote.replaceAll('/', '\\/')}\\)`));
  const done = apply(s, p.file, home);
  assert.is(done.code, 0, done.stderr);
  assert.match(refs(s.remote), /refs\/heads\/rollback\//);
  assert.is(refs(decoy), '');
});

test('a rewrite rule changed between plan and apply is refused like a changed URL (HF404), nothing pushed', async () => {
  const { s, decoy } = await rewritten();
  const p = plan(s, homeWith([[s.remote, 'pushInsteadOf', PUBLIC_URL]]));
  assert.is(p.code, 0, p.stderr);
  const before = refs(s.configRepo);
  const moved = apply(s, p.file, homeWith([[decoy, 'pushInsteadOf', PUBLIC_URL]]));
  assert.is(moved.code, 1);
  assert.match(moved.stderr, new RegExp(`deploy: remote origin now pushes to ${decoy}, not ${s.remote} as the plan shows.*\\[HF404\\]`));
  assert.is(refs(s.configRepo), before, 'nothing written');
  assert.is(refs(decoy), '');
});

test('a rule added after the plan that rewrites the recorded URL itself is refused (HF404): git push URL would go there', async () => {
  const { s, decoy } = await rewritten();
  const p = plan(s, homeWith([[s.remote, 'pushInsteadOf', PUBLIC_URL]]));
  assert.is(p.code, 0, p.stderr);
  const home = homeWith([[s.remote, 'pushInsteadOf', PUBLIC_URL], [decoy, 'insteadOf', s.remote]]);
  // What git does with such a rule: the URL on the command line goes to the decoy.
  assert.is(gitOut(s.configRepo, ['-c', `url.${decoy}.insteadOf=${s.remote}`, 'ls-remote', '--get-url', s.remote]).trim(), decoy);
  const refused = apply(s, p.file, home);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`deploy: a url.<base>.insteadOf or pushInsteadOf rule now rewrites ${s.remote} to ${decoy}; the plan pushes to ${s.remote}.*\\[HF404\\]`));
  assert.is(refs(decoy), '', 'the decoy received nothing');
});

test('chained rules (the URL a remote resolves to is rewritten again when pushed to) are refused by plan (HF226)', async () => {
  const { s, decoy } = await rewritten();
  const p = plan(s, homeWith([[s.remote, 'pushInsteadOf', PUBLIC_URL], [decoy, 'pushInsteadOf', s.remote]]));
  assert.is(p.code, 1);
  assert.match(p.stderr, new RegExp(`remote origin pushes to ${s.remote}, which the url.<base>.insteadOf or pushInsteadOf rules of git's config rewrite again to ${decoy} when it is pushed to.*\\[HF226\\]`));
});

test('red team: remotes git configures oddly are read as git remote get-url --push --all reads them, or refused as unconfigured (HF219)', async () => {
  const s = await scenario();
  const home = homeWith([]);
  const cases: Array<[string, (repo: string) => void]> = [
    ['an empty URL', (repo) => gitOut(repo, ['config', 'remote.origin.url', ''])],
    ['a URL ending in a line break', (repo) => gitOut(repo, ['config', 'remote.origin.url', `${s.remote}\n`])],
    ['another remote whose URL forges an origin line', (repo) => {
      gitOut(repo, ['remote', 'remove', 'origin']);
      gitOut(repo, ['config', 'remote.other.url', `/x\norigin\t${s.remote}`]);
    }],
    ['" (push)" inside the path', (repo) => gitOut(repo, ['config', 'remote.origin.url', `${s.remote} (push)`])],
    ['two push URLs', (repo) => {
      gitOut(repo, ['config', '--add', 'remote.origin.pushurl', s.remote]);
      gitOut(repo, ['config', '--add', 'remote.origin.pushurl', `${s.remote}-mirror`]);
    }],
  ];
  for (const [what, configure] of cases) {
    const clone = join(tempDir(), 'clone');
    gitOut(s.root, ['clone', '--quiet', s.configRepo, clone]);
    gitOut(clone, ['remote', 'set-url', 'origin', s.remote]);
    configure(clone);
    const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
    const r = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${clone}`, '--cluster-state', s.clusterStateFile, '--reason', 'login broken', '--out', file], { cwd: s.root, env: { HOME: home } });
    let urls: string[] = [];
    try {
      urls = gitOut(clone, ['remote', 'get-url', '--push', '--all', 'origin']).split('\n').filter(Boolean);
    } catch {
      // no such remote
    }
    if (urls.length === 1) {
      assert.is(r.code, 0, `${what}: ${r.stderr}`);
      const push = (JSON.parse(readFileSync(file, 'utf8')) as Plan).actions.find((a) => a.kind === 'push');
      assert.is(push?.kind === 'push' && push.url, urls[0], what);
    } else {
      assert.is(r.code, 1, `${what}: ${r.stdout}`);
      assert.match(r.stderr, urls.length === 0 ? /\[HF219\]/ : /\[HF2\d\d\]/, `${what}: ${r.stderr}`);
    }
  }
});

test.run();
