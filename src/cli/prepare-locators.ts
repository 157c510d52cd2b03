import type { Policy } from '../policy/types.js';

/**
 * Loads what a policy's config locators need before any config file is read: ts-morph
 * (about 400 ms) only when some environment's config is TypeScript.
 */
export async function prepareLocators(policy: Policy): Promise<void> {
  if (!policy.spec.environments.some((e) => e.config.locator.typescript)) return;
  await (await import('../patch/typescript/load.js')).loadTypeScriptSupport();
}
