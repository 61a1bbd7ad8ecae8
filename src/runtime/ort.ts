/**
 * The small surface of onnxruntime the engine needs, so the engine never imports onnxruntime
 * itself. Two implementations: `ort-web.ts` (onnxruntime-web, WebGPU with WASM fallback; the
 * worker) and `ort-node.ts` (onnxruntime-node CPU or WebGPU, or onnxruntime-web's WASM build
 * in node; the CLI and tests). ORT's own Tensor and InferenceSession satisfy these interfaces.
 */

/** Where sessions run: WebGPU, onnxruntime-web's WebAssembly CPU kernels, or native CPU. */
export type ExecutionProvider = 'webgpu' | 'wasm' | 'cpu';

/** The element types the Locus graphs exchange (models/README.md section 2). */
export type RuntimeTensorData = Float32Array | BigInt64Array;

/** An ORT tensor: host memory ('cpu') or a GPU buffer ('gpu-buffer') the next graph reads in place. */
export interface RuntimeTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly location: string;
  /** Host copy of the data (downloads a GPU tensor). */
  getData(releaseData?: boolean): Promise<unknown>;
  /** Frees the tensor's memory (GPU buffers are not garbage collected). */
  dispose(): void;
}

export type Feeds = Record<string, RuntimeTensor>;
export type Fetches = Record<string, RuntimeTensor>;

/** What a session says about one of its inputs or outputs (ORT's InferenceSession.ValueMetadata). */
export type ValueMetadata =
  | { readonly name: string; readonly isTensor: false }
  | { readonly name: string; readonly isTensor: true; readonly type: string; readonly shape: readonly (number | string)[] };

export interface RuntimeSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly ValueMetadata[];
  readonly outputMetadata: readonly ValueMetadata[];
  run(feeds: Feeds): Promise<Fetches>;
  release(): Promise<void>;
}

export interface SessionOptions {
  /** Outputs to leave on the device that computed them (GPU buffers on WebGPU; ignored on CPU). */
  deviceOutputs?: readonly string[];
}

/** GPUAdapterInfo fields worth showing a user. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

export interface BackendInfo {
  library: 'onnxruntime-web' | 'onnxruntime-node';
  version: string;
  /** The EP sessions are created on now. */
  ep: ExecutionProvider;
  /** The EP the caller asked for. */
  requested: ExecutionProvider;
  /** Set when a WebGPU adapter was found. */
  adapter: AdapterInfo | null;
  /** Why `ep` differs from `requested` (no adapter, device lost, session failure), else null. */
  fallbackReason: string | null;
  /**
   * Threads of the WebAssembly CPU kernels (onnxruntime-web; more than 1 only in a cross-origin
   * isolated page, which SharedArrayBuffer needs), and whether the page is isolated.
   */
  wasm?: { threads: number; crossOriginIsolated: boolean };
}

export interface OrtBackend {
  info(): BackendInfo;
  createSession(model: Uint8Array, options?: SessionOptions): Promise<RuntimeSession>;
  /** A host tensor; the element type follows the array (float32 or int64). */
  tensor(data: RuntimeTensorData, dims: readonly number[]): RuntimeTensor;
  /**
   * Moves new sessions to the fallback EP (WASM) after a failure on the current one.
   * Returns false when there is nothing to fall back to (already on a CPU EP).
   */
  fallback(reason: string): boolean;
  /** Why the GPU device was lost, or null while it is usable (always null on CPU EPs). */
  deviceLost(): string | null;
  /**
   * Resolves once the device has finished the work submitted so far (WebGPU's queue runs behind
   * `session.run`, whose outputs may stay on the GPU); immediate on CPU EPs. Stage timings await
   * it, so each graph is billed for its own GPU work.
   */
  synchronize(): Promise<void>;
  dispose(): Promise<void>;
}

/** Reads a float32 tensor to host memory; throws on any other element type. */
export async function readFloat32(tensor: RuntimeTensor): Promise<Float32Array> {
  const data = await tensor.getData();
  if (!(data instanceof Float32Array)) throw new Error(`expected a float32 tensor, got ${tensor.type}`);
  return data;
}

/** Disposes every tensor of a fetch or feed map, ignoring absent entries. */
export function disposeAll(tensors: Partial<Record<string, RuntimeTensor>> | undefined): void {
  for (const tensor of Object.values(tensors ?? {})) tensor?.dispose();
}
