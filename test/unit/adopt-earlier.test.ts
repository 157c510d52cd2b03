import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { adoptEarlier, type Adopted, type AdoptionInput } from '../../src/plan/hotfix/adopt-earlier.js';
import type { EarlierHotfix } from '../../src/state/hotfix/earlier-hotfix.js';

// Which existing branch a hotfix plan takes as its own, table-driven on hand-made facts.

const BASE = 'b'.repeat(40);
const PICKS = [
  { sha: '1'.repeat(40), subject: 'Fix rounding of refunds' },
  { sha: '2'.repeat(40), subject: 'Retry the payment callback' },
];
const TREES = ['e'.repeat(40), 'f'.repeat(40)];

function branch(name: string, over: Partial<EarlierHotfix> = {}): EarlierHotfix {
  return {
    branch: name,
    ref: `refs/heads/${name}`,
    tip: 'c2'.padEnd(40, '0'),
    tree: TREES[1]!,
    fork: BASE,
    commits: [
      { sha: 'c1'.padEnd(40, '0'), subject: PICKS[0]!.subject, tree: TREES[0]!, patchId: 'p1' },
      { sha: 'c2'.padEnd(40, '0'), subject: PICKS[1]!.subject, tree: TREES[1]!, patchId: 'p2' },
    ],
    merges: 0,
    tags: [],
    mergedInto: [],
    ...over,
  };
}

function input(branches: EarlierHotfix[], over: Partial<AdoptionInput> = {}): AdoptionInput {
  return {
    earlier: { planned: ['p1', 'p2'], branches },
    branchTemplate: 'hotfix/{date}-{sha7}',
    tagTemplate: 'hotfix-{date}-{sha7}',
    values: { sha: BASE, sha7: BASE.slice(0, 7), date: '20261202', env: 'production', reason: 'payment' },
    base: BASE,
    picks: PICKS,
    trees: TREES,
    repo: { repoName: 'app', tags: [] },
    ...over,
  };
}

const today = 'hotfix/20261202-bbbbbbb';
const adopted = (r: Adopted | Diagnostic | undefined) => (r && !('code' in r) ? r : assert.unreachable(`not adopted: ${JSON.stringify(r)}`)) as Adopted;
const refused = (r: Adopted | Diagnostic | undefined) => (r && 'code' in r ? r : assert.unreachable(`not refused: ${JSON.stringify(r)}`)) as Diagnostic;

test('the same base and picks: adopted, with the day of its name', () => {
  const a = adopted(adoptEarlier(input([branch('hotfix/20261130-bbbbbbb')])));
  assert.is(a.branch, 'hotfix/20261130-bbbbbbb');
  assert.is(a.date, '20261130');
  assert.is(a.tag, undefined);
});

test('today\'s name wins over an earlier day, and a later day over an older one', () => {
  assert.is(adopted(adoptEarlier(input([branch('hotfix/20261201-bbbbbbb'), branch(today), branch('hotfix/20261130-bbbbbbb')]))).branch, today);
  assert.is(adopted(adoptEarlier(input([branch('hotfix/20261130-bbbbbbb'), branch('hotfix/20261201-bbbbbbb')]))).branch, 'hotfix/20261201-bbbbbbb');
});

test('a commit picked by hand (another tree, the pick\'s patch-id) matches; another change does not', () => {
  const byHand = branch(today, { commits: [{ sha: 'c1'.padEnd(40, '0'), subject: 's', tree: 'x'.repeat(40), patchId: 'p1' }, branch(today).commits![1]!] });
  assert.is(adopted(adoptEarlier(input([byHand]))).branch, today);
  const other = branch(today, { commits: [branch(today).commits![0]!, { sha: 'c9'.padEnd(40, '0'), subject: 'Other', tree: 'y'.repeat(40), patchId: 'p9' }] });
  assert.match(refused(adoptEarlier(input([other]))).message, /its commit 2 after bbbbbbb, c900000 "Other", is not the change of pick 2, 2222222 "Retry the payment callback" \(git patch-id --stable p9, not p2\)/);
});

test('a branch named by another commit, environment or reason is not this hotfix\'s and is left alone', () => {
  assert.is(adoptEarlier(input([branch('hotfix/20261202-aaaaaaa')])), undefined);
  assert.is(adoptEarlier(input([branch('hotfix/production-security')], { branchTemplate: 'hotfix/{env}-{reason}' })), undefined);
  assert.is(adopted(adoptEarlier(input([branch('hotfix/production-payment')], { branchTemplate: 'hotfix/{env}-{reason}' }))).branch, 'hotfix/production-payment');
});

test('an earlier day\'s branch that differs is someone else\'s hotfix: not adopted, not refused', () => {
  assert.is(adoptEarlier(input([branch('hotfix/20261130-bbbbbbb', { fork: 'a'.repeat(40) })])), undefined);
});

const differences: Array<[string, Partial<EarlierHotfix>, RegExp]> = [
  ['no shared history', { fork: undefined, commits: undefined }, /it shares no history with the deployed commit bbbbbbb/],
  ['a merge on it', { merges: 1 }, /it has 1 merge commit after the deployed commit bbbbbbb/],
  ['one commit more than the picks', { commits: [...branch(today).commits!, { sha: 'c3'.padEnd(40, '0'), subject: 'More', tree: 'z'.repeat(40) }] }, /it has 3 commits after the deployed commit bbbbbbb \(c100000, c200000, c300000\), and this plan picks 2/],
  ['the first pick with the whole tree', { commits: [branch(today).commits![0]!] }, /its tree fffffff is not the picks' eeeeeee \(a patch-id ignores whitespace, and the picks still to make are planned on that tree\)/],
  ['the same patch-ids, another tree', { tree: 'w'.repeat(40) }, /its tree wwwwwww is not the picks' fffffff \(a patch-id ignores whitespace\)/],
];
for (const [label, over, message] of differences)
  test(`today's name, ${label}: HF312 says so and what to run`, () => {
    const d = refused(adoptEarlier(input([branch(today, over)], { repo: { repoName: 'app', tags: ['hotfix-20261202-bbbbbbb'] } })));
    assert.is(d.code, 'HF312');
    assert.match(d.message, message);
    assert.match(d.message, /; compare it with git log --oneline bbbbbbb\.\.'hotfix\/20261202-bbbbbbb'; if an abandoned attempt made it, delete it with git branch -D 'hotfix\/20261202-bbbbbbb' and its tag with git tag -d 'hotfix-20261202-bbbbbbb' and plan again, or, to keep it, change hotfix\.branch$/);
  });

test('an apply stopped between picks: the picks it holds are adopted, the rest are left to plan', () => {
  const first = branch(today, { tip: 'c1'.padEnd(40, '0'), tree: TREES[0]!, commits: [branch(today).commits![0]!] });
  const a = adopted(adoptEarlier(input([first])));
  assert.is(a.picked, 1);
  assert.match(a.note, /carries the first 1 of the 2 picks, compared by git patch-id --stable \(1111111 as c100000\), so this plan picks only the rest onto it/);
  const none = adopted(adoptEarlier(input([branch(today, { tip: BASE, tree: 'a'.repeat(40), commits: [] })])));
  assert.is(none.picked, 0);
  assert.match(none.note, /holds none of the picks yet, so this plan makes all 2 picks on it/);
  // Its tag marks the whole hotfix: at a tip without every pick it is in the way.
  const tagged = branch(today, { tip: 'c1'.padEnd(40, '0'), tree: TREES[0]!, commits: [branch(today).commits![0]!], tags: [{ name: 'hotfix-20261202-bbbbbbb', object: 't'.repeat(40) }] });
  assert.match(refused(adoptEarlier(input([tagged], { repo: { repoName: 'app', tags: ['hotfix-20261202-bbbbbbb'] } }))).message, /not at c100000, the tip of hotfix\/20261202-bbbbbbb with 1 of the 2 picks, which this plan adopts/);
});

test('its tag: adopted at the tip, refused elsewhere, made when absent', () => {
  const tagged = branch(today, { tags: [{ name: 'hotfix-20261202-bbbbbbb', object: 't'.repeat(40) }] });
  assert.equal(adopted(adoptEarlier(input([tagged]))).tag, { name: 'hotfix-20261202-bbbbbbb', object: 't'.repeat(40) });
  assert.match(refused(adoptEarlier(input([branch(today)], { repo: { repoName: 'app', tags: ['hotfix-20261202-bbbbbbb'] } }))).message, /hotfix tag hotfix-20261202-bbbbbbb already exists in app, but not at c200000, the tip of hotfix\/20261202-bbbbbbb with every pick, which this plan adopts/);
  assert.is(adopted(adoptEarlier(input([branch(today)]))).tag, undefined);
});

test('merge-back branches that already hold the tip are named in the note', () => {
  const a = adopted(adoptEarlier(input([branch(today, { mergedInto: ['main'] })])));
  assert.equal(a.mergedInto, ['main']);
  assert.match(a.note, /main already holds its tip, so it is not merged into it again\.$/);
});

test.run();
