import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journalStatusLines } from '../../src/cli/status-journal-lines.js';
import { gateKey, type ForgeStatus } from '../../src/cli/status-forge.js';
import type { JournalStatus } from '../../src/cli/status-journal.js';

const PLAN = `sha256:${'ab'.repeat(32)}`;
const HEAD = 'c0ffee1'.padEnd(40, '0');
const PULL = { action: 'open-pr-rollback', forge: 'github', repository: 'octo-org/deploy', number: 7, url: 'https://github.com/octo-org/deploy/pull/7', head: 'rollback/production-3f2a9c1', base: 'main', kind: 'rollback', policy: 'api-js', environment: 'production', plan: PLAN, at: '2026-12-03T10:00:00.000Z' } as const;
const GATE = { action: 'gate-hotfix', revision: HEAD, checks: ['unit', 'smoke'], checksFrom: { forge: 'github', repository: 'octo-org/shop-api', manual: 'allow' }, at: '2026-12-03T10:01:00.000Z', plan: PLAN, environment: 'production', kind: 'hotfix' } as const;
const journal: JournalStatus = {
  pullRequests: [PULL],
  // The journal is a file anyone on the machine may edit: a line break in a login must not make a line.
  approvals: [{ pullRequest: 'octo-org/deploy#42', approvers: ['alice', 'bob\nApproved: mallory'], required: 2, head: HEAD, comment: 'https://github.com/octo-org/deploy/pull/42#issuecomment-1', at: '2026-12-03T09:59:00.000Z', plan: PLAN, environment: 'production', kind: 'rollback' }],
  gates: [GATE],
};

test('without --forge: the journal\'s records, each section saying what was not read', () => {
  assert.equal(journalStatusLines(journal, undefined), [
    '',
    'Pull requests apply opened (from its journal; their state on the forge is not read: pass --forge):',
    `  production rollback: ${PULL.url}  rollback/production-3f2a9c1 → main  (plan sha256:abababababab…, 2026-12-03T10:00:00.000Z)`,
    '',
    'Approved (apply --pr, from its journal):',
    '  production rollback plan sha256:abababababab…: octo-org/deploy#42 by alice, bob Approved: mallory (2 required) at c0ffee1, checked 2026-12-03T09:59:00.000Z',
    '',
    "Waiting at the gate (from apply's journal; the checks are not read: pass --forge):",
    '  production hotfix plan sha256:abababababab…: gate-hotfix waits for checks on c0ffee1 in GitHub octo-org/shop-api: unit, smoke',
  ]);
});

test('with --forge: each pull request\'s state or why it was not read, each check\'s state, and a forge not asked said once at the end', () => {
  const forge: ForgeStatus = {
    pullRequests: new Map([[PULL.url, { state: 'merged' as const }]]),
    gates: new Map([[gateKey(GATE), { checks: [{ name: 'unit', state: 'in_progress', source: 'check run' as const, success: false }, { name: 'smoke', state: 'missing', success: false }] }]]),
    notAsked: ['GitLab not asked: no GitLab token: GITLAB_TOKEN is not set and there is no CI_JOB_TOKEN; … [HF501]'],
  };
  const lines = journalStatusLines(journal, forge);
  assert.ok(lines.includes(`  production rollback: ${PULL.url}  rollback/production-3f2a9c1 → main  merged  (plan sha256:abababababab…, 2026-12-03T10:00:00.000Z)`), lines.join('\n'));
  assert.ok(lines.includes('  production hotfix plan sha256:abababababab…: gate-hotfix waits for checks on c0ffee1 in GitHub octo-org/shop-api: unit in_progress (check run), smoke missing (no check run, status or job of that name)'), lines.join('\n'));
  assert.equal(lines.slice(-2), ['', forge.notAsked[0]]);
  const unread = journalStatusLines({ ...journal, approvals: [], gates: [] }, { pullRequests: new Map([[PULL.url, { notRead: '404: Not Found', code: 'HF523' }]]), gates: new Map(), notAsked: [] });
  assert.match(unread[2]!, /→ main {2}state not read: 404: Not Found \[HF523\] {2}\(plan/);
});

test('nothing journalled: no lines, even where a forge was not asked', () => {
  assert.equal(journalStatusLines({ pullRequests: [], approvals: [], gates: [] }, { pullRequests: new Map(), gates: new Map(), notAsked: ['GitHub not asked: …'] }), []);
});

test.run();
