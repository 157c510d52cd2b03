import type { AnnotatedObject } from '../types.js';
import type { CatFileBatch } from './cat-file.js';
import { annotatedObjectsIn } from './scan-automation.js';
import { filesMatching, textThroughLastMatch } from './scan-flux.js';

export const APPLICATION_LINE = `kind["']?[[:space:]]*:[[:space:]]*["']?Application(Set)?["']?[[:space:]]*$`;
const APPLICATION_DOCUMENT = /kind["']?[ \t]*:[ \t]*["']?Application(Set)?["']?[ \t\r]*$/m;

/**
 * The Argo CD Applications and ApplicationSets at `rev`, annotated or not: an ImageUpdater
 * resource selects Applications by name, and only their source path says which config they
 * render (an ApplicationSet's, once its generators are read). Asked
 * for only where the repository holds an ImageUpdater, so a repository of hundreds of
 * Applications without one reads none of them.
 */
export async function argoApplications(repo: string, rev: string, blobs: CatFileBatch): Promise<AnnotatedObject[]> {
  const files = await filesMatching(repo, rev, APPLICATION_LINE);
  const texts = await Promise.all(files.map((file) => textThroughLastMatch(repo, rev, file, blobs)));
  return files.flatMap((file, i) => (texts[i] === undefined ? [] : annotatedObjectsIn(file.path, texts[i]!, APPLICATION_DOCUMENT))).filter((o) => (o.kind === 'Application' || o.kind === 'ApplicationSet') && o.apiVersion.startsWith('argoproj.io/'));
}
