/**
 * Every finding the tool can report, in one place. A code is never reused for another
 * meaning; retired codes stay listed. README's code table is checked against this list.
 */
export type Severity = 'error' | 'warning';

export interface CodeInfo {
  readonly title: string;
  readonly severity: Severity;
  /** What to do about it; shown in SARIF help and the README. */
  readonly help: string;
}

export const CODES = {
  // HF1xx: policy files
  HF100: { title: 'path not readable', severity: 'error', help: 'Check the path: it must exist and be a readable file or directory.' },
  HF101: { title: 'not a text file', severity: 'error', help: 'Policy files are UTF-8 YAML text; binary data and other encodings are not read.' },
  HF102: { title: 'YAML syntax error', severity: 'error', help: 'Fix the YAML at the position shown.' },
  HF103: { title: 'duplicate key', severity: 'error', help: 'Each key may appear once per mapping; remove or rename one of them.' },
  HF104: { title: 'file too large', severity: 'error', help: 'Policy files are limited to 1 MiB; split the file or remove what is not policy.' },
  HF105: { title: 'resource exhaustion', severity: 'error', help: 'Too many aliases or too deep nesting; write the values out plainly.' },
  HF106: { title: 'no policy in file', severity: 'warning', help: 'The file holds no document with `kind: HotfixPolicy`; check the file name or its kind.' },
  HF110: { title: 'unknown property', severity: 'error', help: 'Remove the property or correct its spelling; the schema lists every property.' },
  HF111: { title: 'missing property', severity: 'error', help: 'Add the required property.' },
  HF112: { title: 'wrong type', severity: 'error', help: 'Give the value the type the schema asks for.' },
  HF113: { title: 'value not allowed', severity: 'error', help: 'Use one of the allowed values.' },
  HF114: { title: 'value out of bounds', severity: 'error', help: 'The value breaks a limit or format of the schema; see the message.' },
  HF120: { title: 'undeclared environment', severity: 'error', help: 'Declare the environment under spec.environments or correct the name.' },
  HF121: { title: 'unknown placeholder', severity: 'error', help: 'Use only the placeholders listed for this template.' },
  HF122: { title: 'invalid git ref name', severity: 'error', help: 'The template can never give a valid git ref name (see git check-ref-format); remove the offending characters.' },
  HF123: { title: 'invalid regular expression', severity: 'error', help: 'Fix the regular expression (JavaScript syntax).' },
  HF124: { title: 'config path outside the repository', severity: 'error', help: 'Give the path relative to the repository root, without `..` segments.' },
  HF125: { title: 'duplicate policy name', severity: 'error', help: 'Policy names must be unique across every file; rename one of them.' },
  HF126: { title: 'hotfix bypasses every environment', severity: 'error', help: 'A hotfix must be deployed somewhere: remove at least one environment from hotfix.bypass.' },
  HF127: { title: 'merge-back into the release branch', severity: 'error', help: 'The release branch already receives the hotfix; list it once, under hotfix.release or hotfix.mergeBack.' },
  HF128: { title: 'duplicate environment', severity: 'error', help: 'Environment names must be unique within a policy.' },
  HF129: { title: 'invalid image tag format', severity: 'error', help: 'An image tag is at most 128 characters of letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.' },
  HF130: { title: 'setting cannot work', severity: 'error', help: 'A setting lacks what it needs to work (see the message): add it, or remove the setting.' },
  HF131: { title: 'invalid baseline', severity: 'error', help: 'baselineFor must name another environment, and that environment must not itself take a baseline.' },
  HF132: { title: 'locator names another image', severity: 'warning', help: 'The config locator names an image other than app.image; hotfix would patch the wrong image.' },
  HF133: { title: 'setting has no effect', severity: 'warning', help: 'Remove the setting, or add what it depends on (see the message).' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function codeInfo(code: DiagnosticCode): CodeInfo {
  return CODES[code];
}
