/**
 * The research workbench in the worker: an LViT dataset the page picked or dropped (its files stay
 * Blobs until a case is read), its evaluation with the bundle in use, and sweeps that re-run only
 * the decoder on the encodings kept in a bounded cache (cases beyond it are encoded again). Each
 * case is one turn of the worker's engine queue, so the studio's own calls interleave with a
 * batch, and the loop yields to the event loop between cases so `cancel()` and the heartbeat get
 * through. Results belong to the bundle load that made them: a sweep refuses another bundle.
 */
import {
  DatasetError,
  datasetLayout,
  locationTexts,
  matchCases,
  readReportTable,
  sweepSettings,
  sweepTable,
  unitHistogram,
  type CodecOptions,
  type DatasetEntry,
  type SweepKind,
  type SweepSetting,
} from '../pipeline/index';
import { encodingBytesFor } from '../runtime/case-encoding';
import type { Engine } from '../runtime/engine';
import { EncodingCache } from '../runtime/encoding-cache';
import { evaluateCase, prepareCase, summarizeCases, type CaseScores, type EvalCaseInput, type EvalCaseResult } from '../runtime/evaluate';
import type { PromptSettings } from '../runtime/results';
import { sweepEncoded, type SweepCase } from '../runtime/sweep';
import type { BatchOptions, BatchProgress, CacheReport, DatasetFile, DatasetSummary, EvaluationDone, SweepDone } from './api';

export interface WorkbenchHost {
  /** The engine in use and the id of its load (throws without a bundle). */
  loaded(): { engine: Engine; engineId: string };
  /** Runs `work` once every earlier engine call has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Where the DICOM codecs' WebAssembly is (a folder of .dcm images and SEG masks reads like the CLI's). */
  codecs?: CodecOptions;
}

interface Results {
  engineId: string;
  settings: PromptSettings;
  rows: EvalCaseResult[];
  /** Sweep scores by case id, then setting key (every sweep run so far). */
  sweeps: Map<string, Record<string, CaseScores>>;
}

/** The first cache budget, until the page sets one (MB in the studio). */
export const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;

function diceHistogram(rows: readonly EvalCaseResult[]) {
  return unitHistogram(rows.filter((r) => r.dice !== null).map((r) => r.dice!));
}

/** Lets queued messages (cancel, other calls) and timers (the heartbeat) run between cases. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class Workbench {
  private files = new Map<string, Blob>();
  private entries: DatasetEntry[] = [];
  private results: Results | null = null;
  private readonly cache = new EncodingCache(DEFAULT_CACHE_BYTES);
  private cancelled = false;
  /** What runs now (an evaluation or a sweep), or null. */
  private running: string | null = null;

  constructor(private readonly host: WorkbenchHost) {}

  /** Runs `work` unless an evaluation or sweep is running (one batch at a time). */
  private async alone<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.running !== null) throw new DatasetError(`${this.running} is running: cancel it first`);
    this.running = what;
    try {
      return await work();
    } finally {
      this.running = null;
    }
  }

  /** Reads the folder's report table and pairs its images and masks; earlier results and encodings go. */
  open(files: DatasetFile[]): Promise<DatasetSummary> {
    return this.alone('opening a dataset', () => this.read(files));
  }

  private async read(files: DatasetFile[]): Promise<DatasetSummary> {
    const layout = datasetLayout(files.map((f) => f.path));
    if (layout.table === null) throw new DatasetError(`${layout.root || 'the folder'}: no reports.csv or .xlsx report file`);
    const byPath = new Map(files.map((f) => [f.path, f.file]));
    const table = await readReportTable(new Uint8Array(await byPath.get(layout.table)!.arrayBuffer()), layout.table);
    this.entries = matchCases(table, layout.images, layout.masks);
    this.files = byPath;
    this.results = null;
    this.cache.clear();
    return {
      name: layout.root.split('/').pop() || 'dataset',
      reportsFile: layout.table,
      cases: this.entries.map(({ stem, report, image, mask, problem }) => ({ id: stem, report, image, mask, problem })),
    };
  }

  cancel(): void {
    this.cancelled = true;
  }

  private input(entry: DatasetEntry): EvalCaseInput {
    const file = (p: string | null) => (p === null ? undefined : this.files.get(p));
    const [image, mask] = [file(entry.image), file(entry.mask)];
    const base = { id: entry.stem, report: entry.report, imageName: entry.image ?? entry.stem, maskName: entry.mask ?? entry.stem };
    if (entry.problem !== null || image === undefined || mask === undefined) {
      return { ...base, image: new Uint8Array(), mask: new Uint8Array(), problem: entry.problem ?? `${entry.stem}: incomplete` };
    }
    return { ...base, image, mask };
  }

  private cacheReport(engine: Engine): CacheReport {
    const stats = this.cache.stats();
    return { ...stats, perCaseBytes: stats.cases > 0 ? stats.bytes / stats.cases : encodingBytesFor(engine.manifest) };
  }

  /** Every case with the bundle's default prompts, one engine turn each; progress after each case. */
  evaluate(options: BatchOptions, onProgress: (p: BatchProgress) => void): Promise<EvaluationDone> {
    return this.alone('an evaluation', () => this.evaluateAll(options, onProgress));
  }

  private async evaluateAll(options: BatchOptions, onProgress: (p: BatchProgress) => void): Promise<EvaluationDone> {
    if (this.entries.length === 0) throw new DatasetError('open a dataset folder first');
    const { engine, engineId } = this.host.loaded();
    const settings = engine.defaultSettings();
    const results: Results = { engineId, settings, rows: [], sweeps: new Map() };
    this.results = results;
    this.cancelled = false;
    this.cache.clear();
    this.cache.resize(options.cacheBytes);
    const start = performance.now();
    for (const entry of this.entries) {
      await breathe();
      if (this.cancelled) break;
      const { row, encoded } = await this.host.exclusive(async () => {
        this.requireEngine(engineId);
        return evaluateCase(engine, this.input(entry), results.rows.length, settings, [], { codecs: this.host.codecs });
      });
      if (encoded !== null) this.cache.offer(row.id, encoded.encoding, encoded.truth);
      results.rows.push(row);
      const summary = summarizeCases(results.rows, settings, (performance.now() - start) / 1000, false);
      const [done, total, elapsedMs] = [results.rows.length, this.entries.length, performance.now() - start];
      onProgress({ phase: 'evaluate', done, total, elapsedMs, row, summary, histogram: diceHistogram(results.rows), reencoded: 0, cache: this.cacheReport(engine) });
    }
    const summary = summarizeCases(results.rows, settings, (performance.now() - start) / 1000, this.cancelled);
    return { engineId, settings, summary, histogram: diceHistogram(results.rows), cache: this.cacheReport(engine) };
  }

  private requireEngine(engineId: string): void {
    if (this.host.loaded().engineId !== engineId) {
      throw new DatasetError('the bundle changed since this dataset was evaluated: press Evaluate dataset again');
    }
  }

  /** A case ready for the decoder: from the cache, or read and encoded again (`fresh` says which). */
  private async sweepCase(engine: Engine, entry: DatasetEntry): Promise<{ source: SweepCase; fresh: boolean }> {
    const cached = this.cache.get(entry.stem);
    if (cached !== null) return { source: { id: entry.stem, report: entry.report, ...cached }, fresh: false };
    const prepared = await prepareCase(engine, this.input(entry), { codecs: this.host.codecs });
    const encoding = await engine.encodeCase(prepared.image, entry.report);
    return { source: { id: entry.stem, report: entry.report, encoding, truth: prepared.truth }, fresh: true };
  }

  /** The settings of `kinds` on every evaluated case, decoder only where the case is cached. */
  sweep(kinds: SweepKind[], onProgress: (p: BatchProgress) => void): Promise<SweepDone> {
    return this.alone('a sweep', () => this.sweepAll(kinds, onProgress));
  }

  private async sweepAll(kinds: SweepKind[], onProgress: (p: BatchProgress) => void): Promise<SweepDone> {
    const results = this.results;
    if (results === null) throw new DatasetError('evaluate the dataset first');
    this.requireEngine(results.engineId);
    const { engine } = this.host.loaded();
    const { k, theta } = results.settings;
    const plan = kinds.flatMap((kind) => sweepSettings(kind, { k, theta, kMax: engine.manifest.prompts.k_max }));
    const scored = results.rows.filter((r) => r.error === null);
    const entries = new Map(this.entries.map((e) => [e.stem, e]));
    this.cancelled = false;
    const start = performance.now();
    let [done, reencoded] = [0, 0];
    const failures: { id: string; error: string }[] = [];
    for (const row of scored) {
      await breathe();
      if (this.cancelled) break;
      const entry = entries.get(row.id)!;
      try {
        const scores = await this.host.exclusive(async () => {
          this.requireEngine(results.engineId);
          const { source, fresh } = await this.sweepCase(engine, entry);
          if (fresh) reencoded++;
          return sweepEncoded(engine, source, plan, results.settings);
        });
        results.sweeps.set(row.id, { ...results.sweeps.get(row.id), ...scores });
        const texts = kinds.includes('location') ? locationTexts(entry.report, entry.stem) : null;
        onProgress({ phase: 'sweep', done: ++done, total: scored.length, elapsedMs: performance.now() - start, scores: { id: row.id, scores, texts }, reencoded, cache: this.cacheReport(engine) });
      } catch (error) {
        if (error instanceof DatasetError) throw error;
        failures.push({ id: row.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return {
      kinds,
      settings: plan,
      tables: this.tables(plan, scored),
      cancelled: this.cancelled,
      seconds: (performance.now() - start) / 1000,
      reencoded,
      failures,
      cache: this.cacheReport(engine),
    };
  }

  private tables(plan: SweepSetting[], scored: EvalCaseResult[]): SweepDone['tables'] {
    const perCase = scored.map((r) => this.results!.sweeps.get(r.id) ?? {});
    const kinds = [...new Set(plan.map((s) => s.sweep))];
    return Object.fromEntries(kinds.map((kind) => [kind, sweepTable(plan.filter((s) => s.sweep === kind), perCase)]));
  }
}
