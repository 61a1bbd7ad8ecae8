/**
 * numpy's `np.random.default_rng(entropy)` for a list of non-negative integers below 2^32:
 * SeedSequence (numpy/random/bit_generator.pyx) seeding PCG64 (XSL-RR output, 128-bit LCG), and
 * the two Generator draws the location test's report writer makes: `random()` and
 * `choice(n, p=...)` (one uniform double against the normalised cumulative sum, side='right').
 * Bit for bit what numpy draws, so the reports models/locus/evaluate.py writes for a case are the
 * very texts written here (tests/pipeline/data/location_reports.json checks it).
 */

const MASK32 = 0xffffffff;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

// SeedSequence's hash constants (numpy/random/bit_generator.pyx).
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

/** PCG64's default multiplier (pcg64.h PCG_DEFAULT_MULTIPLIER_128). */
const PCG_MULTIPLIER = (2549297995355413924n << 64n) | 4865540595714422341n;

/** uint32 product (wrapping). */
function mul32(a: number, b: number): number {
  return Math.imul(a, b) >>> 0;
}

function mix(x: number, y: number): number {
  const result = (mul32(MIX_MULT_L, x) - mul32(MIX_MULT_R, y)) >>> 0;
  return (result ^ (result >>> XSHIFT)) >>> 0;
}

/** SeedSequence's pool for an entropy list of uint32 words (no spawn key). */
function seedPool(entropy: readonly number[]): number[] {
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = mul32(hashConst, MULT_A);
    v = mul32(v, hashConst);
    return (v ^ (v >>> XSHIFT)) >>> 0;
  };
  const pool = Array.from({ length: POOL_SIZE }, (_, i) => hashmix(entropy[i] ?? 0));
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst]!, hashmix(entropy[src]!));
  }
  return pool;
}

/** `SeedSequence(entropy).generate_state(words64, np.uint64)`. */
function generateState64(pool: readonly number[], words64: number): bigint[] {
  let hashConst = INIT_B;
  const words32: number[] = [];
  for (let i = 0; i < words64 * 2; i++) {
    let value = (pool[i % POOL_SIZE]! ^ hashConst) >>> 0;
    hashConst = mul32(hashConst, MULT_B);
    value = mul32(value, hashConst);
    words32.push((value ^ (value >>> XSHIFT)) >>> 0);
  }
  // Little-endian pairs of uint32 words make one uint64.
  return Array.from({ length: words64 }, (_, i) => BigInt(words32[2 * i]!) | (BigInt(words32[2 * i + 1]!) << 32n));
}

export class NumpyGenerator {
  private state = 0n;
  private readonly increment: bigint;

  /** `np.random.default_rng(entropy)`: every entry an integer in [0, 2^32). */
  constructor(entropy: readonly number[]) {
    for (const word of entropy) {
      if (!Number.isInteger(word) || word < 0 || word > MASK32) throw new RangeError(`entropy word ${word} is not a uint32`);
    }
    const [s0, s1, i0, i1] = generateState64(seedPool(entropy), 4) as [bigint, bigint, bigint, bigint];
    const seed = (s0 << 64n) | s1;
    const sequence = (i0 << 64n) | i1;
    this.increment = ((sequence << 1n) | 1n) & MASK128;
    this.step();
    this.state = (this.state + seed) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * PCG_MULTIPLIER + this.increment) & MASK128;
  }

  /** The next uint64 (pcg_setseq_128_xsl_rr_64_random_r: step, then output of the new state). */
  nextUint64(): bigint {
    this.step();
    const xored = ((this.state >> 64n) ^ this.state) & MASK64;
    const rotation = this.state >> 122n;
    return ((xored >> rotation) | (xored << ((64n - rotation) & 63n))) & MASK64;
  }

  /** `Generator.random()`: a double in [0, 1) from the top 53 bits. */
  random(): number {
    return Number(this.nextUint64() >> 11n) / 9007199254740992;
  }

  /** `Generator.choice(p.length, p=p)`: an index drawn with probabilities `p`. */
  choice(p: readonly number[]): number {
    const cdf: number[] = [];
    let sum = 0;
    for (const v of p) cdf.push((sum += v));
    const total = cdf[cdf.length - 1]!;
    const u = this.random();
    // searchsorted(cdf / cdf[-1], u, side='right'): how many entries are <= u.
    return cdf.filter((c) => c / total <= u).length;
  }
}
