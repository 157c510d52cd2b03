import { readFileSync, statSync } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { parseImageRef } from '../../patch/image-ref.js';
import { resolveCommit } from '../git/read.js';
import { scratchDir } from '../scratch-dir.js';
import { exportTree } from './export-tree.js';
import { findImageWinner, type ReadFile } from './find-image-winner.js';
import { removeEscapingLinks } from './remove-escaping-links.js';
import { renderedImage, renderedImagesNamed } from './rendered-image.js';
import { repoPath } from './repo-path.js';
import { kustomize } from './run-kustomize.js';
import { isPlannedImage } from './same-image.js';
import { writePlannedFiles } from './write-planned-files.js';

export interface RenderCheckRequest {
  /** Path of a git repository (work tree or bare). */
  readonly repo: string;
  /** The commit whose tree is rendered… */
  readonly commit: string;
  /** …with these files replaced (the planned patch), by repository-relative path. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** Repository-relative kustomize directory: the one that is deployed. */
  readonly renderDir: string;
  /** `kind/name`, kind in any case: `deployment/api-js`; with `container`. Without them every container running an image of the planned name is checked. */
  readonly workload?: string;
  readonly container?: string;
  /** The image the plan intends: `name:tag` or `name:tag@digest`. */
  readonly image: string;
}

/**
 * `ok: false` without `image`: the render has no such workload or container (or, with none
 * named, no container of the image). With it: an image that would run instead, and
 * `winner`, the repository-relative file that sets it (when one is found), for HF343.
 */
export type RenderCheckResult =
  | { readonly ok: true; readonly image: string }
  | { readonly ok: false; readonly image?: string; readonly winner?: string };

/**
 * Renders `renderDir` of `commit` with the planned files, as `kubectl kustomize` would
 * deploy it, and checks the workload's container runs the planned image (every container
 * of that image's name, where the policy names no workload). Works on an
 * export of the tree in a temp dir, removed afterwards: the repository is only read.
 */
export async function renderCheck(request: RenderCheckRequest, kubectl = 'kubectl'): Promise<RenderCheckResult> {
  return renderTree(request, request.renderDir, `commit ${request.commit.slice(0, 12)} with the planned change`, kubectl, (output, root, renderDir) => {
    const images = request.workload !== undefined && request.container !== undefined ? [renderedImage(output, request.workload, request.container, renderDir)].filter((i): i is string => i !== undefined) : renderedImagesNamed(output, parseImageRef(request.image).name, renderDir);
    if (images.length === 0) return { ok: false };
    const image = images.find((i) => !isPlannedImage(i, request.image));
    if (image === undefined) return { ok: true, image: images[0]! };
    // The rendered name as well: a newName or a patch may have renamed the image on the way.
    const names = [...new Set([parseImageRef(request.image).name, parseImageRef(image).name])];
    const winner = findImageWinner(readerOf(root), renderDir, names);
    return { ok: false, image, ...(winner !== undefined && { winner }) };
  });
}

/**
 * Renders `dir` of `commit` with `files` written over it, as `kubectl kustomize` would
 * deploy it, and hands the output and the exported tree to `read`. Works on an export of
 * the tree in a temp dir, removed afterwards: the repository is only read.
 */
export async function renderTree<T>(
  request: { readonly repo: string; readonly commit: string; readonly files: RenderCheckRequest['files'] },
  dir: string,
  context: string,
  kubectl: string,
  read: (output: string, root: string, renderDir: string) => T,
): Promise<T> {
  const renderDir = repoPath(dir);
  if (renderDir === undefined) throw outside('render directory', dir);
  const files = request.files.map((file) => {
    const path = repoPath(file.path);
    if (!path) throw outside('planned file', file.path);
    return { path, text: file.text };
  });
  const commit = await resolveCommit(request.repo, request.commit);
  if (!commit) throw new HotfixError([diagnostic('HF202', `commit ${request.commit} not found in ${request.repo}`)]);

  // realpath: kubectl reports files by their resolved path, which is stripped from its messages.
  const scratch = await realpath(await scratchDir('hotfix-render-', 'the render check', 'HF224'));
  try {
    const root = join(scratch, 'tree');
    await mkdir(root);
    await exportTree(request.repo, commit, root, scratch);
    await writePlannedFiles(root, files);
    await removeEscapingLinks(root);
    return read(await kustomize(kubectl, root, renderDir, context), root, renderDir);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function outside(what: string, path: string): HotfixError {
  return new HotfixError([diagnostic('HF210', `${what} "${path}" is not a path inside the repository`)]);
}

/** Regular files only: a committed symlink to a device or a pipe must not hang the walk. */
function readerOf(root: string): ReadFile {
  return (path) => {
    const file = join(root, path);
    try {
      return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}
