import { parse } from 'yaml';
import { apiJsPolicyYaml } from '../../fixtures/gitops-policies.js';

/** A policy file that no command may accept, and the code lint must give it. */
export interface HostilePolicy {
  readonly label: string;
  readonly content: string | Buffer;
  readonly code: string;
}

/** The GitOps scenario's valid policy (api-js), which the hostile ones start from. */
export const VALID = apiJsPolicyYaml();
const HEAD = 'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\n';
const json = () => parse(VALID) as Record<string, unknown>;

/** `VALID` with one line replaced: the line `  KEY: …` at that indentation. */
function withLine(pattern: RegExp, replacement: string): string {
  if (!pattern.test(VALID)) throw new Error(`no line ${pattern} in the valid policy`);
  return VALID.replace(pattern, replacement);
}

function billionLaughs(): string {
  let text = `${HEAD}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  return text;
}

/** Malformed and hostile YAML and JSON: syntax, encodings, parser bombs, prototype keys, tags. */
export const MALFORMED_POLICIES: readonly HostilePolicy[] = [
  { label: 'unclosed flow sequence', content: `${HEAD}spec: [\n`, code: 'HF102' },
  { label: 'unclosed flow mapping', content: `${HEAD}metadata: {name: x\n`, code: 'HF102' },
  { label: 'unclosed double quote', content: withLine(/ {2}name: api-js/, '  name: "api-js'), code: 'HF102' },
  { label: 'unclosed single quote', content: withLine(/ {2}name: api-js/, "  name: 'api-js"), code: 'HF102' },
  { label: 'tab indentation', content: `${HEAD}metadata:\n\tname: x\n`, code: 'HF102' },
  { label: 'inconsistent indentation', content: `${HEAD}metadata:\n    name: x\n  description: y\n`, code: 'HF102' },
  { label: 'missing comma in a flow mapping', content: `${HEAD}metadata: {name: a description: b}\n`, code: 'HF1' },
  { label: 'block sequence inside a mapping value line', content: `${HEAD}metadata: - a\n`, code: 'HF102' },
  { label: 'duplicate top-level key', content: `${VALID}spec: {}\n`, code: 'HF103' },
  { label: 'duplicate nested key', content: withLine(/ {2}name: api-js/, '  name: api-js\n  name: other'), code: 'HF103' },
  { label: 'undefined alias', content: withLine(/ {2}name: api-js/, '  name: *nowhere'), code: 'HF102' },
  { label: 'alias bomb', content: billionLaughs(), code: 'HF105' },
  { label: 'flow nesting 10,000 deep', content: `${HEAD}spec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, code: 'HF105' },
  { label: 'flow mappings 10,000 deep', content: `${HEAD}spec: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`, code: 'HF105' },
  { label: 'block nesting past the size limit', content: `${HEAD}spec:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}`, code: 'HF104' },
  { label: 'a NUL byte', content: Buffer.concat([Buffer.from(HEAD), Buffer.from([0]), Buffer.from('\n')]), code: 'HF101' },
  { label: 'ELF header', content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]), code: 'HF101' },
  { label: 'Latin-1 byte', content: Buffer.concat([Buffer.from(`${HEAD}metadata: {name: caf`), Buffer.from([0xe9]), Buffer.from('}\n')]), code: 'HF101' },
  { label: 'UTF-16 with a byte order mark', content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]), code: 'HF101' },
  { label: 'overlong UTF-8 encoding', content: Buffer.concat([Buffer.from(HEAD), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]), code: 'HF101' },
  { label: 'file over 1 MiB', content: `${VALID}#${'x'.repeat(1024 * 1024)}\n`, code: 'HF104' },
  { label: 'truncated JSON', content: JSON.stringify(json()).slice(0, 120), code: 'HF102' },
  { label: 'JSON with trailing garbage', content: `${JSON.stringify(json())} }`, code: 'HF102' },
  { label: 'JSON with a comment', content: JSON.stringify(json(), null, 2).replace('{\n', '{\n  // a comment\n'), code: 'HF1' },
  { label: 'JSON duplicate key', content: JSON.stringify(json()).replace('{', '{"kind":"HotfixPolicy",'), code: 'HF103' },
  { label: 'JSON __proto__ at the root', content: JSON.stringify(json()).replace('{', '{"__proto__":{"polluted":true},'), code: 'HF110' },
  { label: 'JSON __proto__ in spec', content: JSON.stringify(json()).replace('"spec":{', '"spec":{"__proto__":{"hotfix":{"reasons":["security"]}},'), code: 'HF110' },
  { label: 'JSON constructor.prototype', content: JSON.stringify(json()).replace('{', '{"constructor":{"prototype":{"polluted":true}},'), code: 'HF110' },
  { label: 'YAML __proto__ key in metadata', content: withLine(/ {2}name: api-js/, '  name: api-js\n  __proto__: {name: other}'), code: 'HF110' },
  { label: 'merge key', content: `${HEAD}base: &base {name: x}\nmetadata:\n  <<: *base\n`, code: 'HF1' },
  { label: 'binary tag', content: withLine(/ {2}name: api-js/, '  name: !!binary SG90Zml4'), code: 'HF112' },
  { label: 'set tag', content: withLine(/ {2}name: api-js/, '  name: !!set {a, b}'), code: 'HF112' },
  { label: 'python object tag', content: withLine(/ {2}name: api-js/, '  name: !<tag:yaml.org,2002:python/object/apply:os.system> [id]'), code: 'HF112' },
  { label: 'complex mapping key', content: withLine(/ {2}name: api-js/, '  ? [a, b]\n  : c\n  name: api-js'), code: 'HF1' },
  { label: 'raw BEL control character', content: withLine(/ {2}name: api-js/, '  name: api\x07js'), code: 'HF1' },
  { label: 'terminal escape in a value', content: withLine(/ {2}name: api-js/, '  name: "api-\\e[2Jjs"'), code: 'HF114' },
  { label: 'every section null', content: `${HEAD}metadata: ~\nspec: ~\n`, code: 'HF112' },
  { label: 'integer too large', content: `${VALID}  hotfix:\n    reasons: [security]\n    maxCommits: 1e400\n`, code: 'HF1' },
  { label: 'not a number', content: `${VALID}  hotfix:\n    reasons: [security]\n    maxCommits: .nan\n`, code: 'HF112' },
  { label: 'other apiVersion', content: VALID.replace('hotfix.dev/v1alpha1', 'hotfix.dev/v9'), code: 'HF113' },
  { label: 'broken second document', content: `${VALID}---\n${HEAD}spec: [\n`, code: 'HF102' },
  { label: 'document end then garbage', content: `${VALID}...\n: : :\n`, code: 'HF102' },
  { label: 'carriage returns only', content: VALID.replace(/\n/g, '\r'), code: 'HF1' },
];

/** A 10,000-element list where at most a few make sense, in each place lists appear. */
export const HUGE_POLICIES: readonly HostilePolicy[] = [
  { label: '10,000 reasons', content: `${VALID}  hotfix:\n    reasons: [${Array(10_000).fill('boredom').join(', ')}]\n`, code: 'HF113' },
  {
    label: '10,000 environments without a config',
    content: withLine(/ {2}environments:\n/, `  environments:\n${Array(10_000).fill('    - {name: production}\n').join('')}`),
    code: 'HF111',
  },
  { label: '10,000 unknown properties', content: `${VALID}${Array.from({ length: 10_000 }, (_, i) => `unknown${i}: x\n`).join('')}`, code: 'HF110' },
  { label: 'an implicit key of 500 KB', content: `${VALID}${'k'.repeat(500_000)}: x\n`, code: 'HF102' },
  { label: 'an explicit unknown key of 500 KB', content: `${VALID}? ${'k'.repeat(500_000)}\n: x\n`, code: 'HF110' },
  { label: 'a 900 KB description', content: withLine(/ {2}description: .*/, `  description: ${'d'.repeat(900_000)}`), code: 'HF114' },
  { label: '10,000 bypassed environments', content: `${VALID}  hotfix:\n    reasons: [security]\n    bypass: [${Array(10_000).fill('nowhere').join(', ')}]\n`, code: 'HF114' },
  { label: '10,000 distinct undeclared bypasses', content: `${VALID}  hotfix:\n    reasons: [security]\n    bypass: [${Array.from({ length: 10_000 }, (_, i) => `env${i}`).join(', ')}]\n`, code: 'HF120' },
];
