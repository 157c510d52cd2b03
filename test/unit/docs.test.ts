import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { currentReadme } from '../../src/build/readme-reference.js';
import { ROOT } from '../helpers/run-cli.js';

test('README policy reference and code table match the schema and the codes registry (npm run docs)', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme === (await currentReadme()), 'README.md is out of date: run "npm run docs"');
});

test('every property in the schema has a description, for editor hover docs', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'policy.schema.json'), 'utf8'));
  const missing: string[] = [];
  const visit = (node: Record<string, unknown>, path: string) => {
    const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, child] of Object.entries(properties)) {
      const target = typeof child.$ref === 'string' ? schema.definitions[child.$ref.split('/').pop()!] : child;
      if (!child.description && !target.description) missing.push(`${path}${key}`);
      visit(target, `${path}${key}.`);
      const items = target.items as Record<string, unknown> | undefined;
      if (items) visit(typeof items.$ref === 'string' ? schema.definitions[items.$ref.split('/').pop()!] : items, `${path}${key}[].`);
    }
  };
  visit(schema, '');
  assert.equal(missing, []);
});

test('the README starts with the two commands', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /^# hotfix\n\n```sh\nnpm ci && npm run demo .*\nnpm ci && npm test .*\n```/);
  assert.match(readFileSync(join(ROOT, '.ci', 'run'), 'utf8'), /npm ci\nnpm test/);
});

test.run();
