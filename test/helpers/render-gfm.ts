import { execFileSync } from 'node:child_process';
import { parseFragment } from 'parse5';

/**
 * A PR comment as GitHub renders it: cmark-gfm with GitHub's extensions. GitHub renders
 * raw HTML and then filters it; `unsafe: false` is cmark-gfm's own filter, which drops
 * every raw HTML tag. Parsed with parse5 (the HTML spec's parser), so assertions look at
 * elements and their text as a browser would, not at strings.
 */
export function renderGfm(markdown: string, { unsafe }: { unsafe: boolean }): Rendered {
  const args = ['-e', 'table', '-e', 'strikethrough', '-e', 'autolink', '-e', 'tagfilter', '-e', 'tasklist', ...(unsafe ? ['--unsafe'] : [])];
  const html = execFileSync('cmark-gfm', args, { input: markdown, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return new Rendered(html, parseFragment(html) as unknown as HtmlNode);
}

export interface HtmlNode {
  readonly nodeName: string;
  readonly tagName?: string;
  readonly value?: string;
  readonly childNodes?: readonly HtmlNode[];
}

export interface TextNode {
  readonly text: string;
  /** Tag names from the outermost element down to the text's parent. */
  readonly ancestors: readonly string[];
}

export class Rendered {
  /** Every text node, in document order, with the elements it sits in. */
  readonly texts: readonly TextNode[];
  /** Every element's tag name, in document order. */
  readonly tags: readonly string[];
  readonly root: HtmlNode;

  constructor(
    readonly html: string,
    root: HtmlNode,
  ) {
    this.root = root;
    const texts: TextNode[] = [];
    const tags: string[] = [];
    const visit = (node: HtmlNode, ancestors: readonly string[]) => {
      if (node.nodeName === '#text') texts.push({ text: node.value ?? '', ancestors });
      if (node.tagName) tags.push(node.tagName);
      const inside = node.tagName ? [...ancestors, node.tagName] : ancestors;
      for (const child of node.childNodes ?? []) visit(child, inside);
    };
    visit(root, []);
    this.texts = texts;
    this.tags = tags;
  }

  /** Every element with this tag name, in document order. */
  elements(tag: string): HtmlNode[] {
    return this.elementsIn(this.root, tag);
  }

  /** The elements with this tag name inside `node`. */
  elementsIn(node: HtmlNode, tag: string): HtmlNode[] {
    const found: HtmlNode[] = [];
    const visit = (inner: HtmlNode) => {
      if (inner.tagName === tag) found.push(inner);
      for (const child of inner.childNodes ?? []) visit(child);
    };
    for (const child of node.childNodes ?? []) visit(child);
    return found;
  }

  /** The text of each `<pre><code>`: what a reader sees of each code block, entities decoded. */
  codeBlocks(): string[] {
    return this.elements('pre').map((pre) => {
      const [code, ...more] = (pre.childNodes ?? []).filter((c) => c.nodeName !== '#text' || c.value !== '');
      return code?.tagName === 'code' && more.length === 0 ? textOf(code) : `(a <pre> that is not one <code>: ${textOf(pre)})`;
    });
  }

  /** All text outside `<code>` and `<pre>`, joined: what renders as prose. */
  prose(): string {
    return this.texts.filter((t) => !t.ancestors.includes('code') && !t.ancestors.includes('pre')).map((t) => t.text).join('');
  }

  /** Text nodes holding `needle` that are not inside a `<code>` element. */
  outsideCode(needle: string): TextNode[] {
    return this.texts.filter((t) => t.text.includes(needle) && !t.ancestors.includes('code'));
  }
}

/** The text content of a node, as the DOM's textContent. */
export function textOf(node: HtmlNode): string {
  if (node.nodeName === '#text') return node.value ?? '';
  return (node.childNodes ?? []).map(textOf).join('');
}
