import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildRealShapedHistory, type RealShapedHistory } from '../../fixtures/real-shaped-history.js';
import { findImage } from '../../src/patch/find-image.js';
import { isRollbackCandidate } from '../../src/plan/rollback/choose-target.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { gatherRollbackState } from '../../src/state/gather-rollback.js';
import { automationLines, ANNOTATION_LINE, MARKER_LINE } from '../../src/state/git/automation-lines.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { fluxObjectsAt, filesMatching, grepYaml, imagePoliciesNamed, KIND_LINE } from '../../src/state/git/scan-flux.js';
import { counted } from '../helpers/counting-shim.js';
import { oneCommitRepo } from '../helpers/one-commit-repo.js';
import { tempDir } from '../helpers/temp-dir.js';

// A rollback reads the automation at head with one git grep and parses only the
// ImagePolicies it may pin: on real-shaped repositories (fixtures/real-shaped-history.ts)
// of one team and of four, 48 and 192 ImagePolicies, it parses the same three Flux objects
// and starts the same git processes. Counted, never timed.

const histories = new Map<number, Promise<RealShapedHistory>>();
const history = (teams: number) => {
  if (!histories.has(teams)) histories.set(teams, buildRealShapedHistory(tempDir(), { commits: 300, teams }));
  return histories.get(teams)!;
};

async function gather(s: RealShapedHistory) {
  const { policy } = await loadPolicy(s.policyFile, s.root);
  const environment = policy.spec.environments.find((e) => e.name === 'production')!;
  const { value, invocations } = await counted('git', () => gatherRollbackState({ policy, environment, repos: { deploy: s.configRepo }, depth: 1, counts: isRollbackCandidate, cluster: 'none' }));
  const subcommand = (i: string) => i.split(' ').find((a, n, all) => !a.startsWith('-') && all[n - 1] !== '-c') ?? i;
  return { state: value, git: invocations.map(subcommand).sort() };
}

async function everyFluxObject(s: RealShapedHistory, head: string) {
  const blobs = new CatFileBatch(s.configRepo);
  try {
    return await fluxObjectsAt(s.configRepo, head, blobs);
  } finally {
    blobs.close();
  }
}

test('the ImagePolicies parsed and the git processes do not grow with the unrelated ImagePolicies', async () => {
  const one = await history(1);
  const four = await history(4);
  const a = await gather(one);
  const b = await gather(four);
  const policies = async (s: RealShapedHistory, head: string) => (await everyFluxObject(s, head)).filter((o) => o.kind === 'ImagePolicy');
  assert.is((await policies(one, a.state.head)).length, 48);
  assert.is((await policies(four, b.state.head)).length, 192);
  for (const [s, { state }] of [[one, a], [four, b]] as const) {
    // The automation, payments' ImagePolicy, and its ImageRepository (the only other document naming payments alone).
    assert.equal(state.flux.map((o) => `${o.kind} ${o.name}`).sort(), ['ImagePolicy payments', 'ImageRepository payments', 'ImageUpdateAutomation apps']);
    // Each of them exactly as reading every object finds it.
    const all = await everyFluxObject(s, state.head);
    for (const o of state.flux) assert.equal(o, all.find((x) => x.kind === o.kind && x.name === o.name && x.file === o.file));
    // The walk's reading of the deploying commit is handed to the plan, which then parses it no more: the fields findImage finds.
    assert.equal(state.deploying.commitFields, findImage(state.deploying.commitText, { fluxImagePolicy: 'flux-system:payments' }, s.image).fields);
  }
  assert.equal(b.git, a.git, 'git processes');
  assert.is(a.git.filter((g) => g === 'grep').length, 1, a.git.join(', '));
  // One cat-file, which reads the blobs and resolves the branch too (a second, --batch-check, did that before).
  assert.equal(a.git, ['cat-file', 'diff-tree', 'for-each-ref', 'grep', 'log', 'ls-tree', 'remote', 'rev-parse']);
});

test('a document is parsed only if it may hold an ImageUpdateAutomation or a named ImagePolicy', () => {
  const keep = imagePoliciesNamed(['payments'])!;
  const policy = (name: string) => `kind: ImagePolicy\nmetadata:\n  name: ${name}\n`;
  assert.ok(keep(policy('payments')));
  assert.ok(keep(policy('"payments"')));
  assert.ok(keep(policy('|-\n    payments')));
  assert.ok(keep(`kind: ImagePolicy\nmetadata: {name: payments}\n`));
  assert.not.ok(keep(policy('identity-payments')));
  assert.not.ok(keep(policy('payments-migrations')));
  assert.not.ok(keep(policy('payments.v2')));
  // Escaped, the name's text is not in the document.
  assert.ok(keep(policy('"pay\\x6dents"')));
  assert.ok(keep(`kind: ImageUpdateAutomation\nmetadata:\n  name: anything\n`));
  assert.ok(imagePoliciesNamed([])!(`kind: ImageUpdateAutomation\n`));
  assert.not.ok(imagePoliciesNamed([])!(policy('payments')));
  // A name that YAML could write otherwise (folded, quoted) keeps every document.
  assert.is(imagePoliciesNamed(['pay ments']), undefined);
  assert.is(imagePoliciesNamed(["o'brien"]), undefined);
});

const FILES = {
  'flux/policies.yaml': `---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata:\n  name: api\n---\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageUpdateAutomation\nmetadata:\n  name: deploy\n`,
  'app/release.yaml': `spec:\n  values:\n    image:\n      tag: 1.2.3 # {"$imagepolicy": "flux-system:api:tag"}\n`,
  'legacy/web.yaml': `kind: Deployment\nmetadata:\n  annotations:\n    fluxcd.io/automated: "true"\n    fluxcd.io/tag.web: glob:main-*\n`,
  'argocd/app.yaml': `kind: ImageUpdater\n`,
};

test('one git grep finds what the three greps found, and three greps answer where a marker name could hide a match', async () => {
  // A marker name holding a kind line and an annotation: with -o, git prints the marker and
  // never the matches that start inside it.
  const hostile = { ...FILES, 'app/odd.yaml': `x: 1 # {"$imagepolicy": "ns:kind: ImagePolicy fluxcd.io/automated"}\n` };
  for (const [files, greps] of [[FILES, 1], [hostile, 3]] as const) {
    const { repo, head } = await oneCommitRepo(files);
    const { value, invocations } = await counted('git', () => automationLines(repo, head));
    assert.is(invocations.length, greps);
    assert.equal(value.markers, await grepYaml(repo, head, MARKER_LINE));
    assert.equal(value.kinds, await filesMatching(repo, head, KIND_LINE));
    assert.equal(value.annotated, await filesMatching(repo, head, ANNOTATION_LINE));
  }
  const { repo, head } = await oneCommitRepo(hostile);
  assert.equal((await automationLines(repo, head)).kinds.map((f) => f.path).sort(), ['app/odd.yaml', 'flux/policies.yaml']);
});

test.run();
