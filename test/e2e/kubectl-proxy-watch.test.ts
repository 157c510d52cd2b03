import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startFakeKubeApi } from '../helpers/fake-kube-api.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A kubectl proxy hotfix started must not outlive it, even killed with SIGKILL, which runs
// no handler: an idle proxy (nothing in flight, so it never writes to a closed pipe) would
// otherwise serve the user's credentials on its socket for ever.

/** The processes whose command line holds `text`, not counting zombies. */
function runningWith(text: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) && readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
    } catch {
      return false; // ended meanwhile
    }
  });
}

/** Polls until `check` holds; a hang fails after HANG_POLLS polls, far above any busy machine's pace. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let polls = 0; !check(); polls++) {
    if (polls === HANG_POLLS) assert.unreachable(`${what}: not so after ${HANG_POLLS} polls`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const HANG_POLLS = 1200;

test('a process that started a kubectl proxy and is killed with SIGKILL, the proxy idle: the proxy ends too', async () => {
  const api = await startFakeKubeApi([]);
  const tmp = tempDir('hotfix-proxy-watch-');
  try {
    // The proxy as status starts it, in a node of its own that then waits, asking nothing.
    const script = `const { KubectlProxy } = await import(${JSON.stringify(join(ROOT, 'src', 'state', 'cluster', 'kubectl-proxy.ts'))}); await KubectlProxy.start('prod'); console.log('serving'); setInterval(() => {}, 1 << 30);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, ...api.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    await until(() => out.includes('serving') || child.exitCode !== null, 'the proxy serves');
    assert.ok(out.includes('serving'), `the proxy did not start: exit ${child.exitCode}`);
    const proxies = runningWith(tmp).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('proxy'));
    assert.ok(proxies.length > 0, 'no kubectl proxy process found');
    child.kill('SIGKILL');
    await until(() => child.exitCode !== null || child.signalCode !== null, 'the node process ended');
    await until(() => proxies.every((pid) => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] === 'Z'), 'the kubectl proxy has ended');
  } finally {
    await api.close();
  }
});

test.run();
