import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HANG_GUARD_MS } from '../helpers/hang-guard.js';
import { CLI, ROOT } from '../helpers/run-cli.js';

test('npm run demo into a log: plain text, and every command it echoes can be pasted into a shell', () => {
  // As `npm run demo > demo.log` runs it, but on the CLI this test run built.
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const demo = spawnSync(tsx, [join(ROOT, 'fixtures', 'demo.ts'), '--keep'], { cwd: ROOT, encoding: 'utf8', timeout: HANG_GUARD_MS * 2, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm' } });
  assert.is(demo.status, 0, demo.stderr);
  assert.not.ok(demo.stdout.includes('\u001b'), 'no escape sequence in a redirected log');
  const cd = /^cd (\S+)$/m.exec(demo.stdout);
  assert.ok(cd, demo.stdout.slice(0, 400));
  const scratch = cd![1]!;
  try {
    // Each step is its title as a shell comment, then its command.
    const commands = [...demo.stdout.matchAll(/^# ━━ .*\n(.*)$/gm)].map((m) => m[1]!);
    assert.equal(commands.map((c) => c.split(' ').slice(0, 2).join(' ')), ['hotfix status', 'hotfix plan', 'hotfix apply', 'git -C']);
    // Pasted after the cd line, with hotfix recording what it was given: each line is the argv the demo ran.
    const recorded = spawnSync('bash', ['--norc', '-c', `${cd![0]}\nn=0; hotfix() { n=$((n + 1)); printf '%s\\0' "$@" > "$OUT.$n"; }\n${commands.slice(0, 3).join('\n')}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', OUT: join(scratch, 'argv') } });
    assert.is(recorded.status, 0, recorded.stderr);
    const argv = (n: number) => readFileSync(join(scratch, `argv.${n}`), 'utf8').split('\0').slice(0, -1);
    assert.equal(argv(2).slice(argv(2).indexOf('--reason'), argv(2).indexOf('--reason') + 2), ['--reason', 'checkout returns 500 since the last release']);
    assert.equal(argv(3), ['apply', '--auto-approve', '--cluster-state', argv(1)[argv(1).indexOf('--cluster-state') + 1]!, 'plan.json']);
    // And run for real, as the demo says: its function line, then the read-only commands.
    const fn = demo.stdout.split('\n').find((line) => line.startsWith('hotfix() {'))!.replace(/'[^']*dist\/hotfix\.js'/, `'${CLI}'`);
    const real = spawnSync('bash', ['--norc', '-c', `${cd![0]}\n${fn}\n${commands[0]}\n${commands[3]}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: HANG_GUARD_MS });
    assert.is(real.status, 0, real.stderr);
    assert.match(real.stdout, /^Status of api-js$/m);
    assert.match(real.stdout, /Revert/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test.run();
