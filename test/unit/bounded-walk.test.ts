import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildRealShapedHistory, type RealShapedHistory } from '../../fixtures/real-shaped-history.js';
import { findImage } from '../../src/patch/find-image.js';
import { patchYamlText } from '../../src/patch/patch-yaml.js';
import { yamlParsed } from '../../src/patch/yaml-source.js';
import { isRollbackCandidate } from '../../src/plan/rollback/choose-target.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { resolveCommit } from '../../src/state/git/read.js';
import { walkDeployments, type WalkResult } from '../../src/state/git/walk-deployments.js';
import { revisionReader } from '../../src/state/revision-reader.js';
import { counted } from '../helpers/counting-shim.js';
import { tempDir } from '../helpers/temp-dir.js';

// A rollback's history walk on real-shaped histories of two lengths (fixtures/real-shaped-
// history.ts: one multi-document file of 24 HelmReleases whose images Flux bumps one at a
// time, Renovate merges between): the revisions it parses and the git processes it starts
// follow the answer, not the history. Counted, never timed.

const LOCATOR = { fluxImagePolicy: 'flux-system:payments' };
const histories = new Map<number, Promise<RealShapedHistory>>();
const history = (commits: number) => {
  if (!histories.has(commits)) histories.set(commits, buildRealShapedHistory(tempDir(), { commits }));
  return histories.get(commits)!;
};

async function walk(s: RealShapedHistory, options: { depth: number; writtenAs?: string; stopAt?: string }) {
  const head = (await resolveCommit(s.configRepo, 'refs/heads/main'))!;
  const blobs = new CatFileBatch(s.configRepo);
  let read = 0;
  const revisions = revisionReader((sha) => (read++, blobs.read(`${sha}:${s.file}`)), LOCATOR, s.image);
  try {
    const current = revisions.of((await blobs.read(`${head}:${s.file}`))!);
    assert.is(current.kind, 'image');
    const { value, invocations } = await counted('git', () =>
      walkDeployments({
        repo: s.configRepo,
        head,
        file: s.file,
        currentImage: current.kind === 'image' ? current.image : '',
        depth: options.depth,
        counts: isRollbackCandidate,
        ...(options.stopAt !== undefined && { stopAt: (d) => d.image.endsWith(`:${options.stopAt}`) }),
        ...(options.writtenAs !== undefined && { writtenAs: options.writtenAs }),
        revisionAt: revisions.at,
      }),
    );
    return { result: value as WalkResult, parsed: revisions.parsed(), read, git: invocations.map((i) => i.split(' ').find((a) => !a.startsWith('-') && !a.includes('=')) ?? i) };
  } finally {
    blobs.close();
  }
}

test('the previous deployment: a few parses and the same git processes, however long the history and the runs', async () => {
  const short = await history(600);
  const long = await history(2400);
  const a = await walk(short, { depth: 1 });
  const b = await walk(long, { depth: 1 });
  for (const [s, w] of [[short, a], [long, b]] as const) {
    assert.equal(w.result.deployments.map((d) => d.commit.sha), s.deployments.slice(0, 2).map((d) => d.commit), 'the deploying commits the fixture made');
    // The head text (given), each of this image's two changes, the revision before each.
    assert.ok(w.parsed <= 5, `${w.parsed} revisions parsed of ${w.read} read`);
  }
  // The long history's runs are longer (more bumps of the other 23 images), read not parsed.
  assert.ok(b.read > 20, `${b.read} revisions read`);
  assert.equal(b.git, a.git, 'git processes');
  assert.ok(b.git.length <= 2, b.git.join(', '));
});

test('--to a tag never deployed: git\'s pickaxe answers, no revision beyond the current deployment is parsed', async () => {
  const short = await history(600);
  const long = await history(2400);
  const a = await walk(short, { depth: 1000, writtenAs: short.neverDeployed, stopAt: short.neverDeployed });
  const b = await walk(long, { depth: 1000, writtenAs: long.neverDeployed, stopAt: long.neverDeployed });
  for (const w of [a, b]) {
    assert.is(w.result.end.kind, 'first-commit');
    assert.is(w.result.deployments.length, 1);
    assert.ok(w.parsed <= 3, `${w.parsed} parsed`);
  }
  assert.equal(b.git, a.git, 'git processes');
  assert.ok(long.deployments.length > 5, `${long.deployments.length} deployments the walk would have read`);
});

test('--to a tag that was deployed is still walked to', async () => {
  const s = await history(600);
  const target = s.deployments[2]!;
  const w = await walk(s, { depth: 1000, writtenAs: target.tag, stopAt: target.tag });
  assert.is(w.result.deployments.at(-1)!.commit.sha, target.commit);
  assert.ok(w.parsed <= 8, `${w.parsed} parsed`);
});

test('the rollback\'s edit of the head: no whole parse of the 25-document file, one node tree for the release and one for its edit', async () => {
  const s = await history(600);
  const blobs = new CatFileBatch(s.configRepo);
  try {
    const text = (await blobs.read(`refs/heads/main:${s.file}`))!;
    const before = { ...yamlParsed };
    const head = findImage(text, LOCATOR, s.image);
    const tag = head.fields.find((f) => f.path.endsWith('/tag'))!;
    const previous = s.deployments[1]!.tag;
    const edited = patchYamlText(text, [{ document: tag.document, ops: [{ op: 'test', path: tag.path, value: s.deployments[0]!.tag }, { op: 'replace', path: tag.path, value: previous }] }]);
    assert.equal(edited.split('\n').filter((line, i) => line !== text.split('\n')[i]), [text.split('\n')[tag.line - 1]!.replace(s.deployments[0]!.tag, previous)]);
    assert.is(yamlParsed.texts - before.texts, 0, 'whole parses');
    assert.ok(yamlParsed.documents - before.documents <= 2, `${yamlParsed.documents - before.documents} documents parsed`);
    assert.ok(yamlParsed.bytes - before.bytes < text.length / 5, `${yamlParsed.bytes - before.bytes} bytes of ${text.length} parsed`);
  } finally {
    blobs.close();
  }
});

test.run();
