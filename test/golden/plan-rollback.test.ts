import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';
import type { Policy } from '../../src/policy/types.js';
import { planRollback } from '../../src/plan/rollback/plan-rollback.js';
import type { Plan } from '../../src/plan/types.js';
import type { CommitInfo, FluxObject, RollbackState } from '../../src/state/types.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { styleFor } from '../../src/render/style.js';

// A small, hand-written world: no repository, no cluster, only data.
const IMAGE = 'registry.example.com/team/api-js';
const kustomization = (apiJs: string, api = 'main-1111111', suffix = '') => `# Images deployed by Flux
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: registry.example.com/team/api
    newTag: ${api} # {"$imagepolicy": "flux-system:api:tag"}
  - name: registry.example.com/team/api-js
    newTag: ${apiJs} # {"$imagepolicy": "flux-system:api-js:tag"}${suffix}
  - name: registry.example.com/team/web
    newTag: "main-3333333"
`;
const AUTOMATION = `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageUpdateAutomation
metadata:
  name: deploy
  namespace: flux-system
spec:
  update:
    path: ./app
`;

const commit = (sha: string, subject: string, date: string): CommitInfo => ({
  sha: sha.repeat(40 / sha.length),
  parents: ['9'.repeat(40)],
  subject,
  author: { name: 'fluxcdbot', email: 'flux@example.com', date },
  committer: { name: 'fluxcdbot', email: 'flux@example.com', date },
});
const D = commit('d4', `Auto-release ${IMAGE}:main-26a4b87`, '2026-11-20T10:00:00Z');
const PREVIOUS = commit('c3', `Auto-release ${IMAGE}:main-f01225d`, '2026-11-18T10:00:00Z');
const HEAD = 'e5'.repeat(20);
const tree = (name: string, type: 'blob' | 'tree' = 'blob') => ({ mode: type === 'tree' ? '040000' : '100644', type, sha: '1'.repeat(40), name });

function state(over: { head?: string; parent?: string; atCommit?: string; changedFiles?: string[]; flux?: FluxObject[]; branches?: string[]; tags?: string[]; clusterTag?: string } = {}): RollbackState {
  const head = over.head ?? kustomization('main-26a4b87');
  return {
    repoName: 'deploy',
    repoPath: '/nowhere',
    branch: 'main',
    head: HEAD,
    ref: 'refs/heads/main',
    config: { path: 'app/kustomization.yaml', blob: '2'.repeat(40), text: head, trees: { '': [tree('app', 'tree'), tree('README.md')], app: [tree('kustomization.yaml'), tree('deployment.yaml')] } },
    deployments: [
      { image: `${IMAGE}:main-26a4b87`, commit: D },
      { image: `${IMAGE}:main-f01225d`, commit: PREVIOUS },
    ],
    historyComplete: false,
    deploying: { changedFiles: over.changedFiles ?? ['app/kustomization.yaml'], parentText: over.parent ?? kustomization('main-f01225d'), commitText: over.atCommit ?? kustomization('main-26a4b87') },
    ...(over.clusterTag ? { cluster: { source: 'file' as const, workload: 'deployment/api-js', container: 'api', image: `${IMAGE}:${over.clusterTag}`, health: { replicas: 2, updated: 2, available: 2 } } } : {}),
    flux: over.flux ?? [],
    fluxFiles: over.flux ? { 'flux/automation.yaml': { path: 'flux/automation.yaml', blob: '3'.repeat(40), text: AUTOMATION, trees: { '': [tree('app', 'tree'), tree('flux', 'tree')], flux: [tree('automation.yaml')] } } } : {},
    automation: { markers: [], annotated: [], kustomizations: [], writeBackFiles: [], botFiles: [] },
    refs: { branches: over.branches ?? ['main'], tags: over.tags ?? [] },
    remotes: ['origin'],
  };
}

function policy(extra = ''): Policy {
  const text = `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata: { name: api-js }
spec:
  app: { repo: app, image: ${IMAGE} }
  environments:
    - name: production
      config: { repo: deploy, branch: main, file: app/kustomization.yaml, locator: { kustomizeImage: ${IMAGE} } }
${extra}
  rollback: { method: revert, requireReason: true }
`;
  const doc = parseDocuments('p.yaml', text).documents[0]!;
  const result = validatePolicy(doc.value, doc.locate);
  if (!result.policy) throw new Error(JSON.stringify(result.diagnostics));
  return result.policy;
}

const CONTEXT = { now: '2026-11-22T12:00:00Z', toolVersion: 'test', policyFile: '/p.yaml', policyHash: 'a'.repeat(64), repos: { deploy: '/nowhere' } };
const plan = (p: Policy, s: RollbackState, reason: string | undefined = 'broken') =>
  planRollback(p, s, { kind: 'rollback', environment: 'production', allowDrift: false, ...(reason ? { reason } : {}) }, CONTEXT);

const gitBlob = (text: string) => execFileSync('git', ['hash-object', '--stdin'], { input: text, encoding: 'utf8' }).trim().slice(0, 7);
const commitsOf = (p: Plan) => p.actions.filter((a) => a.kind === 'commit') as Array<Extract<Plan['actions'][number], { kind: 'commit' }>>;

test('revert: the inverse of the deploying change, as git would print it', () => {
  const outcome = plan(policy(), state());
  assert.equal(outcome.diagnostics, []);
  const p = outcome.plan!;
  assert.equal(p.actions.map((a) => a.kind), ['create-branch', 'commit', 'open-pull-request']);
  const [revert] = commitsOf(p);
  assert.is(revert!.branch, `rollback/production-${D.sha.slice(0, 7)}`);
  // The plan's own id closes the message, as git reads trailers (the Reason: line is one too).
  assert.is(revert!.message, `Revert "Auto-release ${IMAGE}:main-26a4b87"\n\nThis reverts commit ${D.sha}.\n\nReason: broken\nHotfix-Plan: ${p.id}\n`);
  assert.is(
    revert!.changes[0]!.diff,
    `diff --git a/app/kustomization.yaml b/app/kustomization.yaml
index ${gitBlob(kustomization('main-26a4b87'))}..${gitBlob(kustomization('main-f01225d'))} 100644
--- a/app/kustomization.yaml
+++ b/app/kustomization.yaml
@@ -7,6 +7,6 @@ images:
   - name: registry.example.com/team/api
     newTag: main-1111111 # {"$imagepolicy": "flux-system:api:tag"}
   - name: registry.example.com/team/api-js
-    newTag: main-26a4b87 # {"$imagepolicy": "flux-system:api-js:tag"}
+    newTag: main-f01225d # {"$imagepolicy": "flux-system:api-js:tag"}
   - name: registry.example.com/team/web
     newTag: "main-3333333"
`,
  );
  // The config branch at its head; the new branch and a tag of its name both absent.
  assert.equal(
    p.preconditions.map((c) => (c.kind === 'ref' ? `${c.ref} ${c.sha ?? 'absent'}` : c.kind)),
    [`refs/heads/main ${HEAD}`, `refs/heads/rollback/production-${D.sha.slice(0, 7)} absent`, `refs/tags/rollback/production-${D.sha.slice(0, 7)} absent`, 'blob', 'policy', 'tool'],
  );
});

test('a later edit of the line: set-previous, the edit kept (HF308)', () => {
  const touched = kustomization('main-26a4b87', 'main-1111111', ' # pinned during INC-42');
  const outcome = plan(policy(), state({ head: touched }));
  assert.equal(outcome.diagnostics.map((d) => d.code), ['HF308']);
  const [change] = commitsOf(outcome.plan!);
  assert.is(change!.purpose, 'set-previous');
  assert.ok(change!.changes[0]!.diff.includes('\n+    newTag: main-f01225d # {"$imagepolicy": "flux-system:api-js:tag"} # pinned during INC-42\n'));
  assert.match(change!.message, /^Roll back registry\.example\.com\/team\/api-js to main-f01225d in production\n/);
});

test('a deploying commit that changed more: only this image reverted (HF309)', () => {
  const outcome = plan(policy(), state({ parent: kustomization('main-f01225d', 'main-0000000'), atCommit: kustomization('main-26a4b87'), changedFiles: ['app/kustomization.yaml', 'app/configmap.yaml'] }));
  assert.equal(outcome.diagnostics.map((d) => d.code), ['HF309']);
  assert.match(outcome.diagnostics[0]!.message, /also changed 1 other line of app\/kustomization\.yaml, app\/configmap\.yaml/);
  const diff = commitsOf(outcome.plan!)[0]!.changes[0]!.diff;
  assert.ok(diff.includes('newTag: main-1111111'), 'the other image keeps its head value');
  assert.is(diff.split('\n').filter((l) => /^[+-] /.test(l)).length, 2);
});

const FLUX: FluxObject[] = [{ kind: 'ImageUpdateAutomation', namespace: 'flux-system', name: 'deploy', file: 'flux/automation.yaml', document: 0, suspended: false, target: './app' }];

test('automation that covers the file: a warning (HF310), or a suspend commit when the policy says so', () => {
  const warned = plan(policy(), state({ flux: FLUX }));
  assert.equal(warned.diagnostics.map((d) => d.code), ['HF310']);
  const suspending = plan(policy('      automation: { flux: { imageUpdateAutomation: flux-system/deploy, onRollback: suspend } }'), state({ flux: FLUX }));
  assert.equal(suspending.diagnostics, []);
  const [, suspend] = commitsOf(suspending.plan!);
  assert.is(suspend!.purpose, 'suspend-automation');
  assert.is(suspend!.parent, commitsOf(suspending.plan!)[0]!.commit);
  assert.ok(suspend!.changes[0]!.diff.endsWith('   update:\n     path: ./app\n+  suspend: true\n'), suspend!.changes[0]!.diff);
});

test('onRollback pin: the ImagePolicy tag filter is pinned to the rollback tag, in a reviewed commit', () => {
  const imagePolicy = `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata:
  name: api-js
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: api-js
  filterTags:
    pattern: '^main-[a-f0-9]+'
  policy:
    alphabetical: { order: asc }
`;
  const base = state({ flux: [...FLUX, { kind: 'ImagePolicy', namespace: 'flux-system', name: 'api-js', file: 'flux/policy.yaml', document: 0, suspended: false, target: 'api-js', selection: { pattern: '^main-[a-f0-9]+', alphabetical: 'asc' } }] });
  const withPolicy = { ...base, fluxFiles: { ...base.fluxFiles, 'flux/policy.yaml': { path: 'flux/policy.yaml', blob: '4'.repeat(40), text: imagePolicy, trees: { '': [tree('app', 'tree'), tree('flux', 'tree')], flux: [tree('automation.yaml'), tree('policy.yaml')] } } } };
  const outcome = plan(policy('      automation: { flux: { imageUpdateAutomation: flux-system/deploy, imagePolicy: flux-system/api-js, onRollback: pin } }'), withPolicy);
  assert.equal(outcome.diagnostics, []);
  const [, pin] = commitsOf(outcome.plan!);
  assert.is(pin!.purpose, 'pin-policy');
  const changed = pin!.changes[0]!.diff.split('\n').filter((l) => /^[+-] /.test(l));
  assert.equal(changed, ["-    pattern: '^main-[a-f0-9]+'", "+    pattern: '^main-f01225d$'"]);
});

test('refusals: reason, no rollback rules, existing branch, drift', () => {
  assert.equal(plan(policy(), state(), '').diagnostics.map((d) => d.code), ['HF301']);
  const noRules = { ...policy(), spec: { ...policy().spec, rollback: undefined } } as Policy;
  assert.equal(plan(noRules, state()).diagnostics.map((d) => d.code), ['HF313']);
  assert.equal(plan(policy(), state({ branches: ['main', `rollback/production-${D.sha.slice(0, 7)}`] })).diagnostics.map((d) => d.code), ['HF312']);
  assert.equal(plan(policy(), state({ clusterTag: 'main-9999999' })).diagnostics.map((d) => d.code), ['HF303']);
});

test('the rollback branch may not clash with a tag of its name, or be or have a branch folder (HF349, HF355)', () => {
  const branch = `rollback/production-${D.sha.slice(0, 7)}`;
  const tagged = plan(policy(), state({ tags: ['v1.0.0', branch] })).diagnostics;
  assert.equal(tagged.map((d) => d.code), ['HF349']);
  assert.match(tagged[0]!.message, /has a tag of that name, so "git checkout rollback\/production-\w+" would be ambiguous/);
  assert.equal(plan(policy(), state({ branches: ['main', `${branch}/retry`] })).diagnostics.map((d) => d.code), ['HF355']);
  assert.equal(plan(policy(), state({ branches: ['main', 'rollback'] })).diagnostics.map((d) => d.code), ['HF355']);
  // A tag that only starts like the branch does not clash: refs/tags and refs/heads are separate folders.
  assert.equal(plan(policy(), state({ tags: [`${branch}/1`, 'rollback'] })).diagnostics.filter((d) => d.severity === 'error'), []);
});

test('rollback.maxAge: a target deployed longer ago is refused (HF305)', () => {
  const aged = policy().spec;
  // The target was deployed 2026-11-18T10:00Z, 98 hours before the plan (2026-11-22T12:00Z).
  const rules = { ...aged.rollback!, maxAge: '5d' };
  const recent = plan({ ...policy(), spec: { ...aged, rollback: rules } }, state());
  assert.equal(recent.diagnostics, []);
  const old = plan({ ...policy(), spec: { ...aged, rollback: { ...rules, maxAge: '97h' } } }, state());
  assert.equal(old.diagnostics.map((d) => d.code), ['HF305']);
});

test('the plan id covers every field of the body', () => {
  const p = plan(policy(), state()).plan!;
  assert.is(plan(policy(), state()).plan!.id, p.id, 'the same inputs give the same id');
  const other = planRollback(policy(), state(), { kind: 'rollback', environment: 'production', allowDrift: false, reason: 'another reason' }, CONTEXT).plan!;
  assert.is.not(other.id, p.id);
});

test('text and markdown renders: header, blocks with markers, totals', () => {
  const p = plan(policy(), state()).plan!;
  const text = renderPlanText(p, styleFor({ isTTY: false }, {}));
  for (const line of [
    'Roll back api-js in production',
    '  deployed now  registry.example.com/team/api-js:main-26a4b87',
    '  roll back to  registry.example.com/team/api-js:main-f01225d',
    '  reason        broken',
    '  # [create-branch] deploy: branch rollback/production-d4d4d4d will be created from e5e5e5e',
    '  + branch rollback/production-d4d4d4d',
    '      -    newTag: main-26a4b87 # {"$imagepolicy": "flux-system:api-js:tag"}',
    '    open a pull request rollback/production-d4d4d4d → main: "Revert "Auto-release registry.example.com/team/api-js:main-26a4b87""',
    'Plan: 2 to create, 0 to change, 0 to delete.',
  ])
    assert.ok(text.split('\n').includes(line), `missing: ${line}`);
  const markdown = renderPlanMarkdown(p);
  assert.ok(markdown.startsWith('### hotfix: Roll back `api-js` in `production`\n'));
  assert.ok(markdown.includes('  branch "rollback/production-d4d4d4d"\n  checkout "rollback/production-d4d4d4d"\n'));
  assert.ok(markdown.includes(`Plan id: ${p.id}\n`), 'as text, outside code');
});

test.run();
