import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../helpers/run-cli.js';

// A fresh process, since this one may have loaded ts-morph already. ts-morph and the
// compiler it bundles are CommonJS, so whether they were loaded shows in require.cache.
const script = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((p) => /[\\\\/]node_modules[\\\\/](ts-morph|@ts-morph|typescript)[\\\\/]/.test(p)).length;
const { findImage } = await import('./src/patch/find-image.js');
const { setImageOps } = await import('./src/patch/set-image.js');
const { patchConfigText } = await import('./src/patch/patch-config.js');
await import('./src/plan/build-commit.js');
const { loadTypeScriptSupport } = await import('./src/patch/typescript/load.js');
const text = 'image: registry.example.com/team/api-js:main-1a2b3c4 # {"$imagepolicy": "flux-system:api-js"}\\n';
const location = findImage(text, { fluxImagePolicy: 'flux-system:api-js' }, 'registry.example.com/team/api-js');
const patched = patchConfigText('deploy.yaml', text, setImageOps(location, { name: 'registry.example.com/team/api-js', tag: 'main-0ddba11' }, 'update'));
const afterYaml = loaded();
const typescript = { typescript: { export: 'config', path: 'image', holds: 'image' } };
const tsText = "export const config = { image: 'a:1' };";
let unloaded;
try { findImage(tsText, typescript, 'a'); } catch (error) { unloaded = error.message; }
await loadTypeScriptSupport();
console.log(JSON.stringify({ patched, afterYaml, unloaded, afterLoad: loaded(), found: findImage(tsText, typescript, 'a').current }));
`;

test('YAML finding and patching never load ts-morph; TypeScript config needs loadTypeScriptSupport first, which does', () => {
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const result = JSON.parse(output) as { patched: string; afterYaml: number; unloaded: string; afterLoad: number; found: unknown };
  assert.is(result.patched, 'image: registry.example.com/team/api-js:main-0ddba11 # {"$imagepolicy": "flux-system:api-js"}\n');
  assert.is(result.afterYaml, 0, 'loaded by YAML work');
  assert.is(result.unloaded, 'TypeScript config was reached before loadTypeScriptSupport() loaded ts-morph');
  assert.ok(result.afterLoad > 0, 'not loaded by loadTypeScriptSupport');
  assert.equal(result.found, { name: 'a', tag: '1' });
});

test.run();
