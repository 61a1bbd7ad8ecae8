/**
 * Bundle loading: hashes are checked before any session exists, progress is reported per file,
 * and a manifest whose names disagree with the graphs is refused when the sessions are made.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleError, checkRelativePath, loadBundle, sha256Hex, type BundleProgress, type BundleSource } from '../../src/runtime/bundle';
import { fsBundleSource } from '../../src/runtime/bundle-node';
import { Engine } from '../../src/runtime/engine';
import { createNodeBackend } from '../../src/runtime/ort-node';
import type { OrtBackend } from '../../src/runtime/ort';
import { SessionContractError } from '../../src/runtime/sessions';
import { BUNDLE_DIR } from './fixture-cases';

/** The bundle on disk, with some files' bytes rewritten. */
function patchedSource(patch: (file: string, bytes: Uint8Array) => Uint8Array): BundleSource {
  return {
    kind: 'reader',
    name: 'patched',
    read: async (file) => patch(file, new Uint8Array(await readFile(path.join(BUNDLE_DIR, file)))),
  };
}

function editManifest(edit: (manifest: { graphs: Record<string, { inputs: { name: string }[] }> }) => void) {
  return patchedSource((file, bytes) => {
    if (file !== 'manifest.json') return bytes;
    const manifest = JSON.parse(new TextDecoder().decode(bytes));
    edit(manifest);
    return new TextEncoder().encode(JSON.stringify(manifest));
  });
}

async function countingBackend(): Promise<{ backend: OrtBackend; sessions: () => number }> {
  const inner = await createNodeBackend('cpu');
  let made = 0;
  const backend: OrtBackend = {
    ...inner,
    info: () => inner.info(),
    tensor: (data, dims) => inner.tensor(data, dims),
    fallback: (reason) => inner.fallback(reason),
    deviceLost: () => inner.deviceLost(),
    dispose: () => inner.dispose(),
    createSession: async (model, options) => {
      made++;
      return inner.createSession(model, options);
    },
  };
  return { backend, sessions: () => made };
}

describe('loadBundle', () => {
  it('loads and verifies the bundle, reporting progress for every file', async () => {
    const progress: BundleProgress[] = [];
    const bundle = await loadBundle(fsBundleSource(BUNDLE_DIR), { onProgress: (p) => progress.push(p) });
    const files = new Set(progress.map((p) => p.file));
    for (const graph of Object.values(bundle.manifest.graphs)) {
      expect(files).toContain(graph.file);
      expect(await sha256Hex(bundle.graphs[graph.file.replace('.onnx', '') as keyof typeof bundle.graphs])).toBe(graph.sha256);
    }
    expect(files).toContain(bundle.manifest.tokenizer.vocab_file);
    expect(progress.every((p) => p.loaded <= p.total)).toBe(true);
    expect(bundle.vocab.split('\n')[0]).toBe('[PAD]');
  });

  it('rejects a graph whose sha256 differs before creating any session', async () => {
    const { backend, sessions } = await countingBackend();
    const source = patchedSource((file, bytes) => {
      if (file !== 'sam_decoder.onnx') return bytes;
      const copy = bytes.slice();
      copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
      return copy;
    });
    const opening = Engine.open(source, backend);
    await expect(opening).rejects.toBeInstanceOf(BundleError);
    await expect(opening).rejects.toThrow(/^sam_decoder\.onnx: sha256 [0-9a-f]{64} does not match/);
    expect(sessions()).toBe(0);
  });

  it('rejects a vocabulary whose sha256 differs', async () => {
    const source = patchedSource((file, bytes) => (file === 'vocab.txt' ? new TextEncoder().encode('[PAD]\n') : bytes));
    await expect(loadBundle(source)).rejects.toThrow(/^vocab\.txt: sha256/);
  });

  it('rejects a manifest that fails the schema, naming manifest.json', async () => {
    const source = editManifest((m) => delete (m as Partial<typeof m>).graphs);
    await expect(loadBundle(source)).rejects.toThrow(/^manifest\.json: not a Locus bundle manifest/);
  });

  it('refuses a bundle whose region order is not the pipeline\'s, naming the field', async () => {
    const source = editManifest((m) => {
      const regions = (m as unknown as { regions: string[] }).regions;
      regions.push(regions.shift()!);
    });
    await expect(loadBundle(source)).rejects.toThrow(/^manifest\.json: .*\/regions: \[right_middle, .*\] is not this runtime's region order/);
  });

  it('rejects paths that leave the bundle folder', async () => {
    const source = editManifest((m) => {
      (m.graphs['sam_decoder'] as unknown as { file: string }).file = '../x.onnx';
    });
    await expect(loadBundle(source)).rejects.toThrow(/^manifest\.json: .*sam_decoder\/file/);
    for (const bad of ['../x', '/etc/passwd', 'a//b', 'https://example.com/x']) {
      expect(() => checkRelativePath(bad)).toThrow(/path leaves the bundle folder/);
    }
    expect(checkRelativePath('fixtures/case0/image.png')).toBe('fixtures/case0/image.png');
  });
});

describe('session contract', () => {
  it('refuses a manifest whose input names differ from the graph', async () => {
    const source = editManifest((m) => {
      const inputs = m.graphs['sam_decoder']!.inputs;
      inputs[inputs.length - 1]!.name = 'has_text_prompt';
    });
    const { backend, sessions } = await countingBackend();
    const opening = Engine.open(source, backend);
    await expect(opening).rejects.toBeInstanceOf(SessionContractError);
    await expect(opening).rejects.toThrow(/sam_decoder\.onnx \(sam_decoder\): the graph's inputs are \[.*has_text\], the manifest says \[.*has_text_prompt\]/);
    expect(sessions()).toBe(3);
  });

  it('refuses a manifest whose dims differ from the graph, naming the tensor', async () => {
    let graphShape = '';
    const source = editManifest((m) => {
      const output = (m.graphs['sam_decoder'] as unknown as { outputs: { shape: number[] }[] }).outputs[0]!;
      graphShape = output.shape.join(',');
      output.shape = [1, 1, 32, 32];
    });
    const { backend } = await countingBackend();
    const opening = Engine.open(source, backend);
    await expect(opening).rejects.toThrow(/sam_decoder\.onnx \(sam_decoder\): mask_logits is float32\[/);
    // the graph's own dims (the bundle's mask size, e.g. 1,1,128,128) against the edited ones
    await expect(opening).rejects.toThrow(`mask_logits is float32[${graphShape}] in the graph, float32[1,1,32,32] in the manifest`);
  });
});
