import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markedBody, readMarker } from '../../src/forge/comment-marker.js';
import { commentBodies, type CommentContent } from '../../src/forge/comment-parts.js';
import { GITLAB_NOTE_LIMIT } from '../../src/forge/gitlab-forge.js';
import { parseMergeRequestRef } from '../../src/forge/merge-request-ref.js';
import { outdatedNoteBody } from '../../src/forge/outdated-note.js';
import { codeBlock } from '../../src/render/markdown-literal.js';

const key = { kind: 'rollback', policy: 'api-js', environment: 'production' };
const PLAN = `sha256:${'d'.repeat(64)}`;

test('--pr takes group/subgroup/project!N and the merge request URL of any instance, nothing else', () => {
  assert.equal(parseMergeRequestRef('platform/delivery/api-js-config!7'), { project: 'platform/delivery/api-js-config', iid: 7 });
  assert.equal(parseMergeRequestRef('gitlab-org/gitlab!1'), { project: 'gitlab-org/gitlab', iid: 1 });
  assert.equal(parseMergeRequestRef('https://gitlab.example.com/platform/delivery/api-js-config/-/merge_requests/7'), { project: 'platform/delivery/api-js-config', iid: 7, origin: 'https://gitlab.example.com' });
  assert.equal(parseMergeRequestRef('https://gitlab.example.com:8443/a_b/c.d/-/merge_requests/12/diffs'), { project: 'a_b/c.d', iid: 12, origin: 'https://gitlab.example.com:8443' });
  const deep = Array.from({ length: 21 }, (_, i) => `g${i}`).join('/');
  assert.equal(parseMergeRequestRef(`${deep}!3`), { project: deep, iid: 3 }, 'subgroups nest 20 deep under a top-level group');
  for (const bad of [
    'api-js-config!7',
    'platform/api!0',
    'platform/api#7',
    '-platform/api!7',
    'platform/.hidden!7',
    'platform/api.git!7',
    'platform/api.atom!7',
    `${deep}/g21!3`,
    'platform//api!7',
    'platform/api!7 ',
    'https://gitlab.example.com/platform/api/merge_requests/7',
    'https://gitlab.example.com/platform/api/-/merge_requests/7?diff_id=3',
    'https://gitlab.example.com/platform/api/-/merge_requests/7#note_1',
    'https://user:pw@gitlab.example.com/platform/api/-/merge_requests/7',
    'ftp://gitlab.example.com/platform/api/-/merge_requests/7',
    'https://github.com/octo-org/deploy/pull/42',
  ])
    assert.is(parseMergeRequestRef(bad), undefined, bad);
});

test('an outdated note keeps its marker, retired, over one line naming its plan and linking the current note; an odd address is shown, not linked', () => {
  const old = markedBody({ key, part: 2, parts: 3, plan: PLAN, state: 'retired' }, 'the whole old part\nwith its diffs\n');
  const url = 'https://gitlab.example.com/platform/api/-/merge_requests/7#note_1850000003';
  const body = outdatedNoteBody(old, url);
  const read = readMarker(body)!;
  assert.equal([read.marker.state, read.marker.part, read.marker.parts, read.marker.plan, read.edited], ['retired', 2, 3, PLAN, false]);
  assert.is(body.split('\n').slice(1).join('\n'), `**Outdated**: this note showed plan \`${PLAN}\` (part 2 of 3); a newer plan replaced it. See [the current plan comment](${url}).\n`);
  const refusal = outdatedNoteBody(markedBody({ key, part: 1, parts: 1, plan: 'none', state: 'retired' }, 'findings'), 'https://x.example/a) [b](javascript:alert(1)');
  assert.match(refusal, /this note showed the findings of a refused plan; a newer plan replaced it\. See the current plan comment, `https:\/\/x\.example\/a\) \[b\]\(javascript:alert\(1\)`\.\n$/);
});

test("at GitLab's limit a plan of 2.5 million characters is three notes or so, each within 1,000,000", () => {
  const lines = Array.from({ length: 25_000 }, (_, i) => `line ${String(i).padStart(6, '0')} of a rendered manifest diff that runs on and on ${'x'.repeat(40)}`);
  const full = ['### hotfix: Roll back `api-js` in `production`', '', ...codeBlock(`${lines.join('\n')}\n`, 'diff'), '', `Plan id: ${PLAN}`].join('\n');
  const content: CommentContent = { key, plan: PLAN, full, lead: { head: ['### hotfix: Roll back `api-js` in `production`'], findings: [], more: (n) => `… and ${n} more`, tail: ['', `Plan id: ${PLAN}`] } };
  assert.ok(full.length > 2_500_000, String(full.length));
  const bodies = commentBodies(content, GITLAB_NOTE_LIMIT);
  assert.is(bodies.length, 4, 'part 1 (header, id) and the plan in three');
  for (const body of bodies) assert.ok(body.length <= GITLAB_NOTE_LIMIT, String(body.length));
  assert.equal(bodies.flatMap((b) => b.split('\n').filter((l) => l.startsWith('line '))), lines);
});

test.run();
