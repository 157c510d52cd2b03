import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotfixFailure } from '../helpers/hotfix-failure.js';
import { findImage } from '../../src/patch/find-image.js';
import { formatImageRef, parseImageRef } from '../../src/patch/image-ref.js';
import { patchConfigText } from '../../src/patch/patch-config.js';
import type { PatchOp } from '../../src/patch/patch-yaml.js';
import { setImageOps } from '../../src/patch/set-image.js';
import { loadTypeScriptSupport } from '../../src/patch/typescript/load.js';
import type { Locator } from '../../src/policy/types.js';
import { ROOT } from '../helpers/run-cli.js';

await loadTypeScriptSupport();

const API = 'registry.example.com/team/api-js';
type TypeScriptLocator = NonNullable<Locator['typescript']>;

const locate = (text: string, locator: TypeScriptLocator, image = API) => findImage(text, { typescript: locator }, image);
const patch = (text: string, ...ops: PatchOp[]) => patchConfigText('config.ts', text, [{ document: 0, ops }]);

const failure = hotfixFailure;

test('an exported const: the field is the JSON pointer from the export, with its line', () => {
  const text = "export const config = {\n  api: { image: 'registry.example.com/team/api-js:main-26a4b87', replicas: 3 },\n};\n";
  assert.equal(locate(text, { export: 'config', path: 'api.image', holds: 'image' }), {
    fields: [{ document: 0, path: '/config/api/image', holds: 'image', line: 2 }],
    current: { name: API, tag: 'main-26a4b87' },
  });
});

test('export default of an object literal, through an array index', () => {
  const text = `export default { containers: [{ name: 'sidecar', image: 'envoy:1.30' }, { name: 'api', image: "${API}:main-26a4b87" }] };\n`;
  assert.equal(locate(text, { export: 'default', path: 'containers[1].image', holds: 'image' }), {
    fields: [{ document: 0, path: '/default/containers/1/image', holds: 'image', line: 1 }],
    current: { name: API, tag: 'main-26a4b87' },
  });
});

test('type annotations, as const, satisfies, <T>, ! and parentheses are seen through', () => {
  const shapes: readonly [string, string][] = [
    ['export const config: Config = { api: { image: "a:1" } } as const;', 'config'],
    ['export const config = { api: { image: "a:1" } } satisfies Config;', 'config'],
    ['export const config = (<Config>{ api: ({ image: "a:1" as const }) })!;', 'config'],
    ['const local = { api: { image: "a:1" } } as const satisfies Config;\nexport default local;', 'default'],
    ['const local = { api: { image: "a:1" } };\nexport default (local as Config);', 'default'],
    ['const local = { api: { image: "a:1" } };\nexport { local };', 'local'],
    ['const local = { api: { image: "a:1" } };\nexport { local as config, local as default };', 'config'],
    ['const local = { api: { image: "a:1" } };\nexport { local as config, local as default };', 'default'],
    ['export const config = { "api": { [\'image\']: "a:1" } };', 'config'],
  ];
  for (const [text, name] of shapes) assert.equal(locate(text, { export: name, path: 'api.image', holds: 'image' }, 'a').current, { name: 'a', tag: '1' }, text);
});

test('holds: tag: the literal is only the tag, the name is the app image', () => {
  const text = 'export const release = { api: { tag: `main-26a4b87` } };\n';
  assert.equal(locate(text, { export: 'release', path: 'api.tag', holds: 'tag' }), {
    fields: [{ document: 0, path: '/release/api/tag', holds: 'tag', line: 1 }],
    current: { name: API, tag: 'main-26a4b87' },
  });
});

test('HF207 names what was found instead of a string literal, and its line', () => {
  const at = (value: string) => failure(() => locate(`const REGISTRY = 'r';\nexport const config = {\n  api: {\n    image: ${value},\n  },\n};\n`, { export: 'config', path: 'api.image', holds: 'image' }));
  assert.is(at('IMAGE'), 'HF207 config.api.image at line 4 is the identifier IMAGE, not a string literal');
  assert.is(at("imageOf('api')"), "HF207 config.api.image at line 4 is a call imageOf('api'), not a string literal");
  assert.is(at('`${REGISTRY}/api-js:main-26a4b87`'), 'HF207 config.api.image at line 4 is a template with substitutions `${REGISTRY}/api-js:main-26a4b87`, not a string literal');
  assert.is(at('settings.api.image'), 'HF207 config.api.image at line 4 is a property access expression settings.api.image, not a string literal');
  assert.is(at('1.10'), 'HF207 config.api.image at line 4 is a numeric literal 1.10, not a string literal');
  assert.is(failure(() => locate('export const config = { api: apiConfig };', { export: 'config', path: 'api.image', holds: 'image' })), 'HF207 config.api at line 1 is the identifier apiConfig, not an object or array literal');
  assert.is(failure(() => locate('export const config = { image };', { export: 'config', path: 'image', holds: 'image' })), 'HF207 config.image at line 1 is a shorthand property assignment image, not a property with a value');
});

test('HF207 for a missing export or property, and for what hotfix does not follow', () => {
  const find = (text: string, name: string, path: string) => failure(() => locate(text, { export: name, path, holds: 'image' }));
  const cdk8s = "new KubeDeployment(this, 'api', { spec: { template: { spec: { containers: [{ image: `${REGISTRY}/api-js:main-26a4b87` }] } } } });\n";
  assert.is(find(cdk8s, 'default', 'spec.template.spec.containers[0].image'), 'HF207 the file has no export "default" (it exports nothing)');
  assert.is(find('export const config = {};\nexport class Chart {}\n', 'confg', 'image'), 'HF207 the file has no export "confg" (it exports config, Chart)');
  assert.is(find('export const config = {\n  api: { replicas: 3 },\n};\n', 'config', 'api.image'), 'HF207 config.api (line 2) has no property "image"');
  assert.is(find('export const config = { containers: [{}] };', 'config', 'containers[1].image'), 'HF207 config.containers (line 1) has no element 1 (it has 1)');
  assert.is(find('export const config = { containers: [, {}] };', 'config', 'containers[0].image'), 'HF207 config.containers (line 1) has a hole at element 0');
  assert.is(find('export const config = { containers: [] };', 'config', 'containers.image'), 'HF207 config.containers at line 1 is an array literal, so "image" names nothing in it');
  assert.is(find('export const config = { api: { ...defaults } };', 'config', 'api.image'), 'HF207 config.api (line 1) has no property "image"; it spreads ...defaults, which hotfix does not follow');
  assert.is(find('export const config = { containers: [...base, { image: "a:1" }] };', 'config', 'containers[1].image'), 'HF207 config.containers (line 1) spreads ...base before element 1, which hotfix does not follow');
  assert.is(find('export let config = { image: "a:1" };', 'config', 'image'), 'HF207 export "config" at line 1 is declared with let, not const, so it may be reassigned');
  assert.is(find('export { config } from "./base";', 'config', 'image'), 'HF207 export "config" at line 1 is re-exported from "./base", which hotfix does not follow');
  assert.is(find('import base from "./base";\nexport default base;', 'default', 'image'), 'HF207 export "default" at line 2 is base, imported from "./base", which hotfix does not follow');
  assert.is(find('export default function chart() {}', 'default', 'image'), 'HF207 export "default" at line 1 is a function declaration, not a const');
  assert.is(find('export const config = { image: "a:1" ;', 'config', 'image'), "HF207 the config file is not valid TypeScript (line 1): ',' expected.");
});

test('HF209 where the source holds the property twice, or a later spread may override it', () => {
  const find = (text: string) => failure(() => locate(text, { export: 'config', path: 'image', holds: 'image' }));
  assert.is(find('export const config = {\n  image: "a:1",\n  image: "a:2",\n};\n'), 'HF209 config has 2 properties "image", at lines 2, 3');
  assert.is(find('export const config = {\n  image: "a:1",\n  ...overrides,\n};\n'), 'HF209 config.image at line 2 may be overridden by the spread ...overrides after it, at line 3');
});

test('replace keeps the quotes of the literal and every other byte', () => {
  const op = (value: string): PatchOp => ({ op: 'replace', path: '/c/image', value });
  assert.is(patch("export const c = { image: 'a:1' }; // note\n", op('a:2')), "export const c = { image: 'a:2' }; // note\n");
  assert.is(patch('export const c = { image: "a:1" };\r\n', op('a:2')), 'export const c = { image: "a:2" };\r\n');
  assert.is(patch('export const c = { image: `a:1` as const };', op('a:2')), 'export const c = { image: `a:2` as const };');
  assert.is(patch("export const c = { image: 'it\\'s' };", op('a:2')), "export const c = { image: 'a:2' };");
});

test('replace escapes what each quote needs, and the value reads back', () => {
  const tricky = ["it's", 'say "hi"', 'back`tick', '${not} a $ubstitution', 'back\\slash', 'two\nlines\r\n', 'tab\tnul\0bell\x07', 'sep\u2028ara\u2029tor', 'emoji 🚀 é'];
  for (const quote of ["'", '"', '`']) {
    const text = `export const c = { image: ${quote}a:1${quote} };`;
    for (const value of tricky) {
      const patched = patch(text, { op: 'replace', path: '/c/image', value });
      assert.is(locate(patched, { export: 'c', path: 'image', holds: 'tag' }, 'x').current.tag, value, `${quote} ${JSON.stringify(value)}`);
      assert.ok(patched.startsWith(`export const c = { image: ${quote}`) && patched.endsWith(`${quote} };`), patched);
    }
  }
  assert.is(patch("export const c = { image: 'a:1' };", { op: 'replace', path: '/c/image', value: "it's" }), "export const c = { image: 'it\\'s' };");
  assert.is(patch('export const c = { image: `a:1` };', { op: 'replace', path: '/c/image', value: '${x}' }), 'export const c = { image: `\\${x}` };');
});

test('test ops check the value (HF320); only test and replace of strings in document 0 are supported', () => {
  const text = 'export const c = { image: "a:1", replicas: 3 };';
  assert.is(patch(text, { op: 'test', path: '/c/image', value: 'a:1' }), text);
  assert.is(failure(() => patch(text, { op: 'test', path: '/c/image', value: 'a:0' })), 'HF320 test failed at /c/image: expected "a:0", found "a:1"');
  assert.is(failure(() => patch(text, { op: 'test', path: '/c/image', value: 'a:0' }, { op: 'replace', path: '/c/image', value: 'a:2' })), 'HF320 test failed at /c/image: expected "a:0", found "a:1"');
  assert.is(failure(() => patch(text, { op: 'remove', path: '/c/image' })), 'HF322 remove at /c/image is not supported for TypeScript config, only test and replace');
  assert.is(failure(() => patch(text, { op: 'add', path: '/c/digest', value: 'sha256:0' })), 'HF322 add at /c/digest is not supported for TypeScript config, only test and replace');
  assert.is(failure(() => patch(text, { op: 'replace', path: '/c/image', value: 4 })), 'HF322 replace at /c/image writes 4, but only a string can be written into TypeScript config');
  assert.is(failure(() => patch(text, { op: 'replace', path: '/c/replicas', value: '4' })), 'HF207 c.replicas at line 1 is a numeric literal 3, not a string literal');
  assert.is(failure(() => patchConfigText('config.ts', text, [{ document: 1, ops: [] }])), 'HF321 a TypeScript file is one document, but the patch names document 1');
});

test('patchConfigText sends .ts, .mts and .cts to the TypeScript patcher, everything else to YAML', () => {
  const ops = [{ document: 0, ops: [{ op: 'replace', path: '/c/image', value: 'a:2' } as const] }];
  for (const path of ['deploy/config.ts', 'config.mts', 'config.cts'])
    assert.is(patchConfigText(path, "export const c = { image: 'a:1' };\n", ops), "export const c = { image: 'a:2' };\n", path);
  assert.is(patchConfigText('values.yaml', "c:\n  image: 'a:1'\n", ops), "c:\n  image: 'a:2'\n");
  assert.is(patchConfigText('ts/values.json', '{"c": {"image": "a:1"}}', ops), '{"c": {"image": "a:2"}}');
});

interface GoldenCase {
  readonly input: string;
  readonly expected: string;
  readonly locator: TypeScriptLocator;
  readonly image: string;
  readonly target: string;
}

const golden: readonly GoldenCase[] = [
  { input: 'cdk8s.input.ts', expected: 'cdk8s.expected.ts', locator: { export: 'config', path: 'api.image', holds: 'image' }, image: API, target: `${API}:main-0ddba11` },
  {
    input: 'pulumi.input.ts',
    expected: 'pulumi.expected.ts',
    locator: { export: 'default', path: 'containers[0].image', holds: 'image' },
    image: 'registry.example.com/team/billing-api',
    target: 'registry.example.com/team/billing-api:main-0ddba11',
  },
  {
    input: 'pulumi.input.ts',
    expected: 'pulumi.migrations.expected.ts',
    locator: { export: 'migrations', path: 'tag', holds: 'tag' },
    image: 'registry.example.com/team/billing-migrations',
    target: 'registry.example.com/team/billing-migrations:v2.14.1',
  },
];

const read = (file: string) => readFileSync(join(ROOT, 'fixtures', 'patch', file), 'utf8');

/** What the plan does: find the image, make the ops, patch the file. */
function setImage(file: string, text: string, c: GoldenCase, target: string): string {
  const location = findImage(text, { typescript: c.locator }, c.image);
  return patchConfigText(file, text, setImageOps(location, parseImageRef(target), 'update'));
}

for (const c of golden) {
  test(`${c.expected} from ${c.input}, and back`, () => {
    const input = read(c.input);
    const patched = setImage(c.input, input, c, c.target);
    assert.fixture(patched, read(c.expected));
    const previous = findImage(input, { typescript: c.locator }, c.image).current;
    assert.fixture(setImage(c.input, patched, c, formatImageRef(previous)), input);
  });
}

test('every TypeScript fixture file takes part in a case', () => {
  const used = new Set(golden.flatMap((c) => [c.input, c.expected]));
  assert.equal(readdirSync(join(ROOT, 'fixtures', 'patch')).filter((f) => f.endsWith('.ts') && !used.has(f)), []);
});

test.run();
