import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { renderGfm, textOf, type HtmlNode } from './render-gfm.js';

/**
 * GitHub's heading anchors, as github-slugger (what github.com and most renderers use)
 * makes them: lower case; punctuation, symbols, controls and separators other than a plain
 * space dropped (letters, marks, digits, `_` and `-` kept); each space a `-`; a slug seen
 * before gets `-1`, `-2`… until it is new.
 */
export class HeadingSlugger {
  private readonly taken = new Map<string, number>();

  slug(text: string): string {
    const base = [...text.toLowerCase()].filter(kept).join('').replace(/ /g, '-');
    let slug = base;
    while (this.taken.has(slug)) {
      const next = this.taken.get(base)! + 1;
      this.taken.set(base, next);
      slug = `${base}-${next}`;
    }
    this.taken.set(slug, 0);
    return slug;
  }
}

const DROPPED = /[\p{No}\p{Pe}\p{Pf}\p{Pi}\p{Ps}\p{Po}\p{Pd}\p{S}\p{Cc}\p{Co}\p{Cf}\p{Cn}\p{Z}]/u;

function kept(char: string): boolean {
  return char === ' ' || char === '-' || /\p{Alphabetic}/u.test(char) || !DROPPED.test(char);
}

export interface DanglingLink {
  readonly target: string;
  readonly why: string;
}

/**
 * The links of a markdown file (as GitHub's cmark-gfm parses it: code spans and fences hold
 * none) that do not resolve inside `root`: a relative path that is missing or leaves the
 * repository, or an #anchor no heading of the target file makes. Links to other sites are
 * not followed.
 */
export function danglingLinks(markdown: string, file: string, root: string): DanglingLink[] {
  const out: DanglingLink[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string) => anchorsOf.get(path) ?? anchorsOf.set(path, headingAnchors(path === file ? markdown : readFileSync(path, 'utf8'))).get(path)!;
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // another site, or mailto:
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const path = pathPart === '' ? file : resolve(pathPart.startsWith('/') ? root : dirname(file), pathPart.replace(/^\//, ''));
    const inside = relative(root, path);
    if (inside.startsWith('..') || isAbsolute(inside)) out.push({ target, why: 'leaves the repository' });
    else if (path !== file && !existsSync(path)) out.push({ target, why: 'no such file' });
    else if (anchor !== undefined && /\.md$/i.test(path) && !anchors(path).has(anchor)) out.push({ target, why: `no heading makes the anchor #${anchor}` });
  }
  return out;
}

/** Every href and src of the rendered file, in order. */
export function linkTargets(markdown: string): string[] {
  const rendered = renderGfm(markdown, { unsafe: true });
  const out: string[] = [];
  const visit = (node: HtmlNode) => {
    for (const { name, value } of attributes(node)) if ((node.tagName === 'a' && name === 'href') || (node.tagName === 'img' && name === 'src')) out.push(value);
    for (const child of node.childNodes ?? []) visit(child);
  };
  visit(rendered.root);
  return out;
}

/** The anchors GitHub gives a file's headings, plus any `name`/`id` written in raw HTML. */
export function headingAnchors(markdown: string): Set<string> {
  const rendered = renderGfm(markdown, { unsafe: true });
  const slugger = new HeadingSlugger();
  const found = new Set<string>();
  const visit = (node: HtmlNode) => {
    if (node.tagName && /^h[1-6]$/.test(node.tagName)) found.add(slugger.slug(textOf(node)));
    for (const { name, value } of attributes(node)) if (name === 'id' || (node.tagName === 'a' && name === 'name')) found.add(value);
    for (const child of node.childNodes ?? []) visit(child);
  };
  visit(rendered.root);
  return found;
}

function attributes(node: HtmlNode): ReadonlyArray<{ name: string; value: string }> {
  return (node as HtmlNode & { attrs?: Array<{ name: string; value: string }> }).attrs ?? [];
}
