import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import type { Policy } from '../../src/policy/types.js';
import { planRollback as planRollbackCore } from '../../src/plan/rollback/plan-rollback.js';
import { gatherRollbackState } from '../../src/state/gather-rollback.js';
import { applyPlan, gitOut, planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Names git cannot write or that make other names ambiguous: the git author's name, and the
// branches and tags a plan creates. Lint finds them at the value; plan refuses them again,
// with the values it fills in and the remotes the repository really has.
const gitops = await scenario();
const app = await buildAppScenario(tempDir(), '127.0.0.1:9', {});
const gitopsPolicy = readFileSync(gitops.policyFile, 'utf8');
const appPolicy = readFileSync(app.policyFile, 'utf8');

let written = 0;
/** The policy text with one replacement, in a file of its own; also where `marker` starts (line:col, 1-based). */
function policyWith(text: string, from: string, to: string, marker = to): { file: string; at: string } {
  assert.ok(text.includes(from), `the fixture policy has ${JSON.stringify(from)}`);
  const changed = text.replace(from, to);
  const file = join(gitops.root, `policy-${++written}.yaml`);
  writeFileSync(file, changed);
  const offset = changed.indexOf(marker);
  const before = changed.slice(0, offset).split('\n');
  return { file, at: `${before.length}:${before.at(-1)!.length + 1}` };
}

/** A refusal as the user sees it: exit 1, one line per finding, no stack. */
function assertRefused(r: CliResult, code: string, at?: string): string {
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.not.ok(hasStackTrace(r.stdout + r.stderr), r.stderr);
  const line = (r.stdout + r.stderr).split('\n').find((l) => l.includes(`[${code}]`));
  assert.ok(line, `${code} in:\n${r.stdout}${r.stderr}`);
  if (at) assert.ok(line.includes(`:${at}  error  `), `${code} at ${at}: ${line}`);
  return line;
}

const lint = (file: string) => runCli(['lint', file], { cwd: gitops.root });

const BAD_NAMES: Array<[label: string, yaml: string, why: RegExp]> = [
  ['an email in it', '"Bot <bot@example.com>"', /contains "<"/],
  ['a closing bracket', '"a > b"', /contains ">"/],
  ['a line break', '"hotfix\\nbot"', /control character \(U\+000A\)/],
  ['an escape character', '"bot\\e[31m"', /control character \(U\+001B\)/],
  ['only spaces', '"   "', /empty or only spaces/],
];

const authorPolicy = (yaml: string) => policyWith(gitopsPolicy, '  git:\n    push: true\n', `  git:\n    push: true\n    author: { name: ${yaml}, email: bot@example.com }\n`, yaml);

for (const [label, yaml, why] of BAD_NAMES) {
  test(`git author name with ${label}: lint finds it at the value (HF135)`, () => {
    const { file, at } = authorPolicy(yaml);
    assert.match(assertRefused(lint(file), 'HF135', at), why);
  });
}

test('a plain author name, accents and all, passes lint and signs the plan\'s commits', () => {
  const { file } = policyWith(gitopsPolicy, '  git:\n    push: true\n', '  git:\n    push: true\n    author: { name: "José Ñúñez (on call)", email: jose@example.com }\n');
  assert.is(lint(file).code, 0);
  const r = planRollback(gitops, ['--reason', 'r'], { policy: file });
  const commit = r.plan?.actions.find((a) => a.kind === 'commit');
  assert.is(commit?.kind === 'commit' && commit.author.name, 'José Ñúñez (on call)', r.stderr);
});

const TEMPLATES: Array<[label: string, template: string, code: string, why: RegExp]> = [
  ['a remote-tracking name of origin', 'origin/{env}', 'HF137', /"origin\/production" for environment production.*"origin\/"/],
  ['a full ref name', 'refs/heads/rollback-{sha7}', 'HF137', /starts with "refs\/"/],
  ['a HEAD name', 'FETCH_HEAD', 'HF137', /"FETCH_HEAD", a name git keeps/],
  ['the tags directory', 'tags/{env}', 'HF137', /also names refs\/tags\/production/],
  ['a last part over 250 bytes', `rollback/${'r'.repeat(243)}-{sha7}`, 'HF136', /is 251 bytes long \(at most 250/],
  ['a name over 1024 bytes', `${'r/'.repeat(510)}{env}`, 'HF136', /is 1041 bytes long \(at most 1024\)/],
];

const branchPolicy = (template: string) => {
  const quoted = JSON.stringify(template);
  return policyWith(gitopsPolicy, '  rollback:\n', `  rollback:\n    branch: ${quoted}\n`, quoted);
};

for (const [label, template, code, why] of TEMPLATES) {
  test(`rollback.branch giving ${label}: lint finds it at the template (${code})`, () => {
    const { file, at } = branchPolicy(template);
    assert.match(assertRefused(lint(file), code, at), why);
  });
}

test('plan rollback refuses those policies with lint\'s findings, saving nothing and moving no ref', () => {
  const before = refs(gitops.configRepo);
  for (const [{ file, at }, code] of [[authorPolicy(BAD_NAMES[2]![1]), 'HF135'], [branchPolicy(TEMPLATES[0]![1]), 'HF137'], [branchPolicy(TEMPLATES[4]![1]), 'HF136']] as const) {
    const r = planRollback(gitops, ['--reason', 'r'], { policy: file });
    assertRefused(r, code, at);
    assert.is(r.plan, undefined);
  }
  assert.is(refs(gitops.configRepo), before);
});

test('names that only come near: a 250-byte last part, "originals/", "HEADS-UP" plan fine', () => {
  for (const template of [`rollback/${'r'.repeat(242)}-{sha7}`, 'originals/{env}-{sha7}', 'HEADS-UP-{sha7}']) {
    const { file } = branchPolicy(template);
    assert.is(lint(file).code, 0, template);
    const r = planRollback(gitops, ['--reason', 'r'], { policy: file });
    assert.ok(r.plan, `${template}: ${r.stderr}`);
  }
});

test('{shaN} in branch and tag templates: GitLab\'s 8-character short sha lints and names the rollback branch and the hotfix branch and tag', () => {
  const rollback = policyWith(gitopsPolicy, '  rollback:\n', '  rollback:\n    branch: "rollback/{env}-{sha8}"\n');
  assert.is(lint(rollback.file).code, 0, lint(rollback.file).stdout);
  const r = planRollback(gitops, ['--reason', 'r'], { policy: rollback.file });
  const created = r.plan?.actions.find((a) => a.kind === 'create-branch');
  assert.ok(created?.kind === 'create-branch', r.stderr);
  const deploying = r.plan!.deployed.deployingCommit!.sha;
  assert.is(created.branch, `rollback/production-${deploying.slice(0, 8)}`);

  const hotfix = policyWith(readFileSync(policyWith(appPolicy, 'branch: "hotfix/{date}-{sha7}"', 'branch: "hotfix/{sha12}"').file, 'utf8'), 'tag: "hotfix-{date}-{sha7}"', 'tag: "hotfix-{sha10}"');
  assert.is(runCli(['lint', hotfix.file], { cwd: gitops.root }).code, 0);
  const h = hotfixPlan(hotfix.file);
  assert.ok(h.saved, h.stderr);
  assert.ok(h.stdout.includes(`hotfix/${app.deployed.commit.slice(0, 12)}`) && h.stdout.includes(`hotfix-${app.deployed.commit.slice(0, 10)}`), h.stdout);
});

test('plan rollback: a branch starting with a remote the repository has (the policy does not name it) is HF349', () => {
  const { file } = policyWith(gitopsPolicy, '  rollback:\n', '  rollback:\n    branch: "mirror/{env}-{sha7}"\n');
  assert.is(lint(file).code, 0, 'lint cannot know the repository\'s remotes');
  assert.ok(planRollback(gitops, ['--reason', 'r'], { policy: file }).plan, 'without a remote of that name the plan is made');

  gitOut(gitops.configRepo, ['remote', 'add', 'mirror', gitops.remote]);
  try {
    const before = refs(gitops.configRepo);
    const r = planRollback(gitops, ['--reason', 'r'], { policy: file });
    assert.match(assertRefused(r, 'HF349'), /rollback branch "mirror\/production-[0-9a-f]{7}" would shadow other refs: it starts with "mirror\/" like the branches of remote mirror/);
    assert.is(r.plan, undefined);
    assert.is(refs(gitops.configRepo), before);
  } finally {
    gitOut(gitops.configRepo, ['remote', 'remove', 'mirror']);
  }
});

test('plan rollback: a tag named like the rollback branch is HF349, a branch it would be a folder of HF355; apply checks the tag again', () => {
  const first = planRollback(gitops, ['--reason', 'r']);
  const branch = first.plan!.actions.find((a) => a.kind === 'create-branch')!.branch;
  const planFile = join(gitops.root, 'plan-before-the-tag.json');
  writeFileSync(planFile, JSON.stringify(first.plan));
  const shown = runCli(['show', planFile], { cwd: gitops.root });
  assert.match(shown.stdout, new RegExp(`checks +deploy refs/tags/${branch} does not exist`), 'the reviewer sees the check');

  gitOut(gitops.configRepo, ['tag', branch, 'HEAD']);
  try {
    const before = refs(gitops.configRepo);
    const r = planRollback(gitops, ['--reason', 'r']);
    assert.match(assertRefused(r, 'HF349'), new RegExp(`rollback branch "${branch}" would shadow other refs: deploy has a tag of that name, so "git checkout ${branch}" would be ambiguous`));
    assert.is(r.plan, undefined);
    // The plan made before the tag appeared: apply finds the new tag and writes nothing.
    const applied = applyPlan(gitops, planFile);
    assert.match(assertRefused(applied, 'HF404'), new RegExp(`refs/tags/${branch}`));
    assert.is(refs(gitops.configRepo), before);
  } finally {
    gitOut(gitops.configRepo, ['tag', '-d', branch]);
  }

  gitOut(gitops.configRepo, ['branch', `${branch}/retry`, 'HEAD']);
  try {
    assert.match(assertRefused(planRollback(gitops, ['--reason', 'r']), 'HF355'), new RegExp(`branch ${branch}/retry exists, and git cannot hold both`));
  } finally {
    gitOut(gitops.configRepo, ['branch', '-D', `${branch}/retry`]);
  }
});

const hotfixPlan = (policyFile: string, extra: string[] = []) => {
  const out = join(app.root, `plan-${++written}.json`);
  const r = runCli(
    ['plan', 'hotfix', '--policy', policyFile, '--env', 'production', '--repo', `app=${app.appRepo}`, '--repo', `deploy=${app.configRepo}`, '--cluster-state', app.clusterStateFile, '--no-registry', '--reason', 'payment', '--pick', app.fixes[0]!.commit, '--out', out, ...extra],
    { cwd: app.root },
  );
  return { ...r, saved: existsSync(out) };
};

test('plan hotfix: a branch starting with a remote of the app repository is HF349', () => {
  const { file } = policyWith(appPolicy, 'branch: "hotfix/{date}-{sha7}"', 'branch: "fork/{date}-{sha7}"');
  assert.is(lint(file).code, 0);
  assert.ok(hotfixPlan(file).saved, 'without a remote of that name the plan is made');

  gitOut(app.appRepo, ['remote', 'add', 'fork', app.appRemote]);
  try {
    const r = hotfixPlan(file);
    assert.match(assertRefused(r, 'HF349'), /hotfix branch "fork\/\d{8}-[0-9a-f]{7}" would shadow other refs/);
    assert.not.ok(r.saved);
  } finally {
    gitOut(app.appRepo, ['remote', 'remove', 'fork']);
  }
});

test('plan hotfix: a branch and a tag templated to one name are HF349; a tag like an existing branch too', () => {
  const same = policyWith(appPolicy, 'branch: "hotfix/{date}-{sha7}"', 'branch: "release-{sha7}"');
  const withTag = policyWith(readFileSync(same.file, 'utf8'), 'tag: "hotfix-{date}-{sha7}"', 'tag: "release-{sha7}"');
  const r = hotfixPlan(withTag.file);
  assert.match(assertRefused(r, 'HF349'), /hotfix tag "release-[0-9a-f]{7}" would shadow other refs: the hotfix branch has the same name/);
  assert.not.ok(r.saved);

  const tagOnly = policyWith(appPolicy, 'tag: "hotfix-{date}-{sha7}"', 'tag: "{env}"');
  gitOut(app.appRepo, ['branch', 'production', app.deployed.commit]);
  try {
    assert.match(assertRefused(hotfixPlan(tagOnly.file), 'HF349'), /hotfix tag "production" would shadow other refs: app has a branch of that name/);
  } finally {
    gitOut(app.appRepo, ['branch', '-D', 'production']);
  }
});

test('plan hotfix: a release version (from a git tag) too long for the branch name is HF210; lint counts --version\'s 128', () => {
  // The tag's own name is 250 bytes, the longest git stores; "fix-" before it makes 253.
  const version = `0.0.${'9'.repeat(245)}`;
  const { file } = policyWith(appPolicy, 'branch: "hotfix/{date}-{sha7}"', 'branch: "fix-{version}"');
  assert.is(lint(file).code, 0);
  gitOut(app.appRepo, ['tag', '-d', app.deployed.gitTag]);
  gitOut(app.appRepo, ['tag', `v${version}`, app.deployed.commit]);
  try {
    const r = hotfixPlan(file);
    assert.match(assertRefused(r, 'HF210'), /hotfix branch "fix-0\.0\.9+" is not a valid name: the part "fix-0\.0\.9+…" is 253 bytes long \(at most 250/);
    assert.not.ok(r.saved);
    assert.ok(hotfixPlan(file, ['--version', '1.4.1']).saved, 'a version of ordinary length is planned');
  } finally {
    gitOut(app.appRepo, ['tag', '-d', `v${version}`]);
    gitOut(app.appRepo, ['tag', app.deployed.gitTag, app.deployed.commit]);
  }
});

test('the plan core refuses a person or a branch name lint would have, for a policy handed to it directly', async () => {
  const loaded = await loadPolicy(gitops.policyFile, gitops.root);
  const environment = loaded.policy.spec.environments[0]!;
  const state = await gatherRollbackState({ policy: loaded.policy, environment, repos: { deploy: gitops.configRepo }, depth: 5, cluster: 'none' });
  const context = { now: '2026-11-22T12:00:00Z', toolVersion: 'test', policyFile: loaded.file, policyHash: loaded.sha256, repos: { deploy: gitops.configRepo } };
  const plan = (policy: Policy) => planRollbackCore(policy, state, { kind: 'rollback', environment: 'production', allowDrift: true, reason: 'r' }, context);
  const withSpec = (spec: Partial<Policy['spec']>): Policy => ({ ...loaded.policy, spec: { ...loaded.policy.spec, ...spec } });
  const git = loaded.policy.spec.git!;
  const rollback = loaded.policy.spec.rollback!;

  assert.ok(plan(loaded.policy).plan, 'the policy as lint passed it is planned');
  const refused: Array<[Policy, string, RegExp]> = [
    [withSpec({ git: { ...git, author: { name: 'a <b', email: 'bot@example.com' } } }), 'HF210', /git\.author\.name "a <b" cannot be written into a commit/],
    [withSpec({ git: { ...git, author: { name: 'bot', email: 'bot\n@example.com' } } }), 'HF210', /git\.author\.email "bot\\n@example\.com".*U\+000A/],
    [withSpec({ rollback: { ...rollback, branch: `${'x'.repeat(251)}` } }), 'HF210', /is 251 bytes long/],
    [withSpec({ rollback: { ...rollback, branch: 'origin/{sha7}' } }), 'HF349', /starts with "origin\/"/],
    [withSpec({ rollback: { ...rollback, branch: 'ORIG_HEAD' } }), 'HF349', /"ORIG_HEAD"/],
  ];
  for (const [policy, code, why] of refused) {
    const outcome = plan(policy);
    assert.is(outcome.plan, undefined, code);
    assert.equal(outcome.diagnostics.map((d) => d.code), [code]);
    assert.match(outcome.diagnostics[0]!.message, why);
  }
});

test.run();
