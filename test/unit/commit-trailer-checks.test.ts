import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planTrailerProblems, trailerFormProblems } from '../../src/plan/commit-trailers.js';
import { reviewTipProblem, type ReviewCommit } from '../../src/plan/hotfix/review-tip-match.js';
import { UNSEALED } from '../../src/plan/plan-id.js';
import type { ReviewTip } from '../../src/state/hotfix/review-tips.js';
import type { Plan } from '../../src/plan/types.js';

// Found by this session's red team: each check below let a re-sealed plan or a pushed
// review branch through, though git reads the trailers otherwise or the plan named another.
const ID = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const commit = (id: string, branch: string, message: string) => ({ id, kind: 'commit', branch, message });
const plan = (kind: 'hotfix' | 'rollback', actions: unknown[]) => ({ id: ID, formatVersion: '2.0', request: { kind }, actions }) as unknown as Plan;

test('planTrailerProblems: a made commit names one plan in a well-formed trailer', () => {
  const own = commit('revert', 'rollback/x', `Revert "x"\n\nHotfix-Plan: ${ID}\n`);
  // Another plan is hashed into the id as written and shown beside the commit (plan-summary.ts).
  const foreign = commit('revert', 'rollback/x', `Revert "x"\n\nHotfix-Plan: ${OTHER}\n`);
  assert.equal(planTrailerProblems(plan('rollback', [own])), []);
  assert.equal(planTrailerProblems(plan('rollback', [foreign])), []);
  assert.equal(planTrailerProblems(plan('hotfix', [commit('x', 'main', 'Deploy\n')])), ['x: its message ends with no Hotfix-Plan trailer, where one Hotfix-Plan: sha256:… must name the plan that makes it']);
  assert.equal(planTrailerProblems(plan('hotfix', [commit('x', 'main', `Deploy\n\nHotfix-Plan: ${ID}\nHotfix-Plan: ${OTHER}\n`)])).length, 1);
  assert.equal(planTrailerProblems(plan('hotfix', [commit('x', 'main', 'Deploy\n\nHotfix-Plan: sha256:abc\n')])).length, 1);
});

test('trailerFormProblems: our trailers are written as git and hotfix both read them, in a block git reads', () => {
  const problems = (message: string) => trailerFormProblems(plan('rollback', [commit('c', 'b', message)]));
  assert.equal(problems(`Subject\n\nReason: r\nHotfix-Plan: ${ID}\n`), []);
  assert.equal(problems(`Subject\n\n(cherry picked from commit ${'c'.repeat(40)})\nHotfix-Plan: ${ID}\nHotfix-Reason: r\n`), []);
  // git matches keys in any case, and takes "Key : value".
  assert.equal(problems(`Subject\n\nHotfix-Plan: ${ID}\nhotfix-plan: ${OTHER}\n`).length, 1);
  assert.equal(problems(`Subject\n\nHotfix-Plan : ${OTHER}\n`).length, 1);
  assert.equal(problems(`Subject\n\nHOTFIX-OVERRIDE: HF305 (the CTO)\n`).length, 1);
  // A line that is no trailer makes git read no trailer in the paragraph.
  assert.equal(problems(`Subject\n\nHotfix-Plan: ${ID}\nthis line is no trailer\n`), [`c: the trailer block of its message has the line "this line is no trailer", which is not a trailer of the form git and hotfix both read`]);
  // Words of ours in a paragraph before the last are no trailer for git: nothing to check.
  assert.equal(problems(`Subject\n\nhotfix-plan: said in prose\n\nSigned-off-by: a <a@b>\n`), []);
});

test('reviewTipProblem: a branch for review is adopted only when its tip names one plan of the form a plan gives', () => {
  const message = (plan: string) => `Deploy\n\nHotfix-Plan: ${plan}\n`;
  const person = { name: 'bot', email: 'bot@example.com', date: '2026-12-03T10:00:00Z' };
  const tip = (plan: string): ReviewTip => ({ branch: 'hotfix-deploy/x', local: 'd'.repeat(40), commit: { sha: 'd'.repeat(40), parents: ['e'.repeat(40)], tree: 'f'.repeat(40), author: person, committer: person, message: message(plan), changes: [], baseIn: ['main'] } });
  const planned: ReviewCommit = { what: 'git.deployBranch', branch: 'hotfix-deploy/x', target: 'main', targetHead: 'e'.repeat(40), message: message(ID), others: [], repoName: 'config', remake: () => 'd'.repeat(40) };
  assert.is(reviewTipProblem(tip(OTHER), planned), undefined, 'made by an earlier plan: adopted');
  for (const named of [UNSEALED, 'not-a-plan', `${OTHER}x`]) {
    const problem = reviewTipProblem(tip(named), planned);
    assert.is(problem?.code, 'HF364', named);
    assert.match(problem!.message, /in a Hotfix-Plan trailer, not one plan that made it/);
  }
});

test.run();
