/**
 * A latency histogram with logarithmic buckets (1% wide), so that millions of samples from several
 * driver processes can be merged by adding counts and still give percentiles within 1%.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Covers 0 to about 2 minutes; anything slower lands in the last bucket. */
const BUCKETS = 1200;

/** Bucket of a latency in milliseconds. */
function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log1p(ms) / LOG_GROWTH));
}

/** Middle of a bucket, in milliseconds. */
function valueOf(bucket: number): number {
  return (Math.expm1(bucket * LOG_GROWTH) + Math.expm1((bucket + 1) * LOG_GROWTH)) / 2;
}

export class LatencyHistogram {
  readonly counts: number[];
  total = 0;
  max = 0;

  constructor(counts?: number[]) {
    this.counts = counts ? [...counts] : new Array<number>(BUCKETS).fill(0);
    if (counts) this.total = counts.reduce((a, b) => a + b, 0);
  }

  record(ms: number): void {
    this.counts[bucketOf(ms)]++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  merge(other: { counts: number[]; max: number }): void {
    for (let i = 0; i < BUCKETS; i++) {
      this.counts[i] += other.counts[i];
      this.total += other.counts[i];
    }
    this.max = Math.max(this.max, other.max);
  }

  /**
   * The `q` quantile (0..1) counting `missing` samples as slower than everything recorded (an edit
   * some observer never saw is as bad as the worst one it did see, at least).
   */
  quantile(q: number, missing = 0): number {
    const total = this.total + missing;
    if (total === 0) return Number.NaN;
    const rank = Math.ceil(q * total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(valueOf(i), this.max);
    }
    return Number.POSITIVE_INFINITY;
  }
}
