import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { journalledPlans } from '../../src/apply/journalled-plans.js';
import { tempDir } from '../helpers/temp-dir.js';

test('a journal that cannot be read (not one apply wrote, or a directory in its place) hides no other plan from status', async () => {
  const repo = join(tempDir(), 'repo');
  execFileSync('git', ['init', '--quiet', repo]);
  const dir = join(repo, '.git', 'hotfix', 'journal');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${'a'.repeat(64)}.json`), JSON.stringify({ done: ['revert'], subject: { policy: 'api-js', environment: 'production', kind: 'rollback' } }));
  writeFileSync(join(dir, `${'b'.repeat(64)}.json`), '{"done": [');
  writeFileSync(join(dir, `${'c'.repeat(64)}.json`), JSON.stringify({ done: [7] }));
  mkdirSync(join(dir, `${'d'.repeat(64)}.json`));
  const plans = await journalledPlans(repo);
  assert.equal(plans.map((p) => [p.plan, [...p.done], p.subject]), [[`sha256:${'a'.repeat(64)}`, ['revert'], { policy: 'api-js', environment: 'production', kind: 'rollback' }]]);
});

test.run();
