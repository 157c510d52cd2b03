// Every kind of PR comment the built CLI writes (rollback, hotfix with its picks' diffs,
// baseline, refusals), from real repositories with hostile content in files, commit
// messages and names, rendered by GitHub's renderer (cmark-gfm) and checked on the HTML.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { buildPrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Plan } from '../../src/plan/types.js';
import { findingsCommentProblems, planCommentProblems, planDiffs } from '../helpers/gfm-comment-checks.js';
import { scenario } from '../helpers/rollback-scenario.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Lines of a file that GitHub must show as text; each names "evil", which must never leave code. */
const HOSTILE_FILE = [
  '# [evil link](https://evil.example/a)',
  '<img src=x onerror=alert("evil")>',
  '```` evil',
  '~~~~ evil',
  '</details></code></pre> evil',
  '| evil | cell |',
  '* evil bullet',
  '1. evil list',
  '',
  'mail@evil.example www.evil.example',
];
const HOSTILE_SUBJECT = 'Fix **evil** <img src=x onerror=alert(1)> [evil](https://evil.example) `evil` ``` | evil';
const HOSTILE_REASON = '<b>evil</b> **evil** [evil](https://evil.example) `evil` | evil';
const NO_REGISTRY = 'registry.invalid:5000';

const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: isolatedGitEnv() });

function commitFile(repo: string, path: string, text: string, subject: string): string {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
  git(repo, 'add', '--', path);
  git(repo, '-c', 'user.name=Mallory', '-c', 'user.email=mallory@evil.example', 'commit', '-q', '-m', subject);
  return git(repo, 'rev-parse', 'HEAD').trim();
}

/** `plan … --format markdown --out FILE`: the comment, and the plan the same run saved. */
function planned(args: readonly string[], cwd: string): { markdown: string; plan: Plan; run: CliResult } {
  const file = join(cwd, `plan-${Math.random().toString(36).slice(2)}.json`);
  const run = runCli([...args, '--format', 'markdown', '--out', file], { cwd });
  assert.is(run.code, 0, run.stderr);
  return { markdown: run.stdout, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan, run };
}

/** A refused command, in markdown and in JSON: the comment, and the findings to check it against. */
function refused(args: readonly string[], cwd: string): { markdown: string; diagnostics: Diagnostic[] } {
  const markdown = runCli([...args, '--format', 'markdown'], { cwd });
  const json = runCli([...args, '--format', 'json'], { cwd });
  assert.is(markdown.code, 1, markdown.stderr);
  assert.is(json.code, 1, json.stderr);
  assert.ok(markdown.stderr.length > 0, 'the findings are on stderr too, for the log');
  return { markdown: markdown.stdout, diagnostics: (JSON.parse(json.stdout) as { diagnostics: Diagnostic[] }).diagnostics };
}

test('rollback: a config file with hostile lines beside the image, and a hostile reason', async () => {
  const s = await scenario();
  const file = 'app/bases/kustomization.yaml';
  const text = readFileSync(join(s.configRepo, file), 'utf8');
  // Within the diff's three lines of context, above and below the line the rollback changes.
  const image = /  - name: registry\.example\.com\/team\/api-js\n.*\n/.exec(text);
  assert.ok(image, 'the scenario declares api-js in kustomize images');
  const comments = (lines: readonly string[]) => lines.map((l) => `  # ${l}\n`).join('');
  const after = image.index + image[0].length;
  commitFile(s.configRepo, file, `${text.slice(0, image.index)}${comments(HOSTILE_FILE.slice(0, 2))}${image[0]}${comments(HOSTILE_FILE.slice(2, 5))}${text.slice(after)}`, 'Document the images');

  const { markdown, plan } = planned(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', HOSTILE_REASON], s.root);
  assert.ok(planDiffs(plan).some((d) => d.diff.includes('onerror')), 'the diff shows the hostile lines');
  assert.equal(planCommentProblems(markdown, plan, { hostile: ['evil'] }), []);
});

test('hotfix: each pick\'s diff whole, a hostile file, subject and branch name; text and JSON carry the diffs too', async () => {
  const s = await buildAppScenario(tempDir(), NO_REGISTRY);
  const hostile = commitFile(s.appRepo, 'docs/evil.md', `${HOSTILE_FILE.join('\n')}\n`, HOSTILE_SUBJECT);
  // git allows backticks in a branch name.
  const policy = join(s.root, 'policies', 'backticks.yaml');
  writeFileSync(policy, readFileSync(s.policyFile, 'utf8').replace('branch: "hotfix/{date}-{sha7}"', 'branch: "hotfix/`evil`-{sha7}"'));
  const args = ['plan', 'hotfix', '--policy', policy, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--reason', 'payment', ...[...s.fixes.map((f) => f.commit), hostile].flatMap((c) => ['--pick', c])];

  const { markdown, plan } = planned(args, s.root);
  const picks = plan.actions.filter((a) => a.kind === 'cherry-pick');
  assert.is(picks.length, 3);
  assert.ok(picks.every((p) => p.kind === 'cherry-pick' && p.diff.startsWith('diff --git ')));
  // A new file's diff is the same whatever it is picked onto: git's own diff of the commit.
  const own = git(s.appRepo, 'diff-tree', '-p', '--full-index', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', `${hostile}^`, hostile);
  assert.is(picks[2]!.kind === 'cherry-pick' && picks[2]!.diff, own);
  assert.equal(planCommentProblems(markdown, plan, { hostile: ['evil'] }), []);

  const text = runCli(args, { cwd: s.root });
  assert.is(text.code, 0, text.stderr);
  for (const line of own.trimEnd().split('\n')) assert.ok(text.stdout.includes(`      ${line}\n`), `the text plan shows ${JSON.stringify(line)}`);
});

test('a pick whose file holds an escape sequence: refused (HF348) for its diff, and the refusal is a comment', async () => {
  const s = await buildAppScenario(tempDir(), NO_REGISTRY);
  const pick = commitFile(s.appRepo, 'src/banner.js', 'module.exports = "\x1b[2J\x1b[Hall clear";\n', 'Add a banner');
  const r = refused(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--reason', 'payment', '--pick', pick], s.root);
  assert.equal(r.diagnostics.map((d) => d.code), ['HF348']);
  assert.match(r.diagnostics[0]!.message, /U\+001B\) in \/actions\/1\/diff\b/);
  assert.equal(findingsCommentProblems(r.markdown, r.diagnostics), []);
});

test('baseline: the prd/nop hotfix plan with its config branch', async () => {
  const s = await buildPrdNopScenario(tempDir(), NO_REGISTRY);
  const { markdown, plan } = planned(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1'], s.root);
  assert.ok(plan.baseline, 'a plan with a baseline');
  assert.ok(plan.actions.some((a) => a.id === 'baseline-config'));
  assert.equal(planCommentProblems(markdown, plan), []);
});

test('refusals: the findings as a comment on stdout (exit 1), whatever they quote', async () => {
  const s = await buildAppScenario(tempDir(), NO_REGISTRY);
  const hotfix = refused(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--reason', HOSTILE_REASON, '--pick', s.notOnMainline, '--pick', 'deadbeef'], s.root);
  assert.ok(hotfix.diagnostics.length >= 3, 'the reason, the pick off the mainline and the missing one');
  assert.equal(findingsCommentProblems(hotfix.markdown, hotfix.diagnostics, ['evil']), []);

  const env = refused(['plan', 'rollback', '--policy', s.policyFile, '--env', '**evil**<img src=x>', '--repo', `deploy=${s.configRepo}`, '--no-cluster'], s.root);
  assert.is(env.diagnostics[0]?.code, 'HF302');
  assert.equal(findingsCommentProblems(env.markdown, env.diagnostics, ['evil']), []);

  const broken = join(s.root, 'broken.json');
  writeFileSync(broken, '{"formatVersion": "1.1", "id": "# [evil](https://evil.example)"}');
  const show = refused(['show', broken], s.root);
  assert.equal(findingsCommentProblems(show.markdown, show.diagnostics, ['evil']), []);
});

test.run();
