/// <reference types="vite/client" />
/**
 * onnxruntime-web for the worker: the native WebGPU EP, with onnxruntime-web's WASM CPU kernels
 * as the fallback (no adapter, device lost, or a session that fails on WebGPU).
 *
 * We request the GPU adapter and device ourselves and hand the device to ORT, so we can say which
 * adapter runs the model, notice device loss, and explain a fallback instead of hiding it. The
 * `.wasm`/`.mjs` runtime files are served by our own build (Vite asset URLs), never a CDN; ORT is
 * imported here, inside our worker, because its proxy mode does not work with WebGPU.
 */
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type {
  AdapterInfo,
  BackendInfo,
  ExecutionProvider,
  OrtBackend,
  RuntimeSession,
  RuntimeTensor,
  RuntimeTensorData,
  SessionOptions,
} from './ort';

export interface WebBackendOptions {
  /** 'webgpu' tries WebGPU first and falls back to WASM; 'wasm' never touches the GPU. */
  ep: 'webgpu' | 'wasm';
}

interface GpuState {
  device: GPUDevice;
  adapter: AdapterInfo;
  lost: string | null;
}

/** The limits ORT itself asks for when it creates a device: the adapter's maxima. */
const DEVICE_LIMITS = [
  'maxBindGroups',
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupsPerDimension',
] as const;

const DEVICE_FEATURES: GPUFeatureName[] = ['shader-f16', 'subgroups', 'timestamp-query'];

function configureWasm(): void {
  const absolute = (url: string) => new URL(url, self.location.href).href;
  ort.env.wasm.wasmPaths = { wasm: absolute(wasmUrl), mjs: absolute(mjsUrl) };
  // Threads need cross-origin isolation (SharedArrayBuffer); without it ORT would warn and use one.
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  // ORT prints its warnings (nodes placed on the CPU, unused initialisers) through console.error;
  // they are about the graphs, not the user's case. Real failures still reject with their message.
  ort.env.logLevel = 'error';
}

function describeAdapter(info: GPUAdapterInfo): AdapterInfo {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}

/** Adapter and device, or the reason there is none (reported as the fallback reason). */
async function requestGpu(): Promise<GpuState | string> {
  if (!('gpu' in navigator) || navigator.gpu === undefined) {
    return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  }
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter === null) return 'navigator.gpu.requestAdapter() returned no adapter';
    const requiredLimits: Record<string, number> = {};
    for (const name of DEVICE_LIMITS) requiredLimits[name] = adapter.limits[name];
    const requiredFeatures = DEVICE_FEATURES.filter((f) => adapter.features.has(f));
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
    const state: GpuState = { device, adapter: describeAdapter(adapter.info), lost: null };
    void device.lost.then((info) => {
      state.lost = `WebGPU device lost (${info.reason}): ${info.message || 'no message'}`;
    });
    return state;
  } catch (error) {
    return `WebGPU device request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

class WebBackend implements OrtBackend {
  private ep: ExecutionProvider;
  private fallbackReason: string | null = null;

  constructor(
    private readonly requested: ExecutionProvider,
    private readonly gpu: GpuState | null,
    noGpuReason: string | null,
  ) {
    this.ep = gpu === null ? 'wasm' : 'webgpu';
    if (requested === 'webgpu' && gpu === null) this.fallbackReason = noGpuReason;
  }

  info(): BackendInfo {
    return {
      library: 'onnxruntime-web',
      version: ort.env.versions.web ?? ort.env.versions.common,
      ep: this.ep,
      requested: this.requested,
      adapter: this.gpu?.adapter ?? null,
      fallbackReason: this.fallbackReason,
      wasm: { threads: ort.env.wasm.numThreads ?? 1, crossOriginIsolated: globalThis.crossOriginIsolated === true },
    };
  }

  async createSession(model: Uint8Array, options: SessionOptions = {}): Promise<RuntimeSession> {
    const sessionOptions: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', logSeverityLevel: 3 };
    if (this.ep === 'webgpu' && this.gpu !== null) {
      sessionOptions.executionProviders = [{ name: 'webgpu', device: this.gpu.device }];
      const keep = options.deviceOutputs ?? [];
      if (keep.length > 0) sessionOptions.preferredOutputLocation = Object.fromEntries(keep.map((n) => [n, 'gpu-buffer']));
    } else {
      sessionOptions.executionProviders = ['wasm'];
    }
    return (await ort.InferenceSession.create(model, sessionOptions)) as unknown as RuntimeSession;
  }

  tensor(data: RuntimeTensorData, dims: readonly number[]): RuntimeTensor {
    return data instanceof Float32Array ? new ort.Tensor(data, dims) : new ort.Tensor(data, dims);
  }

  fallback(reason: string): boolean {
    if (this.ep !== 'webgpu') return false;
    this.ep = 'wasm';
    this.fallbackReason = reason;
    return true;
  }

  deviceLost(): string | null {
    return this.ep === 'webgpu' ? (this.gpu?.lost ?? null) : null;
  }

  async synchronize(): Promise<void> {
    if (this.ep === 'webgpu' && this.gpu !== null && this.gpu.lost === null) await this.gpu.device.queue.onSubmittedWorkDone();
  }

  async dispose(): Promise<void> {
    this.gpu?.device.destroy();
  }
}

/** The worker's backend; with `ep: 'webgpu'` and no usable GPU it starts on WASM and says why. */
export async function createWebBackend(options: WebBackendOptions): Promise<OrtBackend> {
  configureWasm();
  if (options.ep === 'wasm') return new WebBackend('wasm', null, null);
  const gpu = await requestGpu();
  return typeof gpu === 'string' ? new WebBackend('webgpu', null, gpu) : new WebBackend('webgpu', gpu, null);
}
