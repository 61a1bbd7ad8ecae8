/**
 * Encoded cases kept for the sweeps, within a byte budget: each entry is a case's encoding (its
 * bytes counted exactly) and its ground truth packed 8 pixels a byte. The first cases that fit are
 * kept and nothing is evicted: a sweep visits every case in order, and for such a scan a cache
 * that keeps its first N entries hits N times per pass, whereas one that evicts the oldest would
 * miss every time. Cases beyond the budget are encoded again when a sweep reaches them.
 */
import { encodingBytes, type CaseEncoding } from './case-encoding';

export interface CachedCase {
  encoding: CaseEncoding;
  /** 0/1 per pixel, unpacked. */
  truth: Uint8Array;
}

export interface CacheStats {
  cases: number;
  bytes: number;
  budgetBytes: number;
}

interface Entry {
  encoding: CaseEncoding;
  packed: Uint8Array;
  pixels: number;
  bytes: number;
}

function pack(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(mask.length / 8));
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

function unpack(packed: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) out[i] = (packed[i >> 3]! >> (i & 7)) & 1;
  return out;
}

export class EncodingCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private budgetBytes: number) {}

  /** Keeps the case if it fits in what the budget leaves; false when it does not (it is not kept). */
  offer(id: string, encoding: CaseEncoding, truth: Uint8Array): boolean {
    if (this.entries.has(id)) return true;
    const packed = pack(truth);
    const bytes = encodingBytes(encoding) + packed.byteLength;
    if (this.bytes + bytes > this.budgetBytes) return false;
    this.entries.set(id, { encoding, packed, pixels: truth.length, bytes });
    this.bytes += bytes;
    return true;
  }

  get(id: string): CachedCase | null {
    const entry = this.entries.get(id);
    return entry === undefined ? null : { encoding: entry.encoding, truth: unpack(entry.packed, entry.pixels) };
  }

  /** A new budget; entries beyond it go, newest first. */
  resize(budgetBytes: number): void {
    this.budgetBytes = budgetBytes;
    for (const [id, entry] of [...this.entries].reverse()) {
      if (this.bytes <= budgetBytes) break;
      this.entries.delete(id);
      this.bytes -= entry.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): CacheStats {
    return { cases: this.entries.size, bytes: this.bytes, budgetBytes: this.budgetBytes };
  }
}
