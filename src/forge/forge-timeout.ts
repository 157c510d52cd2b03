/**
 * How long a forge may leave hotfix waiting for an answer (GitHub: each attempt; GitLab's
 * client: each call with its retries): a forge that accepts the connection and never
 * answers must not hold `status --forge`, `comment` or an apply at its gate for ever.
 * HOTFIX_FORGE_TIMEOUT_MS overrides it (tests make it short).
 */
export function forgeTimeoutMs(): number {
  const given = Number(process.env.HOTFIX_FORGE_TIMEOUT_MS);
  return Number.isInteger(given) && given > 0 ? given : 120_000;
}
