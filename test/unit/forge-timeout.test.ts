import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unlessHung } from '../helpers/hang-guard.js';

// A forge that takes the connection and never answers (a proxy that swallows requests, a
// GitHub Enterprise Server under maintenance) must not hold status --forge or an apply at
// its gate for ever: GitHub's attempts each give up after HOTFIX_FORGE_TIMEOUT_MS, GitLab's
// call with its retries, and the finding says so. Set before the forge modules load: GitLab's bound is read once, at load.
process.env.HOTFIX_FORGE_TIMEOUT_MS = '400';
const { gitHubChecksReader } = await import('../../src/forge/github-checks.js');
const { gitLabChecksReader } = await import('../../src/forge/gitlab-checks.js');
const { GITHUB_RETRIES } = await import('../../src/forge/github-client.js');
const { GITLAB_RETRIES } = await import('../../src/forge/gitlab-requester.js');

/** A server that counts the requests it is sent and answers none. */
async function silentServer(): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer(() => void requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

async function failure(reading: Promise<unknown>): Promise<string> {
  const outcome = await unlessHung(reading.then(() => 'answered', (error: { diagnostics?: Array<{ code: string; message: string }> }) => error.diagnostics?.map((d) => `${d.message}  [${d.code}]`).join('\n') ?? String(error)), 'a read from a forge that never answers');
  assert.is.not(outcome, 'answered');
  return outcome;
}

test('GitHub: a read of the checks that gets no answer fails as HF514, "no answer within 0.4 s", after its retries, each attempt bounded', async () => {
  const { server, url, requests } = await silentServer();
  try {
    const read = gitHubChecksReader({ token: 'ghs_silent', apiUrl: url, secondMs: 1 }, 'status');
    const said = await failure(read({ forge: 'github', repository: 'octo-org/shop-api', manual: 'refuse' }, 'a'.repeat(40)));
    assert.match(said, /^GitHub could not be reached when status read .*\(no answer within 0\.4 s, after \d+ retries\)  \[HF514\]$/);
    assert.ok(requests() >= 1 && requests() <= 2 * (1 + GITHUB_RETRIES), `${requests()} requests`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('GitLab: the same read gets the same bound', async () => {
  const { server, url, requests } = await silentServer();
  try {
    const read = gitLabChecksReader({ token: { kind: 'private', value: 'glpat-silent', from: 'GITLAB_TOKEN' }, host: url, secondMs: 1 }, 'status');
    const said = await failure(read({ forge: 'gitlab', repository: 'acme/payments/shop', manual: 'refuse' }, 'a'.repeat(40)));
    assert.match(said, /GitLab did not answer within 0\.4 s when status read .*\[HF514\]/);
    assert.ok(requests() >= 1 && requests() <= 2 * (1 + GITLAB_RETRIES), `${requests()} requests`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('GitHub: a 200 that is not JSON (a login page) is GitHub\'s answer, said as one, not retried, and nothing of the page but a printable start', async () => {
  let requests = 0;
  const server = createServer((_, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>\n<body>Sign in to your proxy \u001b[31m</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const read = gitHubChecksReader({ token: 'ghs_page', apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secondMs: 1 }, 'status');
    const said = await failure(read({ forge: 'github', repository: 'octo-org/shop-api', manual: 'refuse' }, 'a'.repeat(40)));
    assert.is(said, `GitHub failed when status read the checks of aaaaaaa in octo-org/shop-api (200: the answer is not JSON (text/html; charset=utf-8): "<html> <body>Sign in to your proxy ?[31m</body></html>…")  [HF514]`);
    assert.is(requests, 1);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test.run();
