// Image tags as real CI writes them, through the built CLI: Flux's sortable tags
// (fluxcd.io guide "sortable image tags": ${GITHUB_REF##*/}-${GITHUB_SHA::8}-$(date +%s)),
// GitLab's 8-character CI_COMMIT_SHORT_SHA, GitHub's ${{ github.sha }}-${{ github.run_number }}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../fixtures/git.js';
import { buildAppScenario, type AppScenario, type AppScenarioOptions } from '../../fixtures/app-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

const registry = registryForFile(test);

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

const FLUX_SORTABLE: AppScenarioOptions['ci'] = { tagFormat: '{branch}-{sha8}-{timestamp}', revisionFrom: '[tag]', tag: (sha, built) => `main-${sha.slice(0, 8)}-${unixSeconds(built)}` };
const GITLAB_SHORT_SHA: AppScenarioOptions['ci'] = { tagFormat: '{branch}-{sha8}', revisionFrom: '[label, tag]', tag: (sha) => `main-${sha.slice(0, 8)}` };
const RUN_NUMBER: AppScenarioOptions['ci'] = { tagFormat: '{sha}-{build}', revisionFrom: '[tag]', tag: (sha, built) => `${sha}-${unixSeconds(built) % 997}` };

const planArgs = (s: AppScenario, file: string, extra: string[] = []) => ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file, ...extra];
const statusOf = async (s: AppScenario) => {
  const r = await runCliAsync(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--format', 'json'], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { environments: Array<{ name: string; declared: string; commit?: { sha: string } }> }).environments;
};

test('Flux sortable tags: status and revisionFrom: tag read the commit back; a hotfix plan leaves {timestamp} to its gate', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: FLUX_SORTABLE });
  assert.match(s.deployed.tag, /^main-[0-9a-f]{8}-1[0-9]{9}$/);

  const lint = await runCliAsync(['lint', s.policyFile], { cwd: s.root });
  assert.is(lint.code, 0, lint.stderr + lint.stdout);
  assert.match(lint.stdout, /warning  tagFormat .* has \{timestamp\} \(the time CI built the image in Unix seconds.*decided at its gate.*\[HF151\]/);
  assert.not.match(lint.stdout, /HF133/);

  const production = (await statusOf(s)).find((e) => e.name === 'production')!;
  assert.is(production.declared, `${s.image}:${s.deployed.tag}`);
  assert.is(production.commit?.sha, s.deployed.commit.slice(0, 8));

  // With only revisionFrom: tag and no registry, a plan means the tag named the deployed
  // commit (otherwise the plan stops at HF337, no source named it).
  const file = join(s.root, 'plan.json');
  const r = await runCliAsync(planArgs(s, file, ['--no-registry']), { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.is(plan.deployed.appCommit?.sha, s.deployed.commit);
  assert.match((plan.actions.find((a) => a.kind === 'gate') as { tagAtGate?: string }).tagAtGate ?? '', /^hotfix-[0-9]{8}-[0-9a-f]{7}-[0-9a-f]{8}-\{timestamp\}$/);
});

test('the run number of {sha}-{build} matches any value when status reads a tag back', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: RUN_NUMBER });
  const production = (await statusOf(s)).find((e) => e.name === 'production')!;
  assert.match(production.declared, new RegExp(`:${s.deployed.commit}-[0-9]+$`));
  assert.is(production.commit?.sha, s.deployed.commit);
});

test('GitLab short shas: {branch}-{sha8} plans, waits for, and deploys the hotfix image by its 8-character tag', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: GITLAB_SHORT_SHA });
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit } });
  const file = join(s.root, 'plan.json');
  const planned = await runCliAsync(planArgs(s, file), { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.is(plan.deployed.appCommit?.sha, s.deployed.commit);
  assert.equal(plan.deployed.appCommit?.agreeing, [`tag ${s.deployed.tag}`]);
  const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  const branch = (plan.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  const tag = `${branch.replace(/\//g, '-')}-${head.slice(0, 8)}`;
  assert.is(plan.target.image, `${s.image}:${tag}`);

  const apply = ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', file];
  const waiting = await runCliAsync(apply, { cwd: s.root });
  assert.is(waiting.code, 3, waiting.stderr);
  assert.match(waiting.stderr, new RegExp(`${tag.replace(/\./g, '\\.')} is not in the registry yet.*\\[HF410\\]`));
  await pushImage(registry.host, { name: 'team/shop-api', tag, labels: { [REVISION]: head } });
  const done = await runCliAsync(apply, { cwd: s.root });
  assert.is(done.code, 0, done.stderr);
  const deployedFile = await git(s.configRemote, ['show', 'main:overlays/production/kustomization.yaml']);
  assert.ok(deployedFile.includes(`newTag: ${tag}`), deployedFile);

  // Read back through the same format, the deployed hotfix names its head.
  await git(s.configRepo, ['pull', '--quiet', '--ff-only']);
  const production = (await statusOf(s)).find((e) => e.name === 'production')!;
  assert.is(production.commit?.sha, head.slice(0, 8));
});

test.run();
