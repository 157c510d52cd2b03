import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseTarget, isRollbackCandidate } from '../../src/plan/rollback/choose-target.js';
import { withoutSkipCi } from '../../src/plan/rollback/skip-ci-tokens.js';
import { declaredRevision } from '../../src/state/declared-revision.js';
import { rolledBackCommits } from '../../src/state/git/rolled-back-commits.js';
import type { CommitInfo, Deployment } from '../../src/state/types.js';

test('skip-CI tokens bots copy into subjects are dropped, nothing else', () => {
  // Flux v2's messageTemplate in many repositories, Flux v1's Auto-release, GitHub's and Azure's spellings.
  assert.is(withoutSkipCi('[ci skip] Update image ghcr.io/example-org/api-js to 1.4.3'), 'Update image ghcr.io/example-org/api-js to 1.4.3');
  assert.is(withoutSkipCi('ci: auto-update api-js to 1.4.3 [skip ci]'), 'ci: auto-update api-js to 1.4.3');
  assert.is(withoutSkipCi('bump [No CI] api [SKIP ACTIONS] [actions skip] [skip azp] ***NO_CI***'), 'bump api');
  assert.is(withoutSkipCi('Auto-release gcr.io/track-compliance/api-js:master-26a4b87'), 'Auto-release gcr.io/track-compliance/api-js:master-26a4b87');
  assert.is(withoutSkipCi('docs: explain [skip] and [ci] flags'), 'docs: explain [skip] and [ci] flags');
});

test('the commits a message rolls back: git revert, a merge revert, hotfix set-previous', () => {
  const sha = 'd4cc49065c73b72b4879877e170fbc14120af97c';
  assert.equal(rolledBackCommits(`This reverts commit ${sha}.\n`), [sha]);
  assert.equal(rolledBackCommits(`This reverts commit ${sha}, reversing\nchanges made to 0123456789abcdef0123456789abcdef01234567.\n`), [sha]);
  assert.equal(rolledBackCommits(`ghcr.io/example-org/api-js:1.4.3 was deployed by ${sha}.\n\nReason: 500s\n`), [sha]);
  assert.equal(rolledBackCommits('Updated ghcr.io/example-org/api-js to 1.4.3\n'), []);
});

const FILE = (tag: string, marker = 'flux-system:api-js') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-js
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/example-org/api-js:${tag} # {"$imagepolicy": "${marker}"}
`;

test('a revision that does not parse is unreadable, not absent', () => {
  const r = declaredRevision(FILE('1.4.2').replace('containers:', 'containers: ['), { fluxImagePolicy: 'flux-system:api-js' }, 'ghcr.io/example-org/api-js');
  assert.is(r.kind, 'unreadable');
  assert.is(declaredRevision(undefined, { fluxImagePolicy: 'flux-system:api-js' }, 'x').kind, 'absent');
});

test('a revision whose marker named another policy is read at the later fields', () => {
  const locator = { fluxImagePolicy: 'apps:api-js' };
  const newer = declaredRevision(FILE('1.4.3', 'apps:api-js'), locator, 'ghcr.io/example-org/api-js');
  assert.is(newer.kind, 'image');
  const older = declaredRevision(FILE('1.4.2'), locator, 'ghcr.io/example-org/api-js', newer.kind === 'image' ? newer.fields : undefined);
  assert.equal(older.kind === 'image' && [older.image, older.byPath], ['ghcr.io/example-org/api-js:1.4.2', true]);
  assert.is(declaredRevision(FILE('1.4.2'), locator, 'ghcr.io/example-org/api-js').kind, 'absent', 'without the later fields');
});

const commit = (sha: string, date: string): CommitInfo => ({ sha: sha.repeat(40).slice(0, 40), parents: [], subject: sha, author: { name: 'a', email: 'a@x', date }, committer: { name: 'a', email: 'a@x', date } });
const RULES = { method: 'revert', requireReason: false, approvals: 0, branch: 'rollback/{env}-{sha7}' } as const;
const IMG = 'ghcr.io/example-org/api-js';

test('previous skips what a rollback removed and what runs now', () => {
  const deployments: Deployment[] = [
    { image: `${IMG}:1.4.2`, commit: commit('d', '2026-11-30T10:00:00Z'), rollsBack: ['c'.repeat(40)] },
    { image: `${IMG}:1.4.3`, commit: commit('c', '2026-11-29T10:00:00Z'), rolledBackBy: 'd'.repeat(40) },
    { image: `${IMG}:1.4.2`, commit: commit('b', '2026-11-28T10:00:00Z') },
    { image: `${IMG}:1.4.1`, commit: commit('a', '2026-11-27T10:00:00Z') },
  ];
  assert.equal(deployments.map((d) => isRollbackCandidate(d, deployments[0]!.image)), [false, false, false, true]);
  const chosen = chooseTarget(deployments, { ...RULES, maxSteps: 1 }, undefined, '2026-12-01T00:00:00Z', { complete: true });
  assert.equal('index' in chosen && chosen.index, 3, 'one step back, over the two passed');
  const explicit = chooseTarget(deployments, RULES, '1.4.3', '2026-12-01T00:00:00Z', { complete: true });
  assert.equal('index' in explicit && explicit.diagnostics.map((d) => d.code), ['HF361']);
  const none = chooseTarget(deployments.slice(0, 3), RULES, undefined, '2026-12-01T00:00:00Z', { complete: false, end: { kind: 'not-declared', commit: 'e'.repeat(40), skipped: [] } });
  assert.match('error' in none ? none.error.message : '', /^no earlier deployment of the image to roll back to since the file began to declare the image \(at eeeeeee; before it the file declared none\) \(2 passed over/);
});

test('maxAge counts from the merge that brought the deployment in', () => {
  const deployments: Deployment[] = [
    { image: `${IMG}:1.4.3`, commit: commit('c', '2026-11-30T10:00:00Z') },
    // Committed on a pull-request branch ten days before it was merged.
    { image: `${IMG}:1.4.2`, commit: commit('b', '2026-11-20T10:00:00Z'), landed: commit('m', '2026-11-29T10:00:00Z') },
  ];
  const chosen = chooseTarget(deployments, { ...RULES, maxAge: '3d' }, undefined, '2026-12-01T00:00:00Z', { complete: true });
  assert.is('index' in chosen && chosen.index, 1);
  const old = chooseTarget([deployments[0]!, { ...deployments[1]!, landed: commit('m', '2026-11-25T10:00:00Z') }], { ...RULES, maxAge: '3d' }, undefined, '2026-12-01T00:00:00Z', { complete: true });
  assert.match('index' in old ? old.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n') : '', /^HF305 .* was deployed 2026-11-25T10:00:00Z \(merged by mmmmmmm\)/);
});

test.run();
