/**
 * What was made of recent texts (their parses, whether they read cleanly), by text. Bounded
 * in the texts' bytes, oldest first out, so a long history walk of a large file keeps few
 * alive; a text over the bound alone is not kept.
 */
export class RecentByText<V> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(text: string): V | undefined {
    return this.entries.get(text);
  }

  set(text: string, value: V): void {
    if (text.length > this.maxBytes || this.entries.has(text)) return;
    this.entries.set(text, value);
    this.bytes += text.length;
    for (const [old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(old);
      this.bytes -= old.length;
    }
  }
}
