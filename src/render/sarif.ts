import type * as Sarif from 'sarif';
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { CODES, type DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

const RULE_IDS = Object.keys(CODES) as DiagnosticCode[];

/**
 * SARIF 2.1.0 for GitHub code scanning: every code as a rule, results with regions, and
 * file URIs relative to %SRCROOT% (the working directory, which CI sets to the checkout).
 */
export function renderSarif(diagnostics: readonly Diagnostic[], toolVersion: string, cwd: string): string {
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hotfix',
            version: toolVersion,
            informationUri: 'https://hotfix.dev/docs/codes',
            rules: RULE_IDS.map((id) => ({
              id,
              name: toPascalCase(CODES[id].title),
              shortDescription: { text: CODES[id].title },
              help: { text: CODES[id].help },
              defaultConfiguration: { level: CODES[id].severity },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href } },
        results: diagnostics.map((d) => result(d)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function result(d: Diagnostic): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: d.code,
    ruleIndex: RULE_IDS.indexOf(d.code),
    level: d.severity,
    message: { text: d.message },
  };
  if (d.file !== undefined) {
    const artifactLocation: Sarif.ArtifactLocation = isAbsolute(d.file)
      ? { uri: pathToFileURL(d.file).href }
      : { uri: d.file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
    const physicalLocation: Sarif.PhysicalLocation = { artifactLocation };
    if (d.range) {
      physicalLocation.region = {
        startLine: d.range.start.line,
        startColumn: d.range.start.col,
        endLine: d.range.end.line,
        endColumn: d.range.end.col,
      };
    }
    out.locations = [{ physicalLocation }];
  }
  return out;
}

function toPascalCase(title: string): string {
  return title.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, ch: string) => ch.toUpperCase());
}
