import { parseDocument } from 'yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { parseYamlSource } from '../../src/patch/yaml-source.js';
import { fluxObjectsIn } from '../../src/state/git/scan-flux.js';
import { nestedCollectionKey } from '../../src/yaml/key-nesting.js';

/** The source text of the key nestedCollectionKey finds, or undefined. */
function found(text: string): string | undefined {
  const range = nestedCollectionKey(parseDocument(text))?.range;
  return range ? text.slice(range[0], range[1]).trim() : undefined;
}

test('a collection key alone, or scalar keys inside one, are allowed', () => {
  for (const text of ['a: 1\n', '? [a, b]\n: 1\n', '? ? a\n', '{[a]: 1, {b: c}: 2}\n', '? {a: {b: [x]}}\n: 1\n', 'list:\n  - ? [a]\n    : 1\n'])
    assert.is(found(text), undefined, text);
});

test('a collection key inside a collection key is found, at any depth and in flow or block style', () => {
  assert.is(found('? ? ? a\n'), '? a');
  assert.is(found('? {a: {[x]: 1}}\n: 1\n'), '[x]');
  assert.is(found('outer:\n  - {? {[deep]: 1}: 2}\n'), '[deep]');
  assert.is(found('? {a: {[first]: 1}}\n: 1\n? {b: {[second]: 1}}\n: 2\n'), '[first]');
  assert.ok(found(`${'? '.repeat(5000)}a\n`) !== undefined, 'deep nesting does not overflow the stack');
});

test('a config file with keys in keys is refused before any edit (HF211), and Flux scanning skips the document', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\n? ? ? x\n';
  try {
    parseYamlSource(text);
    assert.unreachable('parsed');
  } catch (error) {
    assert.instance(error, HotfixError);
    assert.is((error as HotfixError).diagnostics[0]!.code, 'HF211');
    assert.match((error as HotfixError).diagnostics[0]!.message, /line 3\): a mapping key holds another mapping key/);
  }
  // The anchor makes the quick parse decline, so the document is read with `yaml`.
  const flux = 'apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageUpdateAutomation\nmetadata: &m {name: a, namespace: flux-system}\nspec: {update: {path: ./}}\n';
  assert.is(fluxObjectsIn('auto.yaml', flux).length, 1);
  assert.is(fluxObjectsIn('auto.yaml', `${flux}? ? ? x\n`).length, 0);
});

test.run();
