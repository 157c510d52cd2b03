/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  /** Lower case: `basic`, `bearer`. */
  readonly scheme: string;
  /** Parameter names in lower case, quoted values unescaped. */
  readonly params: Readonly<Record<string, string>>;
}

// A token (a scheme or a parameter name), then `=value` or `="quoted, value"` when it is a parameter.
const ITEM = /[\s,]*([!#$%&'*+.^_`|~\w-]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/y;

/**
 * Pure: every challenge in the header (a server may offer several, comma separated, as
 * the parameters are). Parsing stops at what is not a token; what came before is kept.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Array<{ scheme: string; params: Record<string, string> }> = [];
  ITEM.lastIndex = 0;
  for (let match = ITEM.exec(header); match !== null && match[0] !== ''; match = ITEM.exec(header)) {
    const token = match[1]!;
    const value = match[2];
    if (value === undefined) challenges.push({ scheme: token.toLowerCase(), params: {} });
    else if (challenges.length > 0) challenges[challenges.length - 1]!.params[token.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return challenges;
}

/** The challenge to answer: a bearer token where offered (what registries prefer), else basic. */
export function chooseChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
