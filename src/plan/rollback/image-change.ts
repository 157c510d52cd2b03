import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { declaredImage, findImage, findImageInRevision, type ImageField, type ImageLocation } from '../../patch/find-image.js';
import { formatImageRef, parseImageRef } from '../../patch/image-ref.js';
import type { DocumentPatch } from '../../patch/patch-yaml.js';
import { imageAfter, setImageOps, shapedAsBefore } from '../../patch/set-image.js';
import type { Environment, Locator } from '../../policy/types.js';
import type { Deployment, RollbackState } from '../../state/types.js';

export interface ImageChange {
  readonly method: 'revert' | 'set-previous';
  readonly patches: readonly DocumentPatch[];
  readonly target: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The change that puts the target image back. A revert when the target is the value the
 * deploying commit replaced and its lines are unchanged since; otherwise the value is set
 * directly. Either way only this image's lines change. Pure.
 */
export function rollbackImageChange(env: Environment, image: string, state: RollbackState, target: Deployment, targetIndex: number, method: 'revert' | 'set-previous'): ImageChange {
  const locator = env.config.locator;
  const head = findImage(state.config.text, locator, image);
  const diagnostics: Diagnostic[] = [];
  let chosen = method;
  let targetImage = target.image;
  let location = head;

  if (method === 'revert') {
    const deploying = state.deployments[0]!.commit;
    if (targetIndex !== 1) {
      chosen = 'set-previous';
    } else {
      // The locator may not find it there: a later commit rewrote the marker comment on those lines.
      const atCommit = fieldsAtCommit(state, locator, image);
      if (!atCommit || !sameLines(head, state.config.text, atCommit, state.deploying.commitText)) {
        chosen = 'set-previous';
        diagnostics.push(diagnostic('HF308', `a later commit changed the line(s) ${deploying.sha.slice(0, 7)} set for ${image}, so the revert would not apply; the plan sets the previous value instead`));
      } else {
        if (state.deploying.parentText !== undefined) {
          // Only read, never edited: of a multi-document file only what can hold the image is parsed.
          const before = findImageInRevision(state.deploying.parentText, locator, image);
          targetImage = formatImageRef(before.current);
          location = shapedAsBefore(head, before);
        }
        const others = otherChanges(state, atCommit);
        if (others.length > 0)
          diagnostics.push(diagnostic('HF309', `commit ${deploying.sha.slice(0, 7)} also changed ${others.join(', ')}; only the ${image} change is reverted`));
      }
    }
  }
  const wanted = parseImageRef(targetImage);
  const patches = setImageOps(location, wanted, env.config.digest);
  // What the file will declare, which the plan shows: with config.digest keep or drop that
  // is not the target as it was deployed.
  const written = imageAfter(location, wanted, env.config.digest);
  // A kept pin on the deployed image's digest rolls back only the tag text: the cluster pulls by digest.
  if (env.config.digest === 'keep' && head.current.digest !== undefined && wanted.digest !== head.current.digest)
    diagnostics.push(
      diagnostic('HF360', `config.digest is keep, so ${env.config.file} would go on pinning ${head.current.digest}, the digest of the image deployed now, and the cluster would keep running it; set config.digest to update (or drop)`),
    );
  const shown = formatImageRef(written);
  // A digest kept or dropped makes the file differ from the one before the deploying commit: no revert then.
  return { method: chosen === 'revert' && shown !== targetImage ? 'set-previous' : chosen, patches, target: shown, diagnostics };
}

/** Where the deploying commit's text declares the image: as the walk read it, else found now. */
function fieldsAtCommit(state: RollbackState, locator: Locator, image: string): { readonly fields: readonly ImageField[] } | undefined {
  const { commitFields, commitText } = state.deploying;
  if (commitFields !== undefined) return commitFields === null ? undefined : { fields: commitFields };
  return declaredImage(commitText, locator, image) === undefined ? undefined : findImage(commitText, locator, image);
}

/** The lines holding the image at head are the ones the deploying commit wrote. */
function sameLines(head: ImageLocation, headText: string, atCommit: { readonly fields: readonly ImageField[] }, commitText: string): boolean {
  const headLines = headText.split('\n');
  const commitLines = commitText.split('\n');
  return head.fields.every((field) => {
    const other = atCommit.fields.find((f) => f.path === field.path && f.document === field.document);
    return other !== undefined && headLines[field.line - 1] === commitLines[other.line - 1];
  });
}

/** What else the deploying commit changed: other files, and other lines of this file. */
function otherChanges(state: RollbackState, atCommit: { readonly fields: readonly ImageField[] }): string[] {
  const others = state.deploying.changedFiles.filter((f) => f !== state.config.path);
  const before = state.deploying.parentText?.split('\n');
  const after = state.deploying.commitText.split('\n');
  const imageLines = new Set(atCommit.fields.map((f) => f.line));
  if (before && before.length === after.length) {
    const changed = after.filter((line, i) => line !== before[i] && !imageLines.has(i + 1)).length;
    if (changed > 0) others.unshift(`${changed} other line${changed === 1 ? '' : 's'} of ${state.config.path}`);
  } else if (before) {
    others.unshift(`other lines of ${state.config.path}`);
  }
  return others;
}
