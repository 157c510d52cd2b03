// Run as a child (`node --import tsx out-of-files.ts OPERATION REPO`): takes every file
// descriptor the process may have, so that starting git fails with EMFILE on the spot, then
// prints what OPERATION made of it as JSON. Taking them in-process makes the failure certain;
// a low `ulimit -n` alone hits whichever open comes first.
import { closeSync, openSync } from 'node:fs';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { firstParentHistory } from '../../src/state/git/commit-log.js';
import { git } from '../../src/state/git/run-git.js';

const [operation, repo] = process.argv.slice(2) as [string, string];
const operations: Record<string, () => Promise<unknown>> = {
  git: () => git(repo, ['rev-parse', 'HEAD']),
  'cat-file': async () => {
    const blobs = new CatFileBatch(repo);
    try {
      return await blobs.read('HEAD:README.md');
    } finally {
      blobs.close();
    }
  },
  log: async () => {
    for await (const { commit } of firstParentHistory(repo, 'HEAD', 'README.md')) return commit;
    return undefined;
  },
};

const taken: number[] = [];
try {
  for (;;) taken.push(openSync('/dev/null', 'r'));
} catch {
  // every descriptor is taken
}
let outcome: { readonly taken: number; readonly failure?: string; readonly other?: string };
try {
  await operations[operation]!();
  outcome = { taken: taken.length };
} catch (error) {
  outcome = error instanceof HotfixError ? { taken: taken.length, failure: error.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n') } : { taken: taken.length, other: String(error) };
}
for (const fd of taken) closeSync(fd);
process.stdout.write(JSON.stringify(outcome));
