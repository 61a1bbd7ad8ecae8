/** Model-independent reference data written by tests/pipeline/data/make_vectors.py from models/locus. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedReport } from '../../src/pipeline/report';
import { ROOT } from './bundle';

export const DATA_DIR = join(ROOT, 'tests/pipeline/data');

export interface Vectors {
  resize: { input: [number, number]; output: [number, number]; image: number[]; resized: number[] }[];
  postprocess: {
    m: number;
    input_size: number;
    original: [number, number];
    resized: [number, number];
    logits: number[];
    values: number[];
    mask: number[];
  }[];
  points: { grid: [number, number]; k: number; theta: number; logits: number[]; cells: [number, number, number][] }[];
  reports: (ParsedReport & { text: string })[];
}

export const vectors = JSON.parse(readFileSync(join(DATA_DIR, 'vectors.json'), 'utf8')) as Vectors;
