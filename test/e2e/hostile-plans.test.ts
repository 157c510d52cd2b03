import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { hostileCorpus, type HostileCase } from '../helpers/hostile-corpus.js';
import { brokenPlans, resealed } from '../helpers/hostile-plans.js';
import { copyWorld } from '../helpers/hostile-repo.js';
import { rebasePlan } from '../helpers/scenario-copy.js';
import { planRollback, scenario } from '../helpers/rollback-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

// Plan files hostile to show and apply: not a plan, a plan broken in its form, and plans
// sealed again after a hostile edit, whose ids hold but whose names and paths do not.
const s = await scenario();
const { plan } = planRollback(s, ['--reason', 'r']);
if (!plan) throw new Error('the scenario gives no rollback plan');
const repos = [s.configRepo, s.remote];

const cases: HostileCase[] = [];
brokenPlans(plan).forEach(({ label, content, expect }, i) => {
  const file = join(s.root, `broken-${i}.json`);
  writeFileSync(file, content);
  const format = ['text', 'markdown', 'json'][i % 3]!;
  cases.push({ name: `show --format ${format}: ${label}`, args: ['show', '--format', format, file], cwd: s.root, repos, expect });
  cases.push({ name: `apply: ${label}`, args: ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file], cwd: s.root, repos, expect });
});
// Out of the scenario, which is copied for the cases that may write.
const fifo = join(tempDir(), 'fifo.json');
execFileSync('mkfifo', [fifo]);
for (const [label, path] of [
  ['a directory', s.root],
  ['a missing file', join(s.root, 'missing.json')],
  ['a FIFO', fifo],
  ['/dev/zero', '/dev/zero'],
  ['/dev/urandom', '/dev/urandom'],
] as const) {
  const common = { cwd: s.root, repos, expect: /\[HF400\]/ };
  cases.push({ name: `show: ${label}`, args: ['show', path], ...common });
  cases.push({ name: `apply: ${label}`, args: ['apply', '--auto-approve', path], ...common });
}

const createBranch = plan.actions.findIndex((a) => a.kind === 'create-branch');
const commit = plan.actions.findIndex((a) => a.kind === 'commit');
/** Edits that keep the plan's id valid; apply must still refuse before writing. */
const RESEALED: Array<[string, (p: Record<string, any>) => void, RegExp, string[]?]> = [
  // `update refs/heads/x FROM 0000…` and a second line, `update refs/heads/injected FROM 0000…`.
  ['a branch that injects a second ref into update-ref --stdin', (p) => (p.actions[createBranch].branch = `x ${p.actions[createBranch].from} ${'0'.repeat(40)}\nupdate refs/heads/injected`), /\[HF\d{3}\]/],
  ['a branch like an option', (p) => (p.actions[createBranch].branch = '--upload-pack=touch /tmp/hotfix-pwned'), /\[HF\d{3}\]/],
  ['a branch with ..', (p) => (p.actions[createBranch].branch = 'a..b'), /\[HF\d{3}\]/],
  ['a commit onto a branch out of refs/heads', (p) => (p.actions[commit].branch = '../../../x'), /\[HF\d{3}\]/],
  ['a patched path out of the repository', (p) => (p.actions[commit].changes[0].path = '../../etc/passwd'), /\[HF\d{3}\]/],
  ['an action on the repository __proto__', (p) => (p.actions[createBranch].repo = '__proto__'), /\[HF\d{3}\]/],
  // Named where the plan names its policy and where apply checks its hash, as an attacker would.
  // The policy is checked before the cluster is read through it, so both refuse alike.
  ['a policy file that is a device', (p) => (p.policy.file = p.preconditions.find((c: { kind: string }) => c.kind === 'policy').file = '/dev/zero'), /\/dev\/zero is gone or is not a regular file.*\[HF404\]/],
  ['a policy file that is a device, cluster not read', (p) => (p.policy.file = p.preconditions.find((c: { kind: string }) => c.kind === 'policy').file = '/dev/zero'), /\/dev\/zero is gone or is not a regular file.*\[HF404\]/, ['--no-cluster']],
  ['a branch head that moved', (p) => (p.preconditions[0].sha = '0'.repeat(40)), /\[HF404\]/],
  // Only a hotfix's deploy and merge-backs may be made again on a moved branch.
  ['a rollback commit that claims it may be made again on a moved branch', (p) => (p.actions[commit].rederive = { when: 'if-branch-moves', reason: 'trust me' }), /it may be re-derived, which only a hotfix's deploy commit and merge-backs may.*\[HF415\]/],
];
RESEALED.forEach(([label, edit, expect, cluster = ['--cluster-state', s.clusterStateFile]], i) => {
  const path = copyWorld(s.root, [{ clone: s.configRepo, remote: s.remote }]);
  const file = path(join(s.root, `resealed-${i}.json`));
  writeFileSync(file, resealed(rebasePlan(plan, s.root, path(s.root)), edit));
  cases.push({
    name: `apply: resealed with ${label}`,
    args: ['apply', '--auto-approve', '--repo', `deploy=${path(s.configRepo)}`, ...cluster, file],
    cwd: path(s.root),
    repos: [path(s.configRepo), path(s.remote)],
    expect,
  });
});

const pullRequest = plan.actions.findIndex((a) => a.kind === 'open-pull-request');
/** Sealed plans whose text would steer the terminal they are reviewed on: refused where read. */
const CONTROL: Array<[string, (p: Record<string, any>) => void, RegExp]> = [
  ['an escape sequence in a note', (p) => (p.notes[0] = 'fine\x1b[2A\x1b[Kcovered'), /control character \(U\+001B\) in \/notes\/0.*\[HF401\]/],
  ['a carriage return and erase in a pull-request title', (p) => (p.actions[pullRequest].title = 'Revert\r\x1b[K'), new RegExp(`control character \\(U\\+000D\\) in /actions/${pullRequest}/title.*\\[HF401\\]`)],
  ['a C1 CSI in a commit message', (p) => (p.actions[commit].message += '\x9b2J'), new RegExp(`\\(U\\+009B\\) in /actions/${commit}/message.*\\[HF401\\]`)],
  ['a lone carriage return in a diff', (p) => (p.actions[commit].changes[0].diff = p.actions[commit].changes[0].diff.replace('\n+', '\n+\r')), /\(U\+000D\) in \/actions\/\d+\/changes\/0\/diff.*\[HF401\]/],
  ['a newline in a branch name', (p) => (p.deployed.configBranch = 'main\nmain'), /\(U\+000A\) in \/deployed\/configBranch.*\[HF401\]/],
  ['DEL in a repository name', (p) => (p.repos = { 'de\x7fploy': p.repos.deploy }), /\(U\+007F\) in a key of \/repos.*\[HF401\]/],
];
CONTROL.forEach(([label, edit, expect], i) => {
  const file = join(s.root, `control-${i}.json`);
  writeFileSync(file, resealed(plan, edit));
  cases.push({ name: `show --format ${i % 2 ? 'markdown' : 'text'}: ${label}`, args: ['show', '--format', i % 2 ? 'markdown' : 'text', file], cwd: s.root, repos, expect });
  cases.push({ name: `apply: ${label}`, args: ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file], cwd: s.root, repos, expect });
});

hostileCorpus('hostile plan files', cases);
test.run();
