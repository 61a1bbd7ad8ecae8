/**
 * An encoded case held on the host: what the decoder reads for one image and one report (the SAM
 * image encoder's outputs, the prompt generator's coarse logits and text prompt) and the
 * preprocessed image, as plain Float32Arrays. Batch evaluation keeps these instead of ORT tensors,
 * so a sweep re-runs only the decoder on them (uploading them again, which on WASM is a copy), they
 * survive a WebGPU fallback that rebuilds the sessions, and their bytes can be counted.
 */
import type { Manifest } from '../pipeline/index';
import { tensorShape } from './sessions';
import { promptsFor, type EncodedImage, type EngineContext, type ImageTensors } from './encode-image';
import { readFloat32 } from './ort';

type SamOutput = 'image_embedding' | 'high_res_0' | 'high_res_1';
type ReportOutput = 'coarse_logits' | 'text_prompt';

export interface CaseEncoding extends Pick<EncodedImage, 'geometry' | 'input' | 'coarse' | 'gpfc' | 'timings'> {
  /** The SAM image encoder's outputs: one image, any report. */
  image: Record<SamOutput, Float32Array>;
  /** The prompt generator's outputs for this encoding's report. */
  report: Record<ReportOutput, Float32Array>;
}

const SAM_OUTPUTS: readonly SamOutput[] = ['image_embedding', 'high_res_0', 'high_res_1'];
const REPORT_OUTPUTS: readonly ReportOutput[] = ['coarse_logits', 'text_prompt'];

async function hostCopies<K extends string>(tensors: Record<K, ImageTensors[keyof ImageTensors]>, names: readonly K[]) {
  const out = {} as Record<K, Float32Array>;
  // slice(): a CPU tensor's data is the session's own buffer; a GPU download is already a copy.
  for (const name of names) out[name] = (await readFloat32(tensors[name])).slice();
  return out;
}

/** Host copies of an encoded image's tensors (the caller still releases `encoded`). */
export async function detach(encoded: EncodedImage): Promise<CaseEncoding> {
  return {
    geometry: encoded.geometry,
    input: encoded.input,
    coarse: encoded.coarse,
    gpfc: encoded.gpfc,
    timings: encoded.timings,
    image: await hostCopies(encoded.tensors, SAM_OUTPUTS),
    report: await hostCopies(encoded.tensors, REPORT_OUTPUTS),
  };
}

/** The same image with another report: the prompt generator runs again, the image encoder does not. */
export async function withReport(ctx: EngineContext, encoding: CaseEncoding, report: string): Promise<CaseEncoding> {
  const input = ctx.backend.tensor(encoding.input, tensorShape(ctx.manifest, 'sam_image_encoder', 'image'));
  try {
    const prompts = await promptsFor(ctx, input, report);
    try {
      const copies = await hostCopies(prompts.tensors, REPORT_OUTPUTS);
      return { ...encoding, coarse: prompts.coarse, gpfc: prompts.gpfc, report: copies, timings: { prompt_generator: prompts.ms } };
    } finally {
      prompts.tensors.coarse_logits.dispose();
      prompts.tensors.text_prompt.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** Runtime tensors of an encoding for one decoder run (`release` frees them). */
export function attach(ctx: EngineContext, encoding: CaseEncoding): EncodedImage {
  const tensor = (graph: 'sam_image_encoder' | 'prompt_generator', name: SamOutput | ReportOutput, data: Float32Array) =>
    ctx.backend.tensor(data, tensorShape(ctx.manifest, graph, name));
  const tensors: ImageTensors = {
    image_embedding: tensor('sam_image_encoder', 'image_embedding', encoding.image.image_embedding),
    high_res_0: tensor('sam_image_encoder', 'high_res_0', encoding.image.high_res_0),
    high_res_1: tensor('sam_image_encoder', 'high_res_1', encoding.image.high_res_1),
    coarse_logits: tensor('prompt_generator', 'coarse_logits', encoding.report.coarse_logits),
    text_prompt: tensor('prompt_generator', 'text_prompt', encoding.report.text_prompt),
  };
  return {
    ...encoding,
    tensors,
    embeddingLocation: tensors.image_embedding.location,
    release: () => Object.values(tensors).forEach((t) => t.dispose()),
  };
}

/** Bytes an encoding holds (its arrays, coarse maps included). */
export function encodingBytes(encoding: CaseEncoding): number {
  const arrays = [
    encoding.input,
    encoding.coarse.logits,
    encoding.coarse.probabilities,
    ...Object.values(encoding.image),
    ...Object.values(encoding.report),
  ];
  return arrays.reduce((sum, a) => sum + a.byteLength, 0);
}

/** Bytes one encoding of this bundle holds, from the manifest's shapes (the cache's unit). */
export function encodingBytesFor(manifest: Manifest): number {
  const size = (graph: 'prompt_generator' | 'sam_image_encoder', name: string) =>
    tensorShape(manifest, graph, name).reduce((a, b) => a * b, 1);
  const coarse = size('prompt_generator', 'coarse_logits');
  const floats =
    size('sam_image_encoder', 'image') +
    SAM_OUTPUTS.reduce((sum, name) => sum + size('sam_image_encoder', name), 0) +
    size('prompt_generator', 'text_prompt') +
    3 * coarse; // the decoder's copy, and the coarse map's logits and probabilities
  return floats * Float32Array.BYTES_PER_ELEMENT;
}
