// `npm run bench`: start-up, lint throughput, plan cost on long histories, a fleet's status, peak memory.
// Each case runs side by side with its baseline in this one process; ratios of medians
// are the results (absolute times move with the machine). `--json` prints JSON instead.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitopsScenario } from '../fixtures/gitops-scenario.js';
import { sideBySide, type Measured, type Step } from './measure.js';
import { appRepo, bigFileRepos, fleet, policies, realShapedRepo, rollbackRepo, type Fleet } from './repos.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = privateBuild();
const node = process.execPath;
const RSS_LIMIT_KB = 150 * 1024;

interface Result {
  readonly name: string;
  readonly baseline: string;
  readonly subject: string;
  readonly baselineMs: number;
  readonly subjectMs: number;
  readonly ratio: number;
  readonly target: string;
  readonly peakRssMb: number;
  /** hotfix's own process (node), the figure the memory target is for: a git it runs is the git's. */
  readonly nodeRssMb: number;
  /** Null for a row that is only information. */
  readonly ok: boolean | null;
}

const results: Result[] = [];
/** A case with no `maxRatio` is for information only (it explains another case's figure). */
function record(name: string, labels: [string, string], m: { baseline: Measured; subject: Measured }, maxRatio: number | undefined, extra: { maxMs?: number } = {}): void {
  const ratio = m.subject.medianMs / m.baseline.medianMs;
  const ok = maxRatio === undefined ? null : (ratio <= maxRatio && (extra.maxMs === undefined || m.subject.medianMs <= extra.maxMs) && m.subject.peakNodeRssKb <= RSS_LIMIT_KB);
  results.push({
    name,
    baseline: labels[0],
    subject: labels[1],
    baselineMs: round(m.baseline.medianMs),
    subjectMs: round(m.subject.medianMs),
    ratio: round(ratio, 2),
    target: maxRatio === undefined ? 'information' : `≤${maxRatio}x${extra.maxMs ? `, <${extra.maxMs} ms` : ''}, <150 MB`,
    peakRssMb: round(m.subject.peakRssKb / 1024, 1),
    nodeRssMb: round(m.subject.peakNodeRssKb / 1024, 1),
    ok,
  });
  if (!json) process.stderr.write(`  ${name}: ${round(ratio, 2)}x\n`);
}

const json = process.argv.includes('--json');
/** `npm run bench -- lint` runs only the cases whose name contains "lint". */
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
const wanted = (name: string) => only === undefined || name.includes(only);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// 1. Start-up.
const policy = join(ROOT, 'policies', 'web-hotfix.yaml');
if (wanted('start-up: --version')) record('start-up: --version', ['node -e 0', 'hotfix --version'], sideBySide([[node, '-e', '0']], [[node, CLI, '--version']], ROOT, 30), 1.3);
if (wanted('start-up: lint one policy')) record('start-up: lint one policy', ['node -e 0', 'hotfix lint FILE'], sideBySide([[node, '-e', '0']], [[node, CLI, 'lint', policy]], ROOT, 30), 2);

// 2. Lint throughput: 1,000 policies, against ajv-cli validating them with the same schema.
const FLOOR = 'lint 1,000 policies: read + parse only';
if (wanted('lint 1,000 policies') || wanted(FLOOR)) {
  const { dir } = await policies();
  const ajv = join(ROOT, 'node_modules', 'ajv-cli', 'dist', 'index.js');
  const byAjv: Step = [node, ajv, 'validate', '-s', join(ROOT, 'schemas', 'policy.schema.json'), '-d', join(dir, '*.yaml'), '--strict=false', '--all-errors'];
  if (wanted('lint 1,000 policies')) record('lint 1,000 policies', ['ajv-cli validate', 'hotfix lint DIR'], sideBySide([byAjv], [[node, CLI, 'lint', dir]], dir, 5), 0.5);
  // What reading and parsing alone cost: the rest of the 0.5x is all that is left for
  // start-up of the CLI, validation, the rules and the report.
  const floor: Step = [node, join(ROOT, 'bench', 'lint-floor.mjs'), dir];
  if (wanted(FLOOR)) record(FLOOR, ['ajv-cli validate', 'js-yaml alone'], sideBySide([byAjv], [floor], dir, 5), undefined);
}

// 3. Rollback plan on 50,000 commits, against the git commands a person would run.
if (wanted('rollback plan, 50,000 commits')) {
  const gitops = await rollbackRepo();
  const file = 'app/bases/kustomization.yaml';
  const tag = gitops.apiJs.currentTag;
  const deploying = gitops.apiJs.deployingCommit;
  const byHand: Step[] = [
    ['git', '-C', gitops.configRepo, 'log', '-n1', `-SnewTag: ${tag}`, '--format=%H', 'main', '--', file],
    ['git', '-C', gitops.configRepo, 'diff', `${deploying}^`, deploying, '--', file],
  ];
  const plan: Step = [node, CLI, 'plan', 'rollback', '--policy', gitops.policyFile, '--env', 'production', '--repo', `deploy=${gitops.configRepo}`, '--no-cluster', '--reason', 'bench', '--format', 'json'];
  record('rollback plan, 50,000 commits', ['git log -S + git diff', 'hotfix plan rollback'], sideBySide(byHand, [plan], ROOT, 5), 1.5, { maxMs: 1000 });
}

// 3b. The same on a history shaped like large real ones (multi-document HelmRelease files of
// many images, hundreds of markers, automation objects of every engine, merged pull
// requests), against the floor any Node tool has for that answer: starting Node, and the two
// git commands that find the deploying commit and show its change. `--to` a tag never
// deployed, against Node and the pickaxe that searches the whole history for it.
const REAL = 'rollback plan, real-shaped 50,000 commits';
const NEVER = 'rollback plan --to a tag never deployed, real-shaped';
if (wanted(REAL) || wanted(NEVER)) {
  const s = await realShapedRepo();
  const [current] = s.deployments;
  const plan = (...extra: string[]): Step => [node, CLI, 'plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'bench', '--format', 'json', ...extra];
  const pickaxe = (text: string): Step => ['git', '-C', s.configRepo, 'log', '-n1', `-S${text}`, '--format=%H', 'main', '--', s.file];
  const floor: Step[] = [[node, '-e', '0'], pickaxe(current!.tag), ['git', '-C', s.configRepo, 'diff', `${current!.commit}^`, current!.commit, '--', s.file]];
  if (wanted(REAL)) record(REAL, ['node -e 0 + git log -S + git diff', 'hotfix plan rollback'], sideBySide(floor, [plan()], ROOT, 7), 2);
  // The plan refuses (HF306), which is its answer: the bench takes its exit 1 as success.
  if (wanted(NEVER)) record(NEVER, ['node -e 0 + git log -S', 'hotfix plan rollback --to'], sideBySide([[node, '-e', '0'], pickaxe(s.neverDeployed)], [['sh', '-c', '"$@"; test $? -eq 1', 'sh', ...plan('--to', s.neverDeployed)]], ROOT, 5), 2);
}

// 4. Hotfix plan cost must not grow with history: 100,000 commits against 10,000.
if (wanted('hotfix plan, 100,000 vs 10,000 commits')) {
  const hotfixPlan = async (commits: number): Promise<Step> => {
    const s = await appRepo(commits);
    return [node, CLI, 'plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--deployed', `${s.image}:${s.deployed.tag}`, '--no-registry', '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--format', 'json'];
  };
  record('hotfix plan, 100,000 vs 10,000 commits', ['10,000 commits', '100,000 commits'], sideBySide([await hotfixPlan(10_000)], [await hotfixPlan(100_000)], ROOT, 9), 1.3);
}

// 5. A 16 MiB YAML file the plan reads costs little more than reading it: blobs are read in
// time linear in their size (it took 25 s when each pipe chunk was joined to all before it).
if (wanted('rollback plan, 16 MiB file in the config repo')) {
  const repos = await bigFileRepos();
  const plan = (s: GitopsScenario): Step => [node, CLI, 'plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'bench', '--format', 'json'];
  record('rollback plan, 16 MiB file in the config repo', ['without the file', 'with the file'], sideBySide([plan(repos.without)], [plan(repos.with)], ROOT, 7), 1.2);
}

// 6. Status of a fleet: 200 services in 20 namespaces, against one service, both read live
// through kubectl from the harness's fake API server. The fleet reads its config repository
// once and lists each namespace once through one kubectl proxy; the one service its namespace.
const FLEET = 'status of 200 services in 20 namespaces';
if (wanted(FLEET)) {
  const [many, one] = [await fleet(200, 20), await fleet(1, 1)];
  // The one service (checkout, in team-a) is the same Deployment in both fleets: one server serves both.
  const server = spawn(node, [...process.execArgv, join(ROOT, 'bench', 'kube-api-process.ts'), many.objectsFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
  const saved = { ...process.env };
  Object.assign(process.env, JSON.parse(line) as Record<string, string>);
  try {
    const status = (f: Fleet): Step => [node, CLI, 'status', '--policy', f.policiesDir, '--repo', `gitops=${f.configRepo}`, '--no-registry'];
    record(FLEET, ['status of 1 service', 'status of 200 services'], sideBySide([status(one)], [status(many)], ROOT, 5), 3);
  } finally {
    process.env = saved;
    server.stdin!.end();
  }
}

const version = execFileSync(node, [CLI, '--version'], { encoding: 'utf8' }).trim();
if (json) process.stdout.write(JSON.stringify({ tool: `hotfix ${version}`, node: process.version, results }, null, 2) + '\n');
else {
  const rows = [['case', 'baseline', 'ms', 'subject', 'ms', 'ratio', 'target', 'peak RSS hotfix (with git)', ''], ...results.map((r) => [r.name, r.baseline, String(r.baselineMs), r.subject, String(r.subjectMs), `${r.ratio}x`, r.target, `${r.nodeRssMb} MB (${r.peakRssMb} MB)`, r.ok === null ? '' : r.ok ? 'ok' : 'MISSED'])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) process.stdout.write(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
}
process.exitCode = results.every((r) => r.ok !== false) ? 0 : 1;

/**
 * The built CLI copied where no `npm run build` (which empties dist/ first) can reach it
 * during the minutes a bench takes on a shared machine; under node_modules, so its chunks
 * find the packages they load as dist/ would. Removed when the bench ends.
 */
function privateBuild(): string {
  const copy = join(ROOT, 'node_modules', '.cache', 'hotfix-bench', `dist-${process.pid}`);
  cpSync(join(ROOT, 'dist'), copy, { recursive: true });
  process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
  return join(copy, 'hotfix.js');
}
