import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { hostileCorpus, type HostileCase } from '../helpers/hostile-corpus.js';
import { HUGE_POLICIES, MALFORMED_POLICIES, VALID, type HostilePolicy } from '../helpers/hostile-policies.js';
import { scenario } from '../helpers/rollback-scenario.js';

// Policy files no command may accept: lint reports them, and every command that reads a
// policy (plan rollback, plan hotfix, status) refuses them with the same finding.
const s = await scenario();
const dir = join(s.root, 'hostile-policies');
mkdirSync(dir);

const yaml = (text: string) => JSON.stringify(text);
const withRegex = (pattern: string) =>
  VALID.replace('    tagFormat: "main-{sha7}"\n', `    tagFormat: "main-{sha7}"\n    revisionFrom: [label, gitTag]\n    gitTagPattern: ${yaml(pattern)}\n`);

/** Regular expressions that backtrack catastrophically on a tag name made for them (HF134). */
const CATASTROPHIC = ['^(a+)+$', '^v(?<version>(\\d+)+)$', '^(?<version>(a*)*)b$', '^(?<version>(\\w+\\s?)*)$', '^(?<version>(x+x+)+)y$', '^(?<version>(.*a){12})$', '^(?<version>([a-z0-9]+[.-]?)+)$', '^release/(?<version>(\\d+\\.?)+)$', '(?<=v)(?<version>(\\d+)*)+', '^(?<version>(?:(?:a|b)+)+)$'];
/** …and ones that do not compile (HF123). */
const BROKEN = ['^v(?<version>[0-9+$', '(?<version>a)(?<version>b)', '*v', '\\'];
/** Config paths that leave the repository (HF124). */
const OUTSIDE = ['../outside.yaml', 'app/../../outside.yaml', '/etc/passwd', 'C:\\Windows\\win.ini', '\\\\server\\share\\x.yaml', 'app\\..\\..\\x.yaml'];
/** Image tag formats a tag can never be read back through (HF130) or never be (HF129). */
const TAG_FORMATS: Array<[string, string]> = [
  ['{branch}{branch}{branch}{branch}{branch}{branch}{branch}{branch}-{sha7}', 'HF130'],
  ['{version}-{version}-{sha7}', 'HF130'],
  ['-{sha7}', 'HF129'],
  ['main/{sha7}', 'HF129'],
  ['main {sha7}', 'HF129'],
  [`${'x'.repeat(120)}-{sha}`, 'HF129'],
];

const policies: HostilePolicy[] = [
  ...MALFORMED_POLICIES,
  ...HUGE_POLICIES,
  ...CATASTROPHIC.map((p) => ({ label: `catastrophic regex ${p}`, content: withRegex(p), code: 'HF134' })),
  ...BROKEN.map((p) => ({ label: `regex that does not compile ${p}`, content: withRegex(p), code: 'HF123' })),
  ...OUTSIDE.map((p) => ({ label: `config.file ${p}`, content: VALID.replace('file: app/bases/kustomization.yaml', `file: ${yaml(p)}`), code: 'HF124' })),
  ...OUTSIDE.map((p) => ({ label: `config.render ${p}`, content: VALID.replace('file: app/bases/kustomization.yaml', `file: app/bases/kustomization.yaml\n        render: ${yaml(p)}`), code: 'HF124' })),
  ...TAG_FORMATS.map(([format, code]) => ({ label: `tagFormat ${format.slice(0, 40)}`, content: VALID.replace('tagFormat: "main-{sha7}"', `tagFormat: ${yaml(format)}`), code })),
];

const cases: HostileCase[] = [];
policies.forEach((policy, i) => {
  const file = join(dir, `p${i}.yaml`);
  writeFileSync(file, policy.content);
  const expect = new RegExp(`\\[${policy.code}`);
  const repos = [s.configRepo, s.remote];
  cases.push({ name: `lint: ${policy.label}`, args: ['lint', file], cwd: s.root, repos, expect });
  // Each command that loads a policy, in turn: the refusal is the policy's, whichever reads it.
  const command = [
    ['plan', 'rollback', '--policy', file, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'r'],
    ['plan', 'hotfix', '--policy', file, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--repo', `app=${s.configRepo}`, '--no-cluster', '--no-registry', '--reason', 'security'],
    ['status', '--policy', file, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile],
  ][i % 3]!;
  cases.push({ name: `${command.slice(0, command[0] === 'plan' ? 2 : 1).join(' ')}: ${policy.label}`, args: command, cwd: s.root, repos, expect });
});

hostileCorpus('hostile policies', cases);
test.run();
