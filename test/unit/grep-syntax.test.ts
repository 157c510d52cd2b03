import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seededRandom } from '../../fixtures/seeded-random.js';
import { APPLICATION_LINE } from '../../src/state/git/argo-applications.js';
import { ANNOTATION_LINE, MARKER_LINE } from '../../src/state/git/automation-lines.js';
import { grepYaml, KIND_LINE, type GrepMatch } from '../../src/state/git/scan-flux.js';
import { counted } from '../helpers/counting-shim.js';
import { oneCommitRepo } from '../helpers/one-commit-repo.js';
import { tempDir } from '../helpers/temp-dir.js';

// grepYaml asks git grep for PCRE (-P), which scans large files in half the time of POSIX
// ERE, for patterns written as EREs. Both must find exactly the same matches: compared here
// with git grep -E run directly, on lines built from the pieces the patterns are made of.

const PATTERN_SETS: Record<string, string[]> = {
  kind: [KIND_LINE],
  marker: [MARKER_LINE],
  annotation: [ANNOTATION_LINE],
  application: [APPLICATION_LINE],
  // What automationLines asks in one grep.
  'kind, marker and annotation': [KIND_LINE, MARKER_LINE, ANNOTATION_LINE],
};

/** Lines as real files hold them: each pattern's matches, and near misses. */
const REAL_LINES = [
  'apiVersion: image.toolkit.fluxcd.io/v1beta2', 'kind: ImagePolicy', '"kind": "ImageRepository"', "kind: 'ImageUpdateAutomation'", 'kind: !!str ImagePolicy',
  'kind:\tImagePolicy  ', '  kind : ImageUpdater', 'kind: "ApplicationSet"', 'kind: Application  ', 'kind: ApplicationSetting',
  '      tag: 1.2.3 # {"$imagepolicy": "flux-system:api:tag"}', 'image: a # {"$imagepolicy": "ns:a"} {"$imagepolicy": "ns:b:name"}',
  '    fluxcd.io/automated: "true"', '    flux.weave.works/tag.web: glob:main-*', '    filter.fluxcd.io/web: semver:~1', '    argocd-image-updater.argoproj.io/image-list: api=ghcr.io/x/api',
  'x: 1 # {"$imagepolicy": "ns:kind: ImagePolicy fluxcd.io/automated"}', 'kind: ImagePolicy\r', 'kind: Application\r', '{"kind":"ImagePolicy","metadata":{"name":"api"}}',
];

/** What a mutation inserts: the patterns' own pieces, and bytes around them in real files. */
const PIECES = ['kind', '"', "'", ' ', '\t', ':', '!!str ', 'Image', 'Policy', 'Set', 'fluxcd.io/', 'flux.weave.works/', 'tag.', 'filter.', '"$imagepolicy"', '{', '}', '#', '\r', '\v', '\f', 'é', '\u00ff', '\u2028', '*', '.', '\\'];

/** Real lines, one to three to a line, each changed in up to three places: matches and near misses by the thousand. */
function corpus(seed: number, lines: number): string {
  const random = seededRandom(seed);
  const at = (text: string) => Math.floor(random.next() * (text.length + 1));
  const mutate = (text: string): string => {
    const i = at(text);
    switch (Math.floor(random.next() * 4)) {
      case 0: return text.slice(0, i) + text.slice(i + 1);
      case 1: return text.slice(0, i) + random.pick(PIECES) + text.slice(i);
      case 2: return text.slice(0, i) + (text[i] === text[i]?.toUpperCase() ? text[i]?.toLowerCase() : text[i]?.toUpperCase() ?? '') + text.slice(i + 1);
      default: return text.slice(0, i) + text.slice(i, i + 6) + text.slice(i);
    }
  };
  const out: string[] = [];
  for (let n = 0; n < lines; n++) {
    const segments = 1 + Math.floor(random.next() * 3);
    let line = '';
    for (let s = 0; s < segments; s++) {
      let text = random.pick(REAL_LINES);
      for (let m = Math.floor(random.next() * 4); m > 0; m--) text = mutate(text);
      line += text;
    }
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}

const FILES: Record<string, string> = {
  'real/automation.yaml': `${REAL_LINES.join('\n')}\n`,
  'long/line.yaml': `data: "${'kind: ImagePolicy '.repeat(4_000)}${'x'.repeat(100_000)} fluxcd.io/locked"\n`,
  ...Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`generated/g${i}.yaml`, corpus(1000 + i, 500)])),
};

/** git grep -E, as grepYaml asked it before PCRE, parsed the same way. */
function extendedRegexMatches(repo: string, head: string, patterns: readonly string[]): GrepMatch[] {
  const out = execFileSync('git', ['grep', '-n', '-o', '-a', '-z', '--no-column', '-E', ...patterns.flatMap((p) => ['-e', p]), head, '--', '*.yaml', '*.yml'], {
    cwd: repo,
    encoding: 'latin1',
    env: { PATH: process.env.PATH ?? '', LC_ALL: 'C', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.split('\n').filter((r) => r !== '').map((record) => {
    const [path, line, match] = record.split('\0') as [string, string, string];
    return { path: path.slice(head.length + 1), line: Number(line), match: Buffer.from(match, 'latin1').toString('utf8') };
  });
}

const repo = oneCommitRepo(FILES);

for (const [name, patterns] of Object.entries(PATTERN_SETS)) {
  test(`PCRE finds what ERE finds: ${name}`, async () => {
    const { repo: dir, head } = await repo;
    const { value, invocations } = await counted('git', () => grepYaml(dir, head, ...patterns));
    // Debian's git, which the suite runs with, is built with PCRE; a git without it gets here with -P then -E.
    assert.ok(invocations.length === 1 && invocations[0]!.includes(' -P '), `git grep -P was not answered (is this git built without PCRE?): ${invocations.join('\n')}`);
    const expected = extendedRegexMatches(dir, head, patterns);
    assert.ok(expected.length >= 100, `the corpus exercises ${name}: ${expected.length} matches`);
    assert.equal(value, expected);
  });
}

/** Which syntax a logged git grep asked for. */
const syntaxOf = (invocation: string) => (invocation.includes(' -P ') ? '-P' : invocation.includes(' -E ') ? '-E' : invocation);

// Last in the file: once a git has refused -P, this process asks for ERE only.
test('a git without PCRE: ERE gives the same matches, and is asked first from then on', async () => {
  const { repo: dir, head } = await repo;
  const expected = await grepYaml(dir, head, KIND_LINE, MARKER_LINE, ANNOTATION_LINE);
  // git as built without USE_LIBPCRE answers -P (its words, as git 2.39 prints them).
  const bin = join(tempDir('hotfix-no-pcre-'), 'bin');
  mkdirSync(bin);
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nfor a in "$@"; do [ "$a" = -P ] && { echo 'fatal: cannot use Perl-compatible regexes when not compiled with USE_LIBPCRE' >&2; exit 128; }; done\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved}`;
  try {
    const first = await counted('git', () => grepYaml(dir, head, KIND_LINE, MARKER_LINE, ANNOTATION_LINE));
    assert.equal(first.value, expected);
    assert.equal(first.invocations.map(syntaxOf), ['-P', '-E']);
    const next = await counted('git', () => grepYaml(dir, head, KIND_LINE));
    assert.equal(next.invocations.map(syntaxOf), ['-E']);
    // Any other failure is still git's, reported as such.
    await grepYaml(dir, 'f'.repeat(40), KIND_LINE).then(
      () => assert.unreachable('a missing commit was grepped'),
      (error: Error) => assert.match(error.message, /git grep failed/),
    );
  } finally {
    process.env.PATH = saved;
  }
});

test.run();
