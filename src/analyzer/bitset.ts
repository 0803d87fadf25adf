/* eslint-disable no-bitwise */ // bit sets are bit operations

/**
 * Fixed-size bit sets over 32-bit words, the workhorse of whole-truth-table computation.
 * @internal
 */
export class BitSet {
  public static full(size: number): BitSet {
    const set = new BitSet(size);
    set.words.fill(0xffffffff);
    const tail = size % 32;
    if (tail !== 0) set.words[set.words.length - 1] = (2 ** tail - 1) >>> 0;
    return set;
  }

  public readonly words: Uint32Array;

  public constructor(public readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  public has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  public add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  public clone(): BitSet {
    const copy = new BitSet(this.size);
    copy.words.set(this.words);
    return copy;
  }

  /** this |= other */
  public or(other: BitSet): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] |= b[i];
    return this;
  }

  /** this &= other */
  public and(other: BitSet): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] &= b[i];
    return this;
  }

  /** this &= ~other */
  public andNot(other: BitSet): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i] &= ~b[i];
    return this;
  }

  /** Calls `fn` with every member, in increasing order. */
  public forEach(fn: (i: number) => void): void {
    const w = this.words;
    for (let k = 0; k < w.length; k++) {
      let word = w[k];
      while (word !== 0) {
        const low = word & -word;
        fn((k << 5) + 31 - Math.clz32(low));
        word ^= low;
      }
    }
  }

  public isEmpty(): boolean {
    return this.words.every((w) => w === 0);
  }
}
