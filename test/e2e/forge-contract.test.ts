import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';

const TOKEN = 'ghs_contractCheck';

/** The contract server must catch what the real API would refuse; otherwise an empty `violations` proves nothing. */
test('requests GitHub would refuse are answered as GitHub answers them and recorded as violations', async () => {
  const server = await startGitHubContractServer({ token: TOKEN });
  server.openPullRequest(3, 'x');
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${server.apiUrl.replace(/\/api\/v3$/, '')}${path}`, { method, headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  try {
    const wrongType = await call('POST', '/api/v3/repos/octo-org/deploy/issues/3/comments', { body: 42 });
    assert.is(wrongType.status, 422);
    const noBody = await call('PATCH', '/api/v3/repos/octo-org/deploy/issues/comments/1', {});
    assert.is(noBody.status, 422);
    const badQuery = await call('GET', '/api/v3/repos/octo-org/deploy/issues/3/comments?per_page=many');
    assert.is(badQuery.status, 422);
    const unknown = await call('GET', '/api/v3/repos/octo-org/deploy/pulls/3/comment-threads');
    assert.is(unknown.status, 404);
    const tooLong = await call('POST', '/api/v3/repos/octo-org/deploy/issues/3/comments', { body: 'x'.repeat(65_537) });
    assert.is(tooLong.status, 422);
    assert.match(JSON.stringify(await tooLong.json()), /Body is too long \(maximum is 65536 characters\)/);
    const atLimit = await call('POST', '/api/v3/repos/octo-org/deploy/issues/3/comments', { body: '😀'.repeat(65_536) });
    assert.is(atLimit.status, 201, 'GitHub counts characters, not UTF-16 units or bytes');
    const graphql = await call('POST', '/api/graphql', { query: 'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: STALE}) { minimizedComment { isMinimized } } }', variables: { id: 'x' } });
    assert.is(graphql.status, 200);
    assert.match(JSON.stringify(await graphql.json()), /STALE/);
    const unauthenticated = await fetch(`${server.apiUrl}/repos/octo-org/deploy/pulls/3`);
    assert.is(unauthenticated.status, 401);
    assert.equal(
      server.violations.map((v) => v.split(':')[0]),
      ['POST /repos/{owner}/{repo}/issues/{issue_number}/comments (issues/create-comment)', 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} (issues/update-comment)', 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments (issues/list-comments)', 'GET /repos/octo-org/deploy/pulls/3/comment-threads', 'issues/create-comment', 'graphql'],
    );
  } finally {
    await server.close();
  }
});

test.run();
