// issue-23 23-speed: the launch-risk walks' memo. The engine asks the predictive pacer every second, and a
// decision walks the same sealed picture several times: the budget search's base and probes, then
// `launchAbandons` of the chosen launch (the base and that launch again), and a blended round's spread
// decides a second time on the same state at another forecast scale (`withInboundDemand`), refilling an
// identical picture. A walk is a pure function of the sealed picture and n, so a complete walk's total is
// kept until the picture changes; "changes" is decided on every number the walks read, compared bit for
// bit (`Object.is`), never on a hash or a tolerance — a kept total is exactly the total the walk would
// return again.

/** The numbers a sealed picture's walks read, and the complete walks' totals on it by launch size. */
export class WalkMemo {
  #key: Float64Array = new Float64Array(64);
  #keyLen = -1;
  #next: Float64Array = new Float64Array(64);
  #nextLen = 0;
  #sealed = false;
  readonly #totals = new Map<number, number>();

  /** The picture is being rebuilt (reset, a term added): no total is served until the next {@link seal}. */
  open(): void {
    this.#sealed = false;
    this.#nextLen = 0;
  }

  /** Append numbers the walks read to the picture being sealed. */
  push(value: number): void {
    if (this.#nextLen === this.#next.length) this.#next = copyGrown(this.#next);
    this.#next[this.#nextLen++] = value;
  }

  /** Append `values[0..len)`. */
  pushAll(values: ArrayLike<number>, len: number): void {
    this.push(len);
    for (let i = 0; i < len; i++) this.push(values[i] as number);
  }

  /** The picture is complete: the totals are kept when it is the picture they were walked on (bit for bit), else dropped. */
  seal(): void {
    let same = this.#nextLen === this.#keyLen;
    for (let i = 0; same && i < this.#nextLen; i++) same = Object.is(this.#next[i], this.#key[i]);
    if (!same) {
      this.#totals.clear();
      const key = this.#key;
      this.#key = this.#next;
      this.#keyLen = this.#nextLen;
      this.#next = key;
    }
    this.#nextLen = 0;
    this.#sealed = true;
  }

  /** The complete walk's total for `n` on the sealed picture, if walked. */
  get(n: number): number | undefined {
    return this.#sealed ? this.#totals.get(n) : undefined;
  }

  /** Keep a complete walk's total (ignored while the picture is open). */
  set(n: number, total: number): void {
    if (this.#sealed) this.#totals.set(n, total);
  }
}

function copyGrown(buffer: Float64Array): Float64Array {
  const next = new Float64Array(buffer.length * 2);
  next.set(buffer);
  return next;
}
