/**
 * The inference pipeline over the three graphs, step for step models/locus/infer.py:
 * preprocess -> prompt_generator -> sam_image_encoder -> Top-k points -> sam_decoder -> post-process.
 *
 * The encoder outputs and the prompt generator's outputs of the current image are kept (on the GPU
 * under WebGPU), so `redecode` with other prompt settings re-runs only the decoder. A failure on
 * WebGPU (device loss, a session that will not build or run) moves every session to WASM and
 * retries once; the result says so in `fallback` and `onEvent` hears it, nothing is silent.
 */
import {
  WordPieceTokenizer,
  parseReport,
  parseVocab,
  reportWarnings,
  truncationWarning,
  type DecodedImage,
  type GraphName,
  type InputWarning,
  type Manifest,
} from '../pipeline/index';
import { loadBundle, type BundleSource, type LoadedBundle, type ProgressCallback } from './bundle';
import { attach, detach, withReport, type CaseEncoding } from './case-encoding';
import { encodeImage, type EncodedImage } from './encode-image';
import { decodePrompts } from './decode-prompts';
import type { AnalysisResult, DecodeResult, EngineEvent, FallbackNotice, PromptSettings } from './results';
import { checkSettings, defaultSettings, elapsedSince } from './results';
import type { BackendInfo, OrtBackend } from './ort';
import { SessionContractError, createSessions, releaseSessions, type GraphSessions } from './sessions';

export interface EngineOptions {
  onEvent?: (event: EngineEvent) => void;
  /** Download/verification progress, for `Engine.open`. */
  onProgress?: ProgressCallback;
}

interface Current {
  image: DecodedImage;
  report: string;
  /** Null after a fallback released the tensors; the next decode re-encodes. */
  encoded: EncodedImage | null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Engine {
  private current: Current | null = null;
  private disposed = false;

  private constructor(
    private readonly bundle: LoadedBundle,
    private readonly backend: OrtBackend,
    private sessions: GraphSessions,
    private readonly tokenizer: WordPieceTokenizer,
    private readonly options: EngineOptions,
  ) {}

  /** Loads and verifies a bundle (every hash before any session), then creates the engine. */
  static async open(source: BundleSource, backend: OrtBackend, options: EngineOptions = {}): Promise<Engine> {
    try {
      return await Engine.create(await loadBundle(source, { onProgress: options.onProgress }), backend, options);
    } catch (error) {
      await backend.dispose();
      throw error;
    }
  }

  /** Creates and checks the sessions; a WebGPU failure here falls back to WASM once. */
  static async create(bundle: LoadedBundle, backend: OrtBackend, options: EngineOptions = {}): Promise<Engine> {
    const tokenizer = WordPieceTokenizer.fromSpec(parseVocab(bundle.vocab), bundle.manifest.tokenizer);
    const onCreated = (graph: GraphName, index: number) => options.onEvent?.({ type: 'session', graph, index });
    try {
      return new Engine(bundle, backend, await createSessions(bundle, backend, onCreated), tokenizer, options);
    } catch (error) {
      const notice = Engine.fallBack(backend, error, 'session');
      if (notice === null) throw error;
      options.onEvent?.({ type: 'fallback', notice });
      return new Engine(bundle, backend, await createSessions(bundle, backend, onCreated), tokenizer, options);
    }
  }

  /** Switches the backend to WASM when the failure allows it; null when it must be rethrown. */
  private static fallBack(backend: OrtBackend, error: unknown, stage: FallbackNotice['stage']): FallbackNotice | null {
    if (error instanceof SessionContractError) return null;
    const from = backend.info().ep;
    const reason = backend.deviceLost() ?? `${stage} failed on ${from}: ${errorText(error)}`;
    if (!backend.fallback(reason)) return null;
    return { from, to: backend.info().ep, reason, stage };
  }

  /** Where the bundle came from (URL, folder, path). */
  get source(): string {
    return this.bundle.name;
  }

  get manifest(): Manifest {
    return this.bundle.manifest;
  }

  info(): BackendInfo {
    return this.backend.info();
  }

  defaultSettings(): PromptSettings {
    return defaultSettings(this.manifest);
  }

  /** What is doubtful about a report: not English, symbols the tokenizer drops, markup, or cut to L tokens. */
  checkReport(report: string): InputWarning[] {
    const cut = truncationWarning(this.tokenizer.tokenize(report).length, this.tokenizer.maxLength - 2);
    return cut === null ? reportWarnings(report) : [...reportWarnings(report), cut];
  }

  /** Runs everything for a new image and report; earlier image tensors are released. */
  async analyze(image: DecodedImage, report: string, settings?: PromptSettings): Promise<AnalysisResult> {
    const chosen = checkSettings(settings ?? this.defaultSettings(), this.manifest);
    this.releaseCurrent();
    this.current = { image, report, encoded: null };
    const { value, fallback } = await this.withFallback(async () => {
      const encoded = await this.ensureEncoded();
      const decoded = await decodePrompts(this.context(), encoded, chosen);
      return { encoded, decoded };
    });
    const { encoded, decoded } = value;
    return {
      ...decoded,
      timings: { ...encoded.timings, ...decoded.timings },
      geometry: encoded.geometry,
      // Copies: the caller may transfer these buffers away, the engine still needs its own.
      coarse: {
        grid: encoded.coarse.grid,
        logits: encoded.coarse.logits.slice(),
        probabilities: encoded.coarse.probabilities.slice(),
      },
      gpfc: structuredClone(encoded.gpfc),
      // The report as the LViT grammar reads it, for the location panel: text only, no graph.
      report: parseReport(report),
      embeddingLocation: encoded.embeddingLocation,
      backend: this.backend.info(),
      fallback,
    };
  }

  /**
   * Runs every graph once on a blank frame, so WebGPU compiles its shaders while the bundle loads
   * rather than on the user's first image. Returns the milliseconds it took; leaves no current
   * image behind (a redecode still needs a real analysis first).
   */
  async warmUp(): Promise<number> {
    const start = performance.now();
    const side = this.manifest.preprocess.input_size;
    const blank: DecodedImage = { width: side, height: side, channels: 1, bitDepth: 8, data: new Uint8Array(side * side) };
    try {
      await this.analyze(blank, '');
    } finally {
      this.releaseCurrent();
      this.current = null;
    }
    return elapsedSince(start);
  }

  /** Re-runs only the decoder (and the cheap steps around it) for the current image. */
  async redecode(settings: PromptSettings): Promise<DecodeResult> {
    const chosen = checkSettings(settings, this.manifest);
    if (this.current === null) throw new Error('redecode needs an analyzed image first');
    const { value, fallback } = await this.withFallback(async () =>
      decodePrompts(this.context(), await this.ensureEncoded(), chosen),
    );
    return { ...value, backend: this.backend.info(), fallback };
  }

  /**
   * The image and report through preprocessing, the prompt generator and the SAM image encoder, as
   * host arrays; the current image (the studio's case) is left alone. Batch evaluation keeps these,
   * so every sweep re-runs only the decoder.
   */
  async encodeCase(image: DecodedImage, report: string): Promise<CaseEncoding> {
    const { value } = await this.withFallback(async () => {
      const encoded = await encodeImage(this.context(), image, report);
      try {
        return await detach(encoded);
      } finally {
        encoded.release();
      }
    });
    return value;
  }

  /** An encoded case with another report: the prompt generator runs again, the image encoder does not. */
  async encodeReport(encoding: CaseEncoding, report: string): Promise<CaseEncoding> {
    return (await this.withFallback(() => withReport(this.context(), encoding, report))).value;
  }

  /** The decoder (and the cheap steps around it) on an encoded case. */
  async decodeCase(encoding: CaseEncoding, settings: PromptSettings): Promise<DecodeResult> {
    const chosen = checkSettings(settings, this.manifest);
    const { value, fallback } = await this.withFallback(async () => {
      const attached = attach(this.context(), encoding);
      try {
        return await decodePrompts(this.context(), attached, chosen);
      } finally {
        attached.release();
      }
    });
    return { ...value, backend: this.backend.info(), fallback };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.releaseCurrent();
    await releaseSessions(this.sessions);
    await this.backend.dispose();
  }

  private context() {
    return { manifest: this.manifest, backend: this.backend, sessions: this.sessions, tokenizer: this.tokenizer };
  }

  private async ensureEncoded(): Promise<EncodedImage> {
    const current = this.current;
    if (current === null) throw new Error('no current image');
    current.encoded ??= await encodeImage(this.context(), current.image, current.report);
    return current.encoded;
  }

  private releaseCurrent(): void {
    this.current?.encoded?.release();
    if (this.current !== null) this.current.encoded = null;
  }

  /** Runs `work`; after a failure it may fall back to WASM, rebuild the sessions and run it once more. */
  private async withFallback<T>(work: () => Promise<T>): Promise<{ value: T; fallback: FallbackNotice | null }> {
    if (this.disposed) throw new Error('the engine was disposed');
    try {
      return { value: await work(), fallback: null };
    } catch (error) {
      const notice = Engine.fallBack(this.backend, error, 'run');
      if (notice === null) throw error;
      this.options.onEvent?.({ type: 'fallback', notice });
      this.releaseCurrent();
      await releaseSessions(this.sessions).catch(() => undefined);
      this.sessions = await createSessions(this.bundle, this.backend);
      return { value: await work(), fallback: notice };
    }
  }
}
