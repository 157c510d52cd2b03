import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppScenario, type AppScenario } from '../fixtures/app-scenario.js';
import { commitCommand, runFastImport } from '../fixtures/fast-import.js';
import { git } from '../fixtures/git.js';
import { buildGitopsScenario, type GitopsScenario } from '../fixtures/gitops-scenario.js';
import { buildRealShapedHistory, type RealShapedHistory } from '../fixtures/real-shaped-history.js';
import { buildFleetScenario } from '../fixtures/fleet-scenario.js';

/** Generated repositories live here between runs (built with git fast-import once). */
export const CACHE = join(dirname(fileURLToPath(import.meta.url)), '.cache');

/** Builds a scenario once and keeps what a benchmark needs; a half-built one is never reused. */
async function cached<T>(name: string, build: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(CACHE, name);
  const facts = join(dir, 'facts.json');
  if (existsSync(facts)) return JSON.parse(readFileSync(facts, 'utf8')) as T;
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const result = await build(building);
  const text = JSON.stringify(result).replaceAll(building, dir);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  writeFileSync(facts, text);
  return JSON.parse(text) as T;
}

/**
 * A config repo of 50,000 commits: 20,000 Flux automation commits across 40 images with a
 * human commit after each, then 10,000 more human commits (README edits) on top.
 */
export function rollbackRepo(): Promise<GitopsScenario> {
  return cached('gitops-50k', async (dir) => {
    const s = await buildGitopsScenario(dir, { automationCommits: 20_000, images: 40, humanEvery: 1 });
    const start = new Date('2024-01-01T00:00:00Z').getTime();
    const bare = s.remote;
    // fast-import starts a new root for a branch it has not seen in the stream: name the tip.
    const tip = (await git(bare, ['rev-parse', 'refs/heads/main'])).trim();
    function* more(): Generator<string> {
      for (let i = 0; i < 10_000; i++)
        yield commitCommand({ ref: 'refs/heads/main', ...(i === 0 ? { from: tip } : {}), author: { name: 'Jane Doe', email: 'jane.doe@example.com' }, date: new Date(start + i * 60_000), message: `Note ${i} in the README\n`, files: [{ path: 'README.md', content: `# deploy\n\nNote ${i}.\n` }] });
    }
    await runFastImport(bare, more());
    await git(s.configRepo, ['fetch', '-q', 'origin']);
    await git(s.configRepo, ['reset', '-q', '--hard', 'origin/main']);
    await maintained(s.configRepo);
    return s;
  });
}

/**
 * The same small config repo twice, one of them with a 16 MiB YAML file that a rollback plan
 * reads: the Flux file holding api's ImagePolicy gains a ConfigMap whose data is a 16 MiB
 * block of text (a generated dashboard, say).
 */
export function bigFileRepos(): Promise<{ without: GitopsScenario; with: GitopsScenario }> {
  return cached('gitops-16mib', async (dir) => {
    const without = await buildGitopsScenario(join(dir, 'without'));
    const withFile = await buildGitopsScenario(join(dir, 'with'));
    const file = join(withFile.configRepo, 'clusters', 'prod', 'flux-system', 'images', 'api.yaml');
    const line = (i: number) => `    {"panel": ${i}, "title": "requests by route", "expr": "sum(rate(http_requests_total[5m])) by (route)"},\n`;
    const lines: string[] = [];
    for (let size = 0; size < 16 * 1024 * 1024; size += lines.at(-1)!.length) lines.push(line(lines.length));
    writeFileSync(file, `${readFileSync(file, 'utf8')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboards\n  namespace: flux-system\ndata:\n  dashboards.json: |\n${lines.join('')}`);
    await git(withFile.configRepo, ['commit', '-q', '-am', 'Add the dashboards']);
    return { without, with: withFile };
  });
}

/**
 * A config repository shaped like the large real ones: 50,000 commits, four team files of 24
 * HelmReleases each (288 `$imagepolicy` markers), 192 ImagePolicies, Flux v1 and Argo CD
 * objects, Renovate pull requests merged with --no-ff (see fixtures/real-shaped-history.ts).
 */
export function realShapedRepo(): Promise<RealShapedHistory> {
  return cached('real-shaped-50k', async (dir) => {
    const s = await buildRealShapedHistory(dir);
    await maintained(s.configRepo);
    return s;
  });
}

export function appRepo(commits: number): Promise<AppScenario> {
  return cached(`app-${commits}`, async (dir) => {
    const s = await buildAppScenario(dir, 'registry.example.com', { commits });
    await maintained(s.appRepo);
    return s;
  });
}

/**
 * A commit-graph with changed-path filters, as `git gc` and `git maintenance` leave in a
 * repository in use (the fixtures turn gc off): both hotfix and the git baseline use it.
 */
async function maintained(repo: string): Promise<void> {
  await git(repo, ['commit-graph', 'write', '--reachable', '--changed-paths']);
}

/** 1,000 small, valid, distinct policies. */
export function policies(): Promise<{ dir: string }> {
  return cached('policies-1000', async (dir) => {
    const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'policies', 'web-hotfix.yaml'), 'utf8');
    for (let i = 0; i < 1000; i++) writeFileSync(join(dir, `p${String(i).padStart(4, '0')}.yaml`), template.replace('name: web', `name: web-${i}`));
    return { dir };
  });
}

/** A monorepo fleet (fixtures/fleet-scenario.ts): its policies, its config repository, and its production's objects in a JSON file. */
export interface Fleet {
  readonly policiesDir: string;
  readonly configRepo: string;
  readonly objectsFile: string;
}

export function fleet(services: number, namespaces: number): Promise<Fleet> {
  return cached(`fleet-${services}-${namespaces}`, async (dir) => {
    const s = await buildFleetScenario(dir, { services, namespaces });
    const objectsFile = join(dir, 'objects.json');
    writeFileSync(objectsFile, JSON.stringify(s.clusterObjects()));
    return { policiesDir: s.policiesDir, configRepo: s.configRepo, objectsFile };
  });
}
