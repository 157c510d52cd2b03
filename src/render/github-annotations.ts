import { CODES } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** GitHub Actions workflow commands (`::error file=…,line=…::message`), one per finding. */
export function renderGithubAnnotations(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props: string[] = [];
      if (d.file !== undefined) props.push(`file=${escapeProperty(d.file)}`);
      if (d.range) {
        props.push(`line=${d.range.start.line}`, `col=${d.range.start.col}`);
        props.push(`endLine=${d.range.end.line}`, `endColumn=${d.range.end.col}`);
      }
      props.push(`title=${escapeProperty(`${d.code} ${CODES[d.code].title}`)}`);
      return `::${d.severity} ${props.join(',')}::${escapeData(d.message)}\n`;
    })
    .join('');
}

// Escaping as in @actions/core's command.ts.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
