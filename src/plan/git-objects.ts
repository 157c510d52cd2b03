import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Person, TreeEntry } from '../state/types.js';

/**
 * Git's object ids computed in process, so a plan can name the exact blobs, trees and
 * commits apply will write (apply writes these same bytes and checks the ids).
 */
export function objectId(type: GitObject['type'], content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');
}

export function blobId(text: string): string {
  return objectId('blob', Buffer.from(text, 'utf8'));
}

/** Git sorts tree entries by name, comparing a subtree's name as if it ended in "/". */
function sortKey(entry: TreeEntry): string {
  return entry.type === 'tree' ? `${entry.name}/` : entry.name;
}

export function treeBytes(entries: readonly TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(sortKey(a)), Buffer.from(sortKey(b))));
  return Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')])));
}

export interface GitObject {
  readonly type: 'blob' | 'tree' | 'commit' | 'tag';
  readonly id: string;
  /** base64, so objects travel inside JSON plans unchanged. */
  readonly content: string;
}

function object(type: GitObject['type'], content: Buffer): GitObject {
  return { type, id: objectId(type, content), content: content.toString('base64') };
}

export type Trees = Readonly<Record<string, readonly TreeEntry[]>>;

/**
 * Puts a new blob at `path` and rebuilds every tree on the way to the root. `trees` must
 * hold the directories on the path (as FileAtRevision.trees does). Pure.
 */
export function writeFile(trees: Trees, path: string, text: string): { trees: Trees; root: string; objects: GitObject[] } {
  const blob = object('blob', Buffer.from(text, 'utf8'));
  const next: Record<string, readonly TreeEntry[]> = { ...trees };
  const objects: GitObject[] = [blob];
  let dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  let child: TreeEntry = { mode: modeOf(trees, path) ?? '100644', type: 'blob', sha: blob.id, name: posix.basename(path) };
  for (;;) {
    const entries = (next[dir] ?? []).filter((e) => e.name !== child.name).concat(child);
    next[dir] = entries;
    const tree = object('tree', treeBytes(entries));
    objects.push(tree);
    if (dir === '') return { trees: next, root: tree.id, objects };
    child = { mode: '040000', type: 'tree', sha: tree.id, name: posix.basename(dir) };
    dir = posix.dirname(dir) === '.' ? '' : posix.dirname(dir);
  }
}

function modeOf(trees: Trees, path: string): string | undefined {
  const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  return trees[dir]?.find((e) => e.name === posix.basename(path))?.mode;
}

/** `2021-01-11T15:07:07+00:00` → `1610377627 +0000`, git's own date form. */
export function gitDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  const offset = /([+-])(\d\d):?(\d\d)$/.exec(iso);
  const tz = offset ? `${offset[1]}${offset[2]}${offset[3]}` : '+0000';
  return `${Math.floor(ms / 1000)} ${tz}`;
}

export function commitObject(fields: { tree: string; parents: readonly string[]; author: Person; committer: Person; message: string }): GitObject {
  const message = fields.message.endsWith('\n') ? fields.message : `${fields.message}\n`;
  const lines = [
    `tree ${fields.tree}`,
    ...fields.parents.map((p) => `parent ${p}`),
    `author ${fields.author.name} <${fields.author.email}> ${gitDate(fields.author.date)}`,
    `committer ${fields.committer.name} <${fields.committer.email}> ${gitDate(fields.committer.date)}`,
  ];
  return object('commit', Buffer.from(`${lines.join('\n')}\n\n${message}`, 'utf8'));
}

/** An annotated tag object, as `git tag -a` writes it. */
export function tagObject(fields: { target: string; name: string; tagger: Person; message: string }): GitObject {
  const message = fields.message.endsWith('\n') ? fields.message : `${fields.message}\n`;
  const text = `object ${fields.target}\ntype commit\ntag ${fields.name}\ntagger ${fields.tagger.name} <${fields.tagger.email}> ${gitDate(fields.tagger.date)}\n\n${message}`;
  return { type: 'tag', id: objectId('tag', Buffer.from(text, 'utf8')), content: Buffer.from(text, 'utf8').toString('base64') };
}
