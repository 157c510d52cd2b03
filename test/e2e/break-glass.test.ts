// Break-glass, audited (issue 15 §5), through the built CLI with real git: a rollback the
// policy's maxAge refuses is planned with --override HF305 --reason, shows the override
// first in every render, and apply's commits carry it as a trailer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan } from '../../src/plan/types.js';
import { planCommentProblems } from '../helpers/gfm-comment-checks.js';
import { renderGfm } from '../helpers/render-gfm.js';
import { applyPlan, gitOut, planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCli } from '../helpers/run-cli.js';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

const REASON = 'checkout returns 500 since 09:12; the last good image is older than 30 days (INC-4211)';
const TRAILER = `Hotfix-Override: HF305 (${REASON})`;

/** The scenario's policy with a maxAge its history (commits from 2021) is far older than, and `rollback` settings added. */
function policy(s: GitopsScenario, settings: string, name: string): string {
  const text = readFileSync(s.policyFile, 'utf8');
  assert.match(text, /\n {4}maxSteps: \d+\n/);
  const file = join(s.root, name);
  writeFileSync(file, text.replace(/\n( {4}maxSteps: \d+\n)/, `\n$1${settings.replace(/^/gm, '    ')}\n`));
  return file;
}

const commitActions = (plan: Plan) => plan.actions.filter((a) => a.kind === 'commit') as Array<Extract<Plan['actions'][number], { kind: 'commit' }>>;

test('refused by maxAge, then planned with --override HF305: first in text, markdown and JSON; apply commits carry the trailer; show shows it', async () => {
  const s = await scenario();
  const file = policy(s, 'maxAge: 30d\noverridable: [HF305]', 'break-glass.yaml');
  const before = refs(s.configRepo);

  const refused = planRollback(s, ['--reason', REASON], { policy: file });
  assert.is(refused.code, 1, refused.stdout);
  assert.not.ok(hasStackTrace(refused.stderr));
  assert.match(refused.stderr, /longer ago than rollback.maxAge 30d; this policy lets --override HF305 --reason "…" lift it in an incident {2}\[HF305\]/);

  const r = planRollback(s, ['--reason', REASON, '--override', 'HF305'], { policy: file });
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  assert.equal(plan.overrides!.map((o) => [o.code, o.rule, o.reason]), [['HF305', 'rollback.maxAge', REASON]]);
  assert.match(plan.overrides![0]!.lifted[0]!, /longer ago than rollback.maxAge 30d$/);
  assert.is(plan.formatVersion, '2.0');
  assert.equal(plan.request.kind === 'rollback' && plan.request.overrides, ['HF305']);
  // The saved JSON has the override right after its format.
  assert.equal(Object.keys(plan).slice(0, 2), ['formatVersion', 'overrides']);
  // Text: the banner is the first thing printed, before the title.
  const text = r.stdout.split('\n');
  assert.match(text[0]!, /^!! BREAK-GLASS: this plan lifts a rule of policy \S+, for this plan only !!$/);
  assert.match(text[1]!, /^ {2}HF305 \(rollback.maxAge\) lifted, reason: checkout returns 500/);
  assert.match(text[2]!, /^ {4}would have refused: .* longer ago than rollback.maxAge 30d$/);
  assert.is(text[3], `  every commit apply makes carries: ${TRAILER}`);
  assert.match(r.stdout, new RegExp(`asked .*--override HF305 --reason`));

  const planFile = join(s.root, 'break-glass.json');
  writeFileSync(planFile, JSON.stringify(plan, null, 2));
  // show: the same banner, and markdown opens with a caution block GitHub renders as such.
  const shown = runCli(['show', planFile], { cwd: s.root });
  assert.is(shown.code, 0, shown.stderr);
  assert.is(shown.stdout.split('\n')[0], text[0]);
  const markdown = runCli(['show', '--format', 'markdown', planFile], { cwd: s.root });
  assert.is(markdown.code, 0, markdown.stderr);
  assert.ok(markdown.stdout.startsWith('> [!CAUTION]\n> **BREAK-GLASS: this plan lifts a rule of policy `'), markdown.stdout.slice(0, 200));
  assert.equal(planCommentProblems(markdown.stdout, plan), []);
  const rendered = renderGfm(markdown.stdout, { unsafe: false });
  const quote = rendered.elements('blockquote')[0]!;
  assert.is(rendered.tags[0], 'blockquote', 'the override is the first element of the comment');
  const codes = rendered.elementsIn(quote, 'code').map((c) => (c.childNodes ?? []).map((t) => t.value).join(''));
  assert.ok(codes.includes(REASON) && codes.includes('rollback.maxAge') && codes.includes(TRAILER), JSON.stringify(codes));
  const json = runCli(['show', '--format', 'json', planFile], { cwd: s.root });
  assert.equal((JSON.parse(json.stdout) as Plan).overrides, plan.overrides);

  // apply: every commit it makes ends with the trailer, and git reads it as one.
  const applied = applyPlan(s, planFile);
  assert.is(applied.code, 0, applied.stderr);
  const made = commitActions(plan);
  assert.ok(made.length >= 2, 'the revert and the automation suspension');
  for (const action of made) {
    const message = gitOut(s.configRepo, ['log', '-1', '--format=%B', action.commit]);
    assert.ok(message.trimEnd().endsWith(`\n${TRAILER}`), message);
    assert.is(gitOut(s.configRepo, ['log', '-1', '--format=%(trailers:key=Hotfix-Override,valueonly)', action.commit]).trim(), `HF305 (${REASON})`);
    // And the plan that made it, by the id the reviewer approved.
    assert.is(gitOut(s.configRepo, ['log', '-1', '--format=%(trailers:key=Hotfix-Plan,valueonly)', action.commit]).trim(), plan.id);
  }
  assert.is.not(refs(s.configRepo), before);
});

test('a code the policy does not list, one that is no overridable rule, no reason: refused, nothing written', async () => {
  const s = await scenario();
  const file = policy(s, 'maxAge: 30d\noverridable: [HF305]', 'strict.yaml');
  // HF387 is about --override itself: with a policy that needs no reason, HF301 does not answer first.
  writeFileSync(file, readFileSync(file, 'utf8').replace('requireReason: true', 'requireReason: false'));
  const before = refs(s.configRepo);
  const cases: Array<[string[], RegExp]> = [
    [['--override', 'HF304', '--reason', 'x'], /--override HF304 is refused: the policy does not list it under rollback.overridable; it lets --override lift HF305 \(rollback.maxAge\) {2}\[HF385\]/],
    [['--override', 'HF306', '--reason', 'x'], /--override HF306 is refused: HF306 \(target never deployed\) is not a rule an override can lift; a rollback can lift only HF304 \(rollback.maxSteps\), HF305 \(rollback.maxAge\), where the policy lists them {2}\[HF386\]/],
    [['--override', 'HF339', '--reason', 'x'], /HF339 is a hotfix rule \(hotfix.bypass\).*\[HF386\]/],
    [['--override', 'HF305'], /--override HF305 needs --reason .*\[HF387\]/],
  ];
  for (const [args, expected] of cases) {
    const r = planRollback(s, args, { policy: file });
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.stderr, expected);
    assert.not.ok(hasStackTrace(r.stderr));
  }
  assert.is(refs(s.configRepo), before);
});

test('an override that lifts nothing is a warning, and the plan carries no override', async () => {
  const s = await scenario();
  const file = policy(s, 'overridable: [HF304, HF305]\nmaxAge: 1000w', 'lenient.yaml');
  const r = planRollback(s, ['--reason', 'x', '--override', 'HF305'], { policy: file });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.overrides, undefined);
  assert.ok(r.plan!.diagnostics.some((d) => d.code === 'HF388' && /--override HF305 lifts nothing: rollback.maxAge did not stop this plan/.test(d.message)));
  assert.not.match(r.stdout, /BREAK-GLASS/);
  for (const action of commitActions(r.plan!)) assert.not.match(action.message, /Hotfix-Override/);
});

test('a plan whose banner and trailers disagree is refused by show and apply (HF415)', async () => {
  const s = await scenario();
  const file = policy(s, 'maxAge: 30d\noverridable: [HF305]', 'break-glass.yaml');
  const { plan } = planRollback(s, ['--reason', REASON, '--override', 'HF305'], { policy: file });
  const { id: _id, overrides: _hidden, ...body } = plan!;
  const hidden = join(s.root, 'hidden.json');
  writeFileSync(hidden, JSON.stringify(sealPlan(body)));
  for (const args of [['show', hidden], ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, hidden]]) {
    const r = runCli(args, { cwd: s.root });
    assert.is(r.code, 1, args[0]);
    assert.match(r.stderr, /revert: its message ends with Hotfix-Override: HF305 .*, but the plan lifts no rule; make and review it again {2}\[HF415\]/);
  }
});

test('a hotfix past maxCommits: --override HF332 lifts it, and the picks, deploy and merge-back commits all carry the trailer', async () => {
  const s = await buildAppScenario(tempDir(), 'registry.invalid:5000');
  const file = join(s.root, 'one-commit.yaml');
  const text = readFileSync(s.policyFile, 'utf8');
  assert.match(text, /\n {4}maxCommits: 3\n/);
  writeFileSync(file, text.replace(/\n {4}maxCommits: 3\n/, '\n    maxCommits: 1\n    overridable: [HF332]\n'));
  const out = join(s.root, 'hotfix-plan.json');
  const run = (extra: string[]) =>
    runCli(['plan', 'hotfix', '--policy', file, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--reason', 'payment', ...s.fixes.flatMap((f) => ['--pick', f.commit]), '--out', out, ...extra], { cwd: s.root });
  const refused = run([]);
  assert.is(refused.code, 1, refused.stdout);
  assert.match(refused.stderr, /2 commits picked; hotfix.maxCommits allows 1; this policy lets --override HF332 --reason "…" lift it in an incident {2}\[HF332\]/);

  const r = run(['--override', 'HF332']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout.split('\n')[1]!, /^ {2}HF332 \(hotfix.maxCommits\) lifted, reason: payment$/);
  const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
  const committing = plan.actions.filter((a) => a.kind === 'commit' || a.kind === 'cherry-pick' || a.kind === 'merge') as Array<{ kind: string; message: string; commit: string }>;
  assert.equal([...new Set(committing.map((a) => a.kind))].sort(), ['cherry-pick', 'commit', 'merge']);
  for (const action of committing) assert.ok(action.message.endsWith('\nHotfix-Override: HF332 (payment)\n'), action.message);
  // Apply writes the picks before it waits at the gate: git reads the trailer on each.
  const applied = runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, out], { cwd: s.root });
  assert.is(applied.code, 3, applied.stderr);
  for (const pick of committing.filter((a) => a.kind === 'cherry-pick'))
    assert.is(gitOut(s.appRepo, ['log', '-1', '--format=%(trailers:key=Hotfix-Override,valueonly)', pick.commit]).trim(), 'HF332 (payment)');
});

test.run();
