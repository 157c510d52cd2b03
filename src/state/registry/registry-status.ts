import { describe, type BoundedResponse } from './fetch-bounded.js';
import { accessError, answerError } from './registry-errors.js';

/** The codes the Distribution spec gives for a tag or repository that does not exist. */
const NOT_FOUND = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);

/**
 * 200 is true; a 404 that the registry explains as an unknown tag or repository is false;
 * anything else throws: HF212 when the registry is failing (5xx, 429), HF213 otherwise.
 */
export function found(response: BoundedResponse): boolean {
  if (response.status === 200) return true;
  const codes = errorCodes(response.body);
  if (response.status === 404 && codes.some((c) => NOT_FOUND.has(c))) return false;
  const answer = `${describe(response.url)} answered ${response.status}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`;
  if (response.status >= 500 || response.status === 429) throw accessError(`${answer}; the registry is failing or busy, try again later`);
  throw answerError(`${answer}, which is not what a registry answers here; check that ${response.url.host} is a registry`);
}

/**
 * Pure: the codes of a registry error body, `{"errors":[{"code":"MANIFEST_UNKNOWN",…}]}`.
 * Only codes are kept (upper-case words): messages are the server's free text.
 */
export function errorCodes(body: Buffer): string[] {
  try {
    const errors = (JSON.parse(body.toString('utf8')) as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return [];
    return errors.map((e: { code?: unknown } | null) => e?.code).filter((c): c is string => typeof c === 'string' && /^[A-Z_]{1,64}$/.test(c));
  } catch {
    return [];
  }
}
