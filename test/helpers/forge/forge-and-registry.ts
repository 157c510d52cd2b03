import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestRegistry, type TestRegistry } from '../test-registry.js';

export interface ForgeServer {
  readonly violations: readonly string[];
  close(): Promise<void>;
}

/**
 * A test registry and a forge's contract server shared by a test file: started before its
 * tests (`start` gets the registry and starts the server), both stopped after them, and each
 * test ends by asserting the server saw nothing outside the forge's API description.
 */
export function forgeAndRegistry<S extends ForgeServer>(suite: Test, forge: 'GitHub' | 'GitLab', start: (registry: TestRegistry) => Promise<S>): void {
  let registry: TestRegistry | undefined;
  let server: S | undefined;
  suite.before(async () => {
    registry = await startTestRegistry();
    server = await start(registry);
  });
  suite.after(async () => {
    await registry?.stop();
    await server?.close();
  });
  suite.after.each(() => {
    assert.equal(server?.violations, [], `requests or answers outside ${forge}'s API description`);
  });
}
