import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../helpers/run-cli.js';

// What a reader outside the project cannot follow: its planning documents and tracker.
const INTERNAL = [/\bseed \d{3}\b/i, /\bDESIGN\.md\b/, /\bissue #?\d+\b/i, /\.\.\/shared\//];

function internalReferences(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => (INTERNAL.some((pattern) => pattern.test(line)) ? [`${file.slice(ROOT.length + 1)}:${i + 1}: ${line.trim()}`] : []));
}

test('the example policies and the README speak of the product, not of internal documents or issue numbers', () => {
  const policies = readdirSync(join(ROOT, 'policies')).filter((name) => /\.ya?ml$/.test(name)).map((name) => join(ROOT, 'policies', name));
  assert.ok(policies.length >= 3);
  assert.equal([...policies, join(ROOT, 'README.md')].flatMap(internalReferences), []);
});

test('each example policy opens by saying which situation it handles', () => {
  for (const name of readdirSync(join(ROOT, 'policies')).filter((n) => /\.ya?ml$/.test(n))) {
    const comment = readFileSync(join(ROOT, 'policies', name), 'utf8').split('\n').filter((line) => line.startsWith('# ') && !line.includes('yaml-language-server'));
    assert.ok(comment.length >= 2, `${name} has no opening comment`);
    assert.match(comment.join(' '), /hotfix|rollback|rolling back/i, name);
  }
});

test.run();
