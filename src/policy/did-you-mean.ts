/** The closest candidate to a misspelt word, if one is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[], find: typeof closest = closest): string {
  const match = find(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
}

/**
 * The declared name a word most likely means: a near spelling, or else the one name it is
 * a short form of, or that is a short form of it. Teams name environments both ways, and
 * the short forms drop letters rather than mistype them: "prod" and "prd" for "production",
 * "stg" and "stage" for "staging", "dev" for "development".
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  const near = closest(word, names);
  if (near !== undefined) return near;
  const forms = names.filter((name) => shortFormOf(word, name) || shortFormOf(name, word));
  return forms.length === 1 ? forms[0] : undefined;
}

/** `short` keeps the first letter of `long` and then only letters of it, in order ("stg"), or all of it but its ending ("stage"). */
function shortFormOf(short: string, long: string): boolean {
  const a = short.toLowerCase();
  const b = long.toLowerCase();
  if (a.length < 3 || a.length >= b.length || a[0] !== b[0]) return false;
  let prefix = 0;
  while (prefix < a.length && a[prefix] === b[prefix]) prefix++;
  if (prefix >= 4 && prefix >= a.length - 1) return true;
  let at = 0;
  for (const c of b) if (c === a[at]) at++;
  return at === a.length;
}

/**
 * Optimal string alignment distance: Levenshtein plus adjacent transpositions, the most
 * common typo ("fiel" for "file" is one edit, not two).
 */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
