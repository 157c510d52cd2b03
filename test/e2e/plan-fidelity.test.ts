// What the reviewer sees is what apply does. Take real plans (a GitOps rollback, a hotfix with
// a merge-back and a tag, the same sent by pull requests, a hotfix tested on a prd/nop
// baseline), change any one field and re-seal the id as an attacker who can edit the file
// would. For every case, either the plan is refused before anything is written (by the checks
// show and apply share, or by apply's preconditions and rehearsal), or what show prints, as
// text and as markdown, differs from the original's. A plan that shows the same and would be applied is a failure.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildPrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import { withGitSettings } from '../../fixtures/protected-remote.js';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { verifyPlan } from '../../src/apply/read-plan.js';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan, PlanBody } from '../../src/plan/types.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { styleFor } from '../../src/render/style.js';
import { VERSION } from '../../src/version.js';
import type { ClusterState } from '../../src/state/types.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { mutate, planNodes, planStrings, type Mutation } from '../helpers/plan-mutations.js';
import { pushImage } from '../helpers/push-image.js';
import { planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

const CASES = 5_000;
const plain = styleFor({}, {});

/** What a reviewer reads, less the plan id: every re-sealed change moves the id, which proves nothing. */
function shown(rendered: string, plan: { id: string }): string {
  return rendered.split(plan.id).join('sha256:<id>');
}


interface Subject {
  readonly name: string;
  readonly plan: Plan;
  /** Where the plan was made: its paths are relative to it, as apply run there resolves them. */
  readonly root: string;
  readonly text: string;
  readonly markdown: string;
  readonly pool: readonly string[];
  readonly nodes: ReturnType<typeof planNodes>;
}

let registry: TestRegistry;
const subjects: Subject[] = [];
const repositories: string[] = [];

/** The plan as this build, run from source, makes it: the tool version is the only difference. */
function fromSource(made: Plan): Plan {
  const { id: _id, ...body } = made;
  return sealPlan({ ...body, tool: { ...body.tool, version: VERSION }, preconditions: body.preconditions.map((p) => (p.kind === 'tool' ? { ...p, version: VERSION } : p)) });
}

function subject(name: string, made: Plan, root: string): Subject {
  const plan = fromSource(made);
  repositories.push(...Object.values(plan.repos).map((path) => resolve(root, path)));
  return { name, plan, root, text: shown(renderPlanText(plan, plain), plan), markdown: shown(renderPlanMarkdown(plan), plan), pool: planStrings(plan), nodes: planNodes(plan) };
}

test.before(async () => {
  // uvu does not print a hook's failure: say it, so a broken setup is not a bare "0 / 2".
  await setUp().catch((error: unknown) => {
    console.error('plan fidelity: setting up the scenarios failed:', error);
    throw error;
  });
});

async function setUp(): Promise<void> {
  registry = await startTestRegistry();
  const rollback = await scenario();
  subjects.push(subject('rollback', planRollback(rollback, ['--reason', 'bad release']).plan!, rollback.root));

  const hotfix = await gatedHotfix(registry.host, 7);
  subjects.push(subject('hotfix', JSON.parse(readFileSync(hotfix.planFile, 'utf8')) as Plan, dirname(hotfix.planFile)));
  // Protected branches: the deploy and the merge-backs on branches of their own, with the pull requests to open.
  const reviewed = await gatedHotfix(registry.host, 8, (s) => withGitSettings(s.policyFile, { via: 'pull-request' }));
  subjects.push(subject('hotfix by pull request', JSON.parse(readFileSync(reviewed.planFile, 'utf8')) as Plan, dirname(reviewed.planFile)));
  // The gate reads its checks from GitHub: where, which app, and whether --check may stand in are all shown.
  const checked = await gatedHotfix(registry.host, 9, (s) => withChecksSource(s.policyFile, { forge: 'github', repository: 'octo-org/shop-api', appId: 15368, manual: 'refuse' }));
  subjects.push(subject('hotfix reading checks from GitHub', JSON.parse(readFileSync(checked.planFile, 'utf8')) as Plan, dirname(checked.planFile)));

  const s = await buildPrdNopScenario(tempDir(), registry.host, {});
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { 'org.opencontainers.image.revision': s.deployed.commit } });
  const file = join(s.root, 'baseline-plan.json');
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  subjects.push(subject('baseline', JSON.parse(readFileSync(file, 'utf8')) as Plan, s.root));
}

test.after(async () => {
  await registry.stop();
});

/** The cluster as the plan saw it: the running image is not what these cases change. */
function clusterOf(plan: Plan) {
  return async (): Promise<ClusterState | undefined> => {
    const running = plan.preconditions.find((p) => p.kind === 'running-image');
    if (running?.kind !== 'running-image') return undefined;
    return { source: 'file', workload: 'deployment/app', container: 'app', image: running.image, ...(running.digest ? { digest: running.digest } : {}), health: {} } as ClusterState;
  };
}

/** Everything apply checks before its first write, with nothing written: a dry run. */
async function applyRefuses(plan: Plan, original: Plan, root: string): Promise<string | undefined> {
  // As `hotfix apply` run where the plan was made binds them: its paths from there.
  const repos = Object.fromEntries(Object.entries(plan.repos).map(([name, path]) => [name, resolve(root, path)]));
  try {
    await applyPlan(plan, { dryRun: true, facts: { repos, policyFile: resolve(root, plan.policy.file), cluster: clusterOf(original) }, log: () => undefined, checkGate: async () => undefined });
    return undefined;
  } catch (error) {
    if (error instanceof HotfixError) return error.diagnostics[0]!.code;
    throw error;
  }
}

type Outcome = 'refused as read' | 'shown' | 'refused by apply';
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

async function judge(s: Subject, m: Mutation): Promise<Outcome> {
  const sealed = sealPlan(m.body as unknown as PlanBody);
  let plan: Plan;
  try {
    plan = verifyPlan(JSON.parse(JSON.stringify(sealed)), 'plan.json');
  } catch (error) {
    if (!(error instanceof HotfixError)) throw error;
    count(`refused as read ${error.diagnostics[0]!.code}`);
    return 'refused as read';
  }
  if (shown(renderPlanText(plan, plain), plan) !== s.text && shown(renderPlanMarkdown(plan), plan) !== s.markdown) {
    count('shown');
    return 'shown';
  }
  const code = await applyRefuses(plan, s.plan, s.root);
  if (code === undefined) throw new Error(`${s.name}: ${m.path.join('.')} (${m.how}) shows as the original does and apply would carry it out`);
  count(`refused by apply ${code}`);
  return 'refused by apply';
}

test('the real plans themselves pass every check apply makes before writing', async () => {
  for (const s of subjects) assert.is(await applyRefuses(s.plan, s.plan, s.root), undefined, s.name);
});

test(`any one field changed and re-sealed: refused before writing, or shown differently (${CASES} cases)`, async () => {
  const before = repositories.map(refs);
  let cases = 0;
  const result = await fc.check(
    fc.asyncProperty(fc.nat({ max: subjects.length - 1 }), fc.nat(), fc.nat(), fc.string({ maxLength: 3 }), async (which, node, choice, extra) => {
      const s = subjects[which]!;
      const m = mutate(s.plan, s.nodes[node % s.nodes.length]!, choice, s.pool, extra);
      // A mutation that leaves the plan as it was is no case: fast-check draws another in its place.
      fc.pre(m !== undefined);
      cases++;
      await judge(s, m!);
    }),
    { numRuns: CASES },
  );
  // fast-check keeps the failing case's own error in a cause, which uvu does not print.
  if (result.failed) assert.unreachable(`${fc.defaultReportMessage(result)}\n${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)}`);
  assert.equal(repositories.map(refs), before, 'no case wrote a ref');
  assert.is(cases, CASES, 'every case changed the plan');
  console.log(`plan fidelity: ${cases} mutation cases: ${[...tally].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);
});

test.run();
