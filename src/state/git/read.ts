import { rm } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import type { FileAtRevision, TreeEntry } from '../types.js';
import { verifyRevision } from './resolve-revisions.js';
import { git } from './run-git.js';
import { objectView } from './object-view.js';
import { scratchDir } from '../scratch-dir.js';

/** Small named read-only git queries. Every ref and path reaching here was validated by the caller. */

/**
 * What `rev-parse` says of a repository that no command hotfix runs changes, read with the
 * check that it is one, and kept per path for the life of the process: each later question
 * would cost a git process (a hotfix apply asked for the common directory fifteen times).
 */
const FACT_OPTIONS = ['--is-shallow-repository', '--git-common-dir', '--show-object-format'];
const shallowness = new Map<string, boolean>();
const commonDirs = new Map<string, string>();
const objectFormats = new Map<string, string>();
/** Paths found to be a repository's top level: the check is not made twice (apply checks each repository before it prints the plan, and again as it starts). */
const topLevels = new Set<string>();

const absoluteIn = (repo: string, path: string) => (isAbsolute(path) ? path : join(repo, path));

export async function assertRepository(repo: string, name: string): Promise<void> {
  if (topLevels.has(repo)) return;
  // A path that is no directory cannot be run in, which only says it is no repository; git missing says more.
  const result = await git(repo, ['rev-parse', ...FACT_OPTIONS, '--show-prefix'], { okCodes: [128] }).catch((error: unknown) => {
    if (error instanceof HotfixError && error.diagnostics.some((d) => d.code === 'HF225')) throw error;
    return { code: 128, stdout: '' };
  });
  if (result.code !== 0) throw new HotfixError([diagnostic('HF201', `repository "${name}" at ${repo} is not a git repository`)]);
  const lines = result.stdout.split('\n');
  // One line per option, unless a path holds a line break: then ask for each on its own.
  const [shallow, common, format, prefix] = lines.length === 5 ? lines : [undefined, undefined, undefined, (await git(repo, ['rev-parse', '--show-prefix'])).stdout.trim()];
  if (shallow !== undefined && common !== undefined && format !== undefined) {
    shallowness.set(repo, shallow === 'true');
    commonDirs.set(repo, absoluteIn(repo, common));
    objectFormats.set(repo, format);
  }
  // A subdirectory of a work tree: git would find the repository, but the policy's paths
  // are from its top level, and some commands read them from the current directory.
  if (prefix) {
    const top = resolve(repo, ...prefix.split('/').filter(Boolean).map(() => '..'));
    throw new HotfixError([diagnostic('HF201', `repository "${name}" at ${repo} is the subdirectory ${prefix} of a git repository; bind its top level: --repo ${name}=${top}`)]);
  }
  topLevels.add(repo);
}

/** The object format (sha1, sha256) of a repository assertRepository has checked, or undefined. */
export function checkedObjectFormat(repo: string): string | undefined {
  return objectFormats.get(repo);
}

/** The git directory all work trees of the repository share (objects, refs, hotfix's own files), absolute. */
export async function commonGitDir(repo: string): Promise<string> {
  const known = commonDirs.get(repo);
  if (known !== undefined) return known;
  const common = absoluteIn(repo, (await git(repo, ['rev-parse', '--git-common-dir'])).stdout.replace(/\n$/, ''));
  commonDirs.set(repo, common);
  return common;
}

/** The commit a ref names, or undefined. */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  return verifyRevision(repo, `${ref}^{commit}`);
}

export async function listBranches(repo: string): Promise<string[]> {
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname:strip=2)', 'refs/heads']);
  return stdout.split('\n').filter(Boolean);
}

/** Directories on a file's path, root first: `a/b/c.yaml` → ['', 'a', 'a/b']. */
export function directoriesOf(path: string): string[] {
  const dirs = [''];
  const parts = posix.dirname(path).split('/').filter((p) => p && p !== '.');
  for (let i = 1; i <= parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
  return dirs;
}

const SYMLINK_MODE = '120000';

/** Reads objects through a running `git cat-file --batch`, so reading a file costs no process. */
export interface ObjectReader {
  read(object: string): Promise<string | undefined>;
  readRaw(object: string): Promise<Buffer | undefined>;
  readTree(object: string): Promise<Buffer | undefined>;
}

/** A tree object's binary entries: `MODE NAME\0` then 20 bytes of id, again and again. */
export function parseTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = space < 0 ? -1 : content.indexOf(0, space);
    if (nul < 0 || nul + 21 > content.length) break; // not a well-formed tree: read no further
    const mode = content.subarray(at, space).toString('latin1');
    entries.push({
      mode: mode === '40000' ? '040000' : mode,
      type: mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob',
      sha: content.subarray(nul + 1, nul + 21).toString('hex'),
      name: content.subarray(space + 1, nul).toString('utf8'),
    });
    at = nul + 21;
  }
  return entries;
}

export async function readFileAt(repo: string, rev: string, path: string, objects: ObjectReader): Promise<FileAtRevision> {
  const trees: Record<string, TreeEntry[]> = {};
  for (const dir of directoriesOf(path)) {
    const tree = await objects.readTree(dir ? `${rev}:${dir}` : `${rev}^{tree}`);
    trees[dir] = tree ? parseTree(tree) : [];
  }
  const entry = trees[posix.dirname(path) === '.' ? '' : posix.dirname(path)]?.find((e) => e.name === posix.basename(path));
  // A link's blob is the name of its target: patching that would rewrite the link.
  if (entry?.mode === SYMLINK_MODE) throw new HotfixError([diagnostic('HF217', `${path} is a symbolic link at ${rev.slice(0, 12)} in ${repo}; name the file it points to`)]);
  const bytes = entry?.type === 'blob' ? await objects.readRaw(entry.sha) : undefined;
  const text = bytes?.toString('utf8');
  if (!entry || text === undefined) throw new HotfixError([diagnostic('HF203', `${path} does not exist at ${rev.slice(0, 12)} in ${repo}`)]);
  // Bytes that are not UTF-8 were decoded to U+FFFD; a patch would write those back.
  if (text.includes('\uFFFD') && !isUtf8(bytes!))
    throw new HotfixError([diagnostic('HF211', `${path} at ${rev.slice(0, 12)} in ${repo} is not UTF-8 text, so it cannot be edited safely`)]);
  return { path, blob: entry.sha, text, trees };
}

/** Files a commit changed; against `parent` when given (a merge shows nothing by itself). */
export async function changedFiles(repo: string, sha: string, parent?: string): Promise<string[]> {
  const { stdout } = await git(repo, ['diff-tree', '--root', '--no-commit-id', '--name-only', '-r', '-z', '--end-of-options', ...(parent ? [parent] : []), sha]);
  return stdout.split('\0').filter(Boolean);
}

/** How to fetch what a shallow clone (CI's default checkout) cut off, as findings about one say it. */
export const FETCH_WHOLE_HISTORY = 'git fetch --unshallow; in GitHub Actions actions/checkout with fetch-depth: 0, in GitLab CI GIT_DEPTH: 0';

/** Whether the repository is a shallow clone: its history stops at grafted commits. */
export async function isShallow(repo: string): Promise<boolean> {
  return shallowness.get(repo) ?? (await git(repo, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
}

export interface TagRef {
  readonly name: string;
  /** The commit the tag points at, peeled through annotated tag objects. */
  readonly commit: string;
}

export async function listTags(repo: string): Promise<TagRef[]> {
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)', 'refs/tags']);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, object, peeled] = line.split('\0') as [string, string, string];
      return { name, commit: peeled || object };
    });
}

export async function isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
  const { code } = await git(repo, ['merge-base', '--is-ancestor', ancestor, descendant], { okCodes: [1] });
  return code === 0;
}

export async function mergeBase(repo: string, a: string, b: string): Promise<string | undefined> {
  const { code, stdout } = await git(repo, ['merge-base', a, b], { okCodes: [1] });
  return code === 0 ? stdout.trim() : undefined;
}

export interface FileChangeCount {
  readonly path: string;
  readonly added: number;
  readonly removed: number;
}

/**
 * Files that differ between two commits, with lines added and removed (binary: 0/0),
 * counted in an object view (object-view.ts) as the other diffs are: no `diff=` driver,
 * `-diff` or `binary` attribute of the repository changes a count.
 */
export async function diffStat(repo: string, from: string, to: string): Promise<FileChangeCount[]> {
  const scratch = await scratchDir('hotfix-diffstat-', 'counting changed lines', 'HF224');
  try {
    const view = await objectView(join(scratch, 'git'), join(await commonGitDir(repo), 'objects'));
    const { stdout } = await git(repo, ['diff', '--numstat', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', from, to, '--'], { env: view });
    const out: FileChangeCount[] = [];
    for (const entry of stdout.split('\0').filter(Boolean)) {
      const [added, removed, path] = entry.split('\t') as [string, string, string];
      out.push({ path, added: Number(added) || 0, removed: Number(removed) || 0 });
    }
    return out;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
