/**
 * The last few distinct words seen in one column, each with a value derived from it once. A column such
 * as STATE repeats a handful of words down 100,000 rows; matching the characters in place avoids a
 * substring and a lookup per row. Derived values must depend on the text alone.
 */
export class RecentWords<V> {
  private readonly texts: string[] = [];
  private readonly values: V[] = [];
  private next = 0;
  /** The word found by the last `read`. */
  text = '';
  /** Its derived value. */
  value: V;

  constructor(
    private readonly size: number,
    private readonly derive: (text: string) => V,
  ) {
    this.value = derive('');
  }

  /** Finds `line[start, end)` among the recent words, or adds it (replacing the oldest). */
  read(line: string, start: number, end: number): void {
    const { texts } = this;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      if (text.length === end - start && line.startsWith(text, start)) {
        this.text = text;
        this.value = this.values[i]!;
        return;
      }
    }
    const text = line.slice(start, end);
    this.text = texts[this.next] = text;
    this.value = this.values[this.next] = this.derive(text);
    this.next = (this.next + 1) % this.size;
  }
}
