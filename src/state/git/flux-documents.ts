/**
 * The documents of a YAML file that may hold a Flux image automation object, each with its
 * index in the file, found without parsing: a file of Flux objects may also hold a 16 MiB
 * ConfigMap, which need not be read at all. Pure.
 *
 * A document may hold one only if one of its lines matches what `git grep` looked for to
 * pick the file (scan-flux.ts; `lines`, which scan-automation.ts sets to its own pattern). Documents are split at `---` lines, which is exact only
 * where every line starting with `---` is a bare marker and there are no `...` end
 * markers, directives, byte order marks or carriage returns of their own (which JavaScript
 * starts a line after, and a parser may not): for any other text, undefined (read it whole).
 */
export function fluxCandidateDocuments(text: string, lines: RegExp = FLUX_KIND): Array<{ readonly text: string; readonly document: number }> | undefined {
  if (text.includes('\ufeff') || /\r(?!\n)/.test(text) || /^(?:\.\.\.|%)/m.test(text) || /^---(?![ \t]*(?:#.*)?$)/m.test(text)) return undefined;
  const pieces = text.split(/^---[ \t]*(?:#.*)?$/m);
  // Before the first marker, blank and comment lines are no document of their own.
  const skipped = pieces.length > 1 && /^(?:[ \t]*(?:#[^\r\n]*)?\r?(?:\n|$))*$/.test(pieces[0]!) ? 1 : 0;
  const out: Array<{ text: string; document: number }> = [];
  pieces.forEach((piece, i) => {
    if (i >= skipped && lines.test(piece)) out.push({ text: piece, document: i - skipped });
  });
  return out;
}

/** The lines `git grep` picks files by (scan-flux.ts), line by line: POSIX [[:space:]] within a line. */
const FLUX_KIND = /kind["']?[ \t\v\f\r]*:[ \t\v\f\r]*(?:!!str[ \t\v\f\r]+)?["']?Image(?:UpdateAutomation|Policy|Repository)/;
