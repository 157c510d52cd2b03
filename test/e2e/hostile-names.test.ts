import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { hostileCorpus, type HostileCase } from '../helpers/hostile-corpus.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';
import { VALID } from '../helpers/hostile-policies.js';
import { scenario } from '../helpers/rollback-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

// Every hostile name through every way a name enters: the command line (--to, --pick,
// --version, --repo, --env, each as --option=VALUE so a value like an option is one) and the policy (a branch template, a literal branch).
const gitops = await scenario();
const app = await buildAppScenario(tempDir(), '127.0.0.1:9', {});
const dir = join(gitops.root, 'hostile-names');
mkdirSync(dir);
const gitopsRepos = [gitops.configRepo, gitops.remote];
const appRepos = [app.appRepo, app.appRemote, app.configRepo, app.configRemote];

const rollback = (...extra: string[]) => ['plan', 'rollback', '--policy', gitops.policyFile, '--env', 'production', '--repo', `deploy=${gitops.configRepo}`, '--cluster-state', gitops.clusterStateFile, '--reason', 'r', ...extra];
const hotfix = (...extra: string[]) => [
  'plan', 'hotfix', '--policy', app.policyFile, '--env', 'production', '--repo', `app=${app.appRepo}`, '--repo', `deploy=${app.configRepo}`,
  '--cluster-state', app.clusterStateFile, '--no-registry', '--reason', 'payment', ...extra,
];
const policyWith = (name: string, from: string, to: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, VALID.replace(from, to));
  return file;
};

const cases: HostileCase[] = [];
HOSTILE_NAMES.forEach(({ label, name }, i) => {
  const quoted = JSON.stringify(name);
  const entries: Array<Omit<HostileCase, 'name'> & { entry: string }> = [
    // Compared with what was deployed, never given to git: refused, or never deployed.
    { entry: '--to', args: rollback(`--to=${name}`), cwd: gitops.root, repos: gitopsRepos, expect: /^hotfix: --to|\[HF306\]/m },
    { entry: '--pick', args: hotfix(`--pick=${name}`), cwd: app.root, repos: appRepos, expect: /^hotfix: --pick/m },
    { entry: '--version', args: hotfix('--pick', app.fixes[0]!.commit, `--version=${name}`), cwd: app.root, repos: appRepos, expect: /^hotfix: --version/m },
    // A binding of that name (and none for the policy's repository).
    { entry: '--repo', args: ['plan', 'rollback', '--policy', gitops.policyFile, '--env', 'production', `--repo=${name}=${gitops.configRepo}`, '--no-cluster', '--reason', 'r'], cwd: gitops.root, repos: gitopsRepos, expect: /^hotfix: |\[HF200\]/m },
    { entry: '--env', args: ['status', '--policy', gitops.policyFile, `--env=${name}`, '--repo', `deploy=${gitops.configRepo}`, '--no-cluster'], cwd: gitops.root, repos: gitopsRepos, expect: /\[HF302\]/ },
    {
      entry: 'rollback.branch template',
      args: ['lint', policyWith(`template-${i}`, '  rollback:\n', `  rollback:\n    branch: ${quoted}\n`)],
      cwd: gitops.root,
      repos: gitopsRepos,
      expect: /\[HF12[12]\]/,
    },
    {
      entry: 'config.branch',
      args: rollback().map((a) => (a === gitops.policyFile ? policyWith(`branch-${i}`, 'branch: main', `branch: ${quoted}`) : a)),
      cwd: gitops.root,
      repos: gitopsRepos,
      expect: /\[HF122\]/,
    },
  ];
  for (const { entry, ...c } of entries) cases.push({ name: `${entry} ${label}`, ...c });
});

hostileCorpus('hostile names', cases);
test.run();
