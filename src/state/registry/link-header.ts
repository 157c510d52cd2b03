/**
 * Pure: the `rel="next"` target of a Link header (`</v2/x/tags/list?last=a&n=100>; rel="next"`),
 * resolved against the URL of the page that carried it; undefined on the last page.
 */
export function nextPage(link: string | null, page: URL): URL | undefined {
  for (const match of (link ?? '').matchAll(/<([^>]*)>([^,<]*)/g)) {
    if (/;\s*rel="?next"?(?:[\s;]|$)/i.test(match[2] ?? '')) return new URL(match[1] ?? '', page);
  }
  return undefined;
}
