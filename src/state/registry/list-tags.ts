import { describe } from './fetch-bounded.js';
import { nextPage } from './link-header.js';
import { parseJsonObject } from './manifest.js';
import { answerError } from './registry-errors.js';
import { registryLocation } from './registry-host.js';
import { openSession, type RegistryOptions } from './registry-session.js';
import { found } from './registry-status.js';

/** Enough for 100 000 tags at the 100 a page registries commonly send; more is a loop. */
const MAX_PAGES = 1000;

/**
 * Every tag of a repository, following the registry's Link pagination; empty when the
 * repository does not exist.
 */
export async function listTags(name: string, options: RegistryOptions = {}): Promise<string[]> {
  const location = registryLocation(name);
  const session = openSession(location, options);
  const tags: string[] = [];
  let page: URL | undefined = new URL(`/v2/${location.repository}/tags/list`, location.origin);
  for (let count = 0; page !== undefined; count++) {
    if (count === MAX_PAGES) throw answerError(`${location.host} gave more than ${MAX_PAGES} pages of tags for ${location.repository}`);
    const response = await session.get(page, 'application/json');
    if (!found(response)) {
      if (count === 0) return [];
      throw answerError(`${describe(response.url)} lost the repository half way through its tag list`);
    }
    const what = `the tag list (${describe(response.url)})`;
    const pageTags = (parseJsonObject(response.body, what) as { tags?: unknown }).tags ?? [];
    if (!Array.isArray(pageTags) || !pageTags.every((t) => typeof t === 'string')) throw answerError(`${what} has "tags" that are not a list of strings`);
    for (const tag of pageTags) tags.push(tag); // not push(...): a page may hold more tags than a call takes arguments
    try {
      page = nextPage(response.headers.get('link'), response.url);
    } catch {
      throw answerError(`${what} has a Link header that is not a URL`);
    }
  }
  return tags;
}
