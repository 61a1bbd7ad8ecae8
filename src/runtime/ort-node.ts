/**
 * onnxruntime for node (the CLI and tests): onnxruntime-node on CPU or on its bundled WebGPU EP
 * (Dawn), or onnxruntime-web's WASM build running in node (the same kernels the browser falls back
 * to). Node-only: src/worker and src/ui must not import this file (lint rule).
 *
 * The CLI names its EP explicitly, so nothing here falls back: a missing WebGPU adapter is an
 * error that says so.
 */
import * as ortNode from 'onnxruntime-node';
import type {
  BackendInfo,
  ExecutionProvider,
  OrtBackend,
  RuntimeSession,
  RuntimeTensor,
  RuntimeTensorData,
} from './ort';

type OrtModule = typeof ortNode;

export class NoWebGpuAdapterError extends Error {
  constructor(detail: string) {
    super(
      'no WebGPU adapter: onnxruntime-node\'s WebGPU EP (Dawn) found no usable GPU ' +
        `(${/Failed to get a WebGPU adapter[^\n]*/.exec(detail)?.[0] ?? detail.split('\n')[0]}). ` +
        'Node has no WebGPU of its own; ' +
        'this needs a GPU with a Vulkan, Metal or D3D12 driver. Use --ep cpu or --ep wasm here.',
    );
    this.name = 'NoWebGpuAdapterError';
  }
}

class NodeBackend implements OrtBackend {
  constructor(
    private readonly ort: OrtModule,
    private readonly ep: ExecutionProvider,
    private readonly library: BackendInfo['library'],
  ) {}

  info(): BackendInfo {
    const versions = this.ort.env.versions as Record<string, string | undefined>;
    return {
      library: this.library,
      version: versions['node'] ?? versions['web'] ?? versions['common'] ?? 'unknown',
      ep: this.ep,
      requested: this.ep,
      adapter: null,
      fallbackReason: null,
    };
  }

  async createSession(model: Uint8Array): Promise<RuntimeSession> {
    try {
      const session = await this.ort.InferenceSession.create(model, {
        executionProviders: [this.ep],
        graphOptimizationLevel: 'all',
      });
      return session as unknown as RuntimeSession;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.ep === 'webgpu' && /adapter/i.test(message)) throw new NoWebGpuAdapterError(message);
      throw error;
    }
  }

  tensor(data: RuntimeTensorData, dims: readonly number[]): RuntimeTensor {
    return data instanceof Float32Array ? new this.ort.Tensor(data, dims) : new this.ort.Tensor(data, dims);
  }

  fallback(): boolean {
    return false;
  }

  deviceLost(): string | null {
    return null;
  }

  /** onnxruntime-node returns outputs in host memory: the work is done when run() resolves. */
  async synchronize(): Promise<void> {}

  async dispose(): Promise<void> {}
}

/**
 * 'cpu' and 'webgpu' use onnxruntime-node; 'wasm' loads onnxruntime-web, which resolves to its
 * node build and reads its .wasm from node_modules.
 */
export async function createNodeBackend(ep: ExecutionProvider, options: { threads?: number } = {}): Promise<OrtBackend> {
  if (ep !== 'wasm') return new NodeBackend(ortNode, ep, 'onnxruntime-node');
  const ortWeb = (await import('onnxruntime-web')) as unknown as OrtModule & {
    env: { wasm: { numThreads?: number } };
  };
  ortWeb.env.wasm.numThreads = options.threads ?? 1;
  return new NodeBackend(ortWeb, 'wasm', 'onnxruntime-web');
}
