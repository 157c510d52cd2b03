import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { hostileCorpus, type HostileCase } from '../helpers/hostile-corpus.js';
import { VALID } from '../helpers/hostile-policies.js';
import { commitHostileFiles, copyWorld } from '../helpers/hostile-repo.js';
import { planRollback, scenario } from '../helpers/rollback-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

// What the repository and the cluster state can hold against the tool: config files that
// are links out of the repository, bombs, binaries, directories; cluster state files that
// are not kubectl output, or not files at all; --out paths that are no place for a plan.
const s = await scenario();
const outside = tempDir('hotfix-outside-');
writeFileSync(join(outside, 'kustomization.yaml'), `resources: []\nimages:\n  - name: ${s.image}\n    newTag: from-outside\n`);
const planned = planRollback(s, ['--reason', 'r']);
if (!planned.plan) throw new Error(`the scenario's rollback plan failed: ${planned.stderr}`);
const planFile = join(s.root, 'plan.json');
writeFileSync(planFile, JSON.stringify(planned.plan));
commitHostileFiles(s.configRepo, s.image, outside);

const dir = join(s.root, 'hostile-repos');
mkdirSync(dir);
const repos = [s.configRepo, s.remote];
let written = 0;
// With a hotfix section, so plan hotfix reads the config too.
const policy = (from: string, to: string) => {
  const file = join(dir, `policy-${written++}.yaml`);
  writeFileSync(file, `${VALID.replace(from, to)}  hotfix:\n    reasons: [security]\n`);
  return file;
};
const commands = (file: string) => [
  ['plan', 'rollback', '--policy', file, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'r'],
  ['status', '--policy', file, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile],
  ['plan', 'hotfix', '--policy', file, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--repo', `app=${s.configRepo}`, '--no-cluster', '--no-registry', '--reason', 'security'],
];

/** config.file → the refusal; status shows a file it can read, so it is not asked about those. */
const CONFIG_FILES: Array<[string, RegExp, 'readable'?]> = [
  ['hostile/link-out.yaml', /\[HF217\]/],
  ['hostile/link-absolute.yaml', /\[HF217\]/],
  ['hostile/link-in.yaml', /\[HF217\]/],
  ['hostile/etc/passwd', /\[HF203\]/],
  ['hostile/outside-dir/kustomization.yaml', /\[HF203\]/],
  ['hostile/dir.yaml', /\[HF203\]/],
  ['hostile/no-such-file.yaml', /\[HF203\]/],
  // Anchors are not expanded to find the image: the file declares `x`, which is not what runs.
  ['hostile/alias-bomb.yaml', /\[HF303\]|\[HF337\]/, 'readable'],
  ['hostile/deep.yaml', /\[HF211\]/],
  ['hostile/binary.yaml', /\[HF2(07|11)\]/],
  ['hostile/latin1.yaml', /\[HF211\]/],
  ['hostile/broken.yaml', /\[HF211\]/],
  ['hostile/empty.yaml', /\[HF207\]/],
  ['hostile/twice.yaml', /\[HF209\]/],
  ['hostile/huge.yaml', /\[HF303\]|\[HF337\]/, 'readable'],
];

const cases: HostileCase[] = [];
for (const [file, expect, readable] of CONFIG_FILES) {
  const p = policy('file: app/bases/kustomization.yaml', `file: ${file}`);
  for (const args of commands(p)) if (!(readable && args[0] === 'status')) cases.push({ name: `${args.slice(0, args[0] === 'plan' ? 2 : 1).join(' ')}: config.file ${file}`, args, cwd: s.root, repos, expect });
}
for (const render of ['hostile/outside-dir', 'hostile/etc']) {
  const p = policy('file: app/bases/kustomization.yaml', `file: app/bases/kustomization.yaml\n        render: ${render}`);
  // The link is not followed: rendered without it, the directory is not there.
  cases.push({ name: `plan rollback: config.render ${render}, a link out of the repository`, args: commands(p)[0]!, cwd: s.root, repos, expect: /kustomize hostile\/.*\[HF216\]/ });
}

const fifo = join(tempDir(), 'fifo.json');
execFileSync('mkfifo', [fifo]);
const workload = (containers: unknown) => JSON.stringify({ kind: 'Deployment', metadata: { name: 'api-js' }, spec: { template: { spec: { containers } } } });
/** --cluster-state file → its content (a path: used as it is). */
const CLUSTER_STATES: Array<[string, string | { path: string }, RegExp]> = [
  ['empty', '', /\[HF205\]/],
  ['garbage', 'garbage\n', /\[HF205\]/],
  ['truncated JSON', '{"kind": "List", "items": [', /\[HF205\]/],
  ['HTML', '<html><body>502 Bad Gateway</body></html>', /\[HF205\]/],
  ['binary', '\u0000\u0001\u0002', /\[HF205\]/],
  ['null', 'null', /is not kubectl JSON: expected one object, or a List whose items are objects {2}\[HF205\]/],
  ['a list', '[]', /is not kubectl JSON.*\[HF205\]/],
  ['a number', '42', /is not kubectl JSON.*\[HF205\]/],
  ['items not a list', '{"kind": "List", "items": 5}', /is not kubectl JSON.*\[HF205\]/],
  ['items of junk', '{"kind": "List", "items": [null, 1, "x", []]}', /\[HF206\]/],
  ['containers an object', workload({}), /\[HF206\]/],
  ['containers of null', workload([null]), /\[HF206\]/],
  ['image a number', workload([{ name: 'api', image: 5 }]), /container "api" has an image that is a number, not a string: not what kubectl prints {2}\[HF205\]/],
  ['image empty', workload([{ name: 'api', image: '' }]), /container "api" has an empty image: .*\[HF205\]/],
  ['kind an object', JSON.stringify({ kind: { toLowerCase: 1 }, metadata: { name: 'api-js' } }), /\[HF206\]/],
  ['__proto__ holding the items', `{"__proto__": ${JSON.stringify({ items: [JSON.parse(workload([{ name: 'api', image: `${s.image}:x` }]))] })}}`, /\[HF206\]/],
  ['nesting 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /\[HF20[56]\]/],
  ['a 1 MB image name', workload([{ name: 'api', image: `${s.image}:${'x'.repeat(1024 * 1024)}` }]), /\[HF303\]/],
  ['a FIFO', { path: fifo }, /\[HF205\]/],
  ['/dev/zero', { path: '/dev/zero' }, /\[HF205\]/],
  ['/dev/urandom', { path: '/dev/urandom' }, /\[HF205\]/],
  ['a directory', { path: outside }, /\[HF205\]/],
  ['missing', { path: join(outside, 'missing.json') }, /\[HF205\]/],
];
CLUSTER_STATES.forEach(([label, content, expect], i) => {
  let file: string;
  if (typeof content === 'string') writeFileSync((file = join(dir, `cluster-${i}.json`)), content);
  else file = content.path;
  const [rollback] = commands(s.policyFile);
  cases.push({ name: `plan rollback: --cluster-state ${label}`, args: rollback!.map((a) => (a === s.clusterStateFile ? file : a)), cwd: s.root, repos, expect });
  // apply re-reads the running image before it writes anything; in a copy, as it may write.
  const path = copyWorld(s.root, [{ clone: s.configRepo, remote: s.remote }]);
  cases.push({
    name: `apply: --cluster-state ${label}`,
    args: ['apply', '--auto-approve', '--repo', `deploy=${path(s.configRepo)}`, '--cluster-state', file, planFile],
    cwd: path(s.root),
    repos: [path(s.configRepo), path(s.remote)],
    // What plan calls drift (HF303), apply finds as a running image that changed since the plan.
    expect: expect.source.includes('HF303') ? /\[HF404\]/ : expect,
  });
});
const big = join(dir, 'cluster-big.json');
writeFileSync(big, Buffer.alloc(65 * 1024 * 1024, 0x20));
cases.push({ name: 'plan rollback: --cluster-state of 65 MiB', args: commands(s.policyFile)[0]!.map((a) => (a === s.clusterStateFile ? big : a)), cwd: s.root, repos, expect: /\[HF205\]/ });

// --out: never renamed over what is not a regular file (as root, over a device too).
const outs = tempDir('hotfix-outs-');
mkdirSync(join(outs, 'a-directory'));
execFileSync('mkfifo', [join(outs, 'a-fifo')]);
writeFileSync(join(outs, 'a-file'), 'not a directory\n');
symlinkSync(join(outside, 'kustomization.yaml'), join(outs, 'a-link'));
for (const [label, out] of [
  ['a directory', join(outs, 'a-directory')],
  ['a FIFO', join(outs, 'a-fifo')],
  ['a symbolic link', join(outs, 'a-link')],
  ['in a directory that does not exist', join(outs, 'missing', 'plan.json')],
  ['below a file', join(outs, 'a-file', 'plan.json')],
]) {
  const [rollback] = commands(s.policyFile);
  cases.push({ name: `plan rollback: --out ${label}`, args: [...rollback!, '--out', out!], cwd: s.root, repos: [...repos, outs, outside], expect: /\[HF346\]/ });
}

hostileCorpus('hostile repositories and cluster states', cases);
test.run();
