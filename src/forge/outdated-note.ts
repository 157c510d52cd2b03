import { codeSpan } from '../render/markdown-literal.js';
import { markedBody, readMarker } from './comment-marker.js';

/**
 * What an older plan note becomes where a forge cannot hide it (GitLab): its marker, retired,
 * so no later run takes it up again, over one line naming the plan it showed and linking the
 * current plan comment. The old text goes: left in full, a reader scrolling the merge
 * request would meet every earlier plan as if it still held. Pure.
 */
export function outdatedNoteBody(retiredBody: string, currentUrl: string): string {
  const { marker } = readMarker(retiredBody)!;
  const showed = marker.plan === 'none' ? 'the findings of a refused plan' : `plan ${codeSpan(marker.plan)}`;
  const part = marker.parts > 1 ? ` (part ${marker.part} of ${marker.parts})` : '';
  // The address comes from the forge: linked only when it cannot leave the link.
  const current = /^https?:\/\/[^\s<>()[\]`]+$/.test(currentUrl) ? `[the current plan comment](${currentUrl})` : `the current plan comment, ${codeSpan(currentUrl)}`;
  return markedBody({ ...marker, state: 'retired' }, `**Outdated**: this note showed ${showed}${part}; a newer plan replaced it. See ${current}.\n`);
}
