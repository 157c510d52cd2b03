import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertVerdict } from '../helpers/approval-verdict.js';
import { markedBody } from '../../src/forge/comment-marker.js';
import type { AuthoredComment } from '../../src/forge/judge-approval.js';
import { judgeGitLabApproval, type DiffVersion, type GitLabApprovalFacts } from '../../src/forge/judge-gitlab-approval.js';

// Pure: the verdict over what a merge request holds, as GitLab lists it: diff versions
// newest first, approved_by without times (approved_at only on newer instances).
const PLAN = `sha256:${'a'.repeat(64)}`;
const HEAD = 'c'.repeat(40);
const OLD_HEAD = 'd'.repeat(40);
const NEW_HEAD = 'e'.repeat(40);
const KEY = { kind: 'rollback', policy: 'api-js', environment: 'production' };
const BOT = 'project_4211_bot_3f9c0d52e1a7b8c4';
const NOTE_AT = '2026-12-01T10:00:00.000Z';

const note: AuthoredComment = {
  url: 'https://gitlab.example.com/platform/deploy/-/merge_requests/7#note_1850000001',
  body: markedBody({ key: KEY, part: 1, parts: 1, plan: PLAN, state: 'current' }, '### hotfix: Roll back api-js in production\n'),
  author: BOT,
  updatedAt: NOTE_AT,
};
const version = (headSha: string, createdAt: string): DiffVersion => ({ headSha, createdAt });

function facts(over: Partial<GitLabApprovalFacts>): GitLabApprovalFacts {
  return {
    planId: PLAN,
    key: KEY,
    required: 1,
    where: 'platform/deploy!7',
    commenter: BOT,
    author: 'mhoffmann',
    head: HEAD,
    comments: [note],
    // As GitLab lists them: newest first.
    versions: [version(HEAD, '2026-12-01T09:40:00.000Z'), version(OLD_HEAD, '2026-12-01T09:30:00.000Z')],
    approvals: [{ user: 'schen' }],
    ...over,
  };
}

const cases: Array<[string, Partial<GitLabApprovalFacts>, string | readonly string[]]> = [
  ['one approval, no push since the note', {}, ['schen']],
  ['the author and the bot do not count', { approvals: [{ user: 'mhoffmann' }, { user: BOT }, { user: 'schen' }] }, ['schen']],
  ['only the author', { approvals: [{ user: 'mhoffmann' }] }, 'HF516'],
  ['a push after the note', { versions: [version(NEW_HEAD, '2026-12-01T10:03:00.000Z'), version(HEAD, '2026-12-01T09:40:00.000Z')], head: NEW_HEAD }, 'HF516'],
  ['a version made in the same second as the note is the one it was posted for', { versions: [version(HEAD, NOTE_AT)] }, ['schen']],
  ['the head moved with no version for it yet (GitLab makes versions after the push)', { head: NEW_HEAD }, 'HF516'],
  ['no version from before the note', { versions: [version(HEAD, '2026-12-01T10:01:00.000Z')] }, 'HF516'],
  ['approved_at before the note, where GitLab says it', { approvals: [{ user: 'schen', approvedAt: '2026-12-01T09:59:00.000Z' }] }, 'HF516'],
  ['approved_at after the note', { approvals: [{ user: 'schen', approvedAt: '2026-12-01T10:01:00.000Z' }] }, ['schen']],
  ['the note copied by a person', { comments: [{ ...note, author: 'mallory' }] }, 'HF515'],
  ['two required, one given', { required: 2 }, 'HF516'],
];

for (const [name, over, expected] of cases) {
  test(name, () => {
    assertVerdict(judgeGitLabApproval(facts(over)), expected);
  });
}

test('a moved head is named against the head the note was posted for', () => {
  const verdict = judgeGitLabApproval(facts({ head: NEW_HEAD }));
  assert.ok('code' in verdict);
  assert.ok((verdict as { message: string }).message.includes('its head is eeeeeee, not ccccccc, the head when the plan comment'), (verdict as { message: string }).message);
});

test.run();
