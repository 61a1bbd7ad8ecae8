import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARSER_VERSION, REGIONS, type GraphSpec, type Manifest, type Metrics } from '../../src/pipeline/index';
import { validateManifest } from '../../src/runtime/manifest';

const MODELS = path.resolve(import.meta.dirname, '../../models');
const readJson = (relative: string): unknown => JSON.parse(readFileSync(path.join(MODELS, relative), 'utf8'));

const HASH = 'a'.repeat(64);

function graph(file: string): GraphSpec {
  return {
    file,
    sha256: HASH,
    bytes: 1024,
    opset: 17,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 1, 128, 128], description: 'image' }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 6], description: 'scores' }],
  };
}

function minimalManifest(): Manifest {
  return {
    format_version: 2,
    bundle_id: 'cxr-tiny',
    title: 'Tiny',
    description: '',
    modality: 'cxr',
    created: '2025-01-31T12:00:00+00:00',
    provenance: { license: 'CC-BY-4.0', data: [{ name: 'synthetic', source: 'generated', terms: 'none' }], notes: '' },
    preprocess: {
      input_size: 128,
      channels: 1,
      channel_rule: 'luminance-bt601',
      bit_depth_rule: 'significant-bits',
      resize: { method: 'linear-antialias', longest_side: 128, rounding: 'floor-half-up' },
      pad: { where: 'bottom-right', value: 0 },
      mean: [0.5],
      std: [0.25],
      window: null,
    },
    expected_input: { description: 'an 8-bit chest radiograph', dicom_modalities: ['CR', 'DX'], mapping: { kind: 'full-range' }, bits: 8 },
    tokenizer: {
      kind: 'wordpiece',
      vocab_file: 'vocab.txt',
      vocab_sha256: HASH,
      vocab_size: 100,
      lowercase: true,
      max_length: 64,
      special_tokens: { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]' },
      max_chars_per_word: 100,
    },
    report_parser: PARSER_VERSION,
    regions: [...REGIONS],
    prompts: { k: 3, theta: 0.5, k_max: 8, max_points: 16, coarse_grid: [16, 16] },
    sam: { input_size: 128, point_frame: 'model-input', mask_logits_size: [32, 32], mask_threshold: 0 },
    training: {
      data: ['synthetic'],
      command: 'python -m locus.train',
      seconds: 1.5,
      device: 'cpu',
      torch: '2.5.0',
      trainable_parameters: 10,
      total_parameters: 20,
      phases: {},
    },
    metrics: null,
    graphs: {
      prompt_generator: graph('prompt_generator.onnx'),
      sam_image_encoder: graph('sam_image_encoder.onnx'),
      sam_decoder: graph('sam_decoder.onnx'),
    },
    fixtures: { index: 'fixtures/index.json' },
  };
}

function errorsOf(data: unknown): string[] {
  const result = validateManifest(data);
  return result.ok ? [] : result.errors;
}

describe('validateManifest', () => {
  it('accepts a minimal manifest', () => {
    expect(validateManifest(minimalManifest())).toEqual({ ok: true, manifest: minimalManifest() });
  });

  it('accepts a window and no fixtures', () => {
    const manifest = { ...minimalManifest(), fixtures: null };
    manifest.preprocess.window = { center: 40, width: 400 };
    expect(errorsOf(manifest)).toEqual([]);
  });

  it('rejects a graph input without a name', () => {
    const manifest = minimalManifest();
    delete (manifest.graphs.sam_decoder.inputs[0] as Partial<GraphSpec['inputs'][number]>).name;
    expect(errorsOf(manifest)).toContainEqual(expect.stringMatching(/^\/graphs\/sam_decoder\/inputs\/0: .*'name'/));
  });

  it('rejects an unknown dtype', () => {
    const manifest = minimalManifest();
    (manifest.graphs.prompt_generator.outputs[0] as { dtype: string }).dtype = 'float64';
    expect(errorsOf(manifest)).toContainEqual(expect.stringMatching(/^\/graphs\/prompt_generator\/outputs\/0\/dtype/));
  });

  it('rejects unknown top-level and graph keys', () => {
    const manifest = { ...minimalManifest(), extra: 1 };
    (manifest.graphs.sam_image_encoder as unknown as Record<string, unknown>)['note'] = 'x';
    const errors = errorsOf(manifest);
    expect(errors).toContainEqual(expect.stringContaining("'extra'"));
    expect(errors).toContainEqual(expect.stringContaining("/graphs/sam_image_encoder: must NOT have additional properties 'note'"));
  });

  it('rejects paths leaving the bundle and repeated tensor names', () => {
    const escaping = minimalManifest();
    escaping.graphs.sam_decoder.file = '../elsewhere.onnx';
    expect(errorsOf(escaping)).toContainEqual(expect.stringMatching(/^\/graphs\/sam_decoder\/file/));
    const repeated = minimalManifest();
    repeated.graphs.sam_decoder.outputs[0]!.name = 'x';
    expect(errorsOf(repeated)).toEqual(['/graphs/sam_decoder: tensor names repeat: x']);
  });

  it.each(['demo-cxr', 'medseg-ct'])('accepts the shipped %s manifest', (bundle) => {
    expect(errorsOf(readJson(`${bundle}/manifest.json`))).toEqual([]);
  });

  it('accepts a metrics record with every section (the shared example Python validates too)', () => {
    const metrics = readJson('tests/vectors/metrics_every_section.json') as Metrics;
    expect(errorsOf({ ...minimalManifest(), metrics })).toEqual([]);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['topk', 'points', 'baselines', 'cross_validation']));
  });

  it('rejects a metrics record with a misspelt or missing field, naming it', () => {
    const metrics = readJson('tests/vectors/metrics_every_section.json') as Record<string, unknown>;
    const { summary, ...noSummary } = metrics;
    expect(errorsOf({ ...minimalManifest(), metrics: { ...metrics, table5: summary } })).toContainEqual(
      expect.stringMatching(/^\/metrics: must NOT have additional properties 'table5'/),
    );
    expect(errorsOf({ ...minimalManifest(), metrics: noSummary })).toContainEqual(
      expect.stringMatching(/^\/metrics: must have required property 'summary'/),
    );
    const torch = { ...metrics, summary: { torch: { dice: { mean: 0.5 } } } };
    expect(errorsOf({ ...minimalManifest(), metrics: torch })).toContainEqual(expect.stringMatching(/^\/metrics\/summary: .*'torch'/));
  });

  it('refuses a bundle whose region order is not the pipeline\'s, naming the field', () => {
    const manifest = minimalManifest();
    manifest.regions = [...REGIONS].reverse();
    expect(errorsOf(manifest)).toEqual([expect.stringMatching(/^\/regions: \[left_lower, .*\] is not this runtime's region order \[right_upper, /)]);
  });

  it('refuses a bundle whose special tokens differ from the tokenizer\'s, naming the token', () => {
    const manifest = minimalManifest();
    manifest.tokenizer.special_tokens.sep = '[EOS]';
    expect(errorsOf(manifest)).toEqual(["/tokenizer/special_tokens/sep: '[EOS]' is not this runtime's '[SEP]' (id 3)"]);
  });

  it('refuses a bundle made for another report parser, naming the field', () => {
    const manifest = { ...minimalManifest(), report_parser: 'locus-report v2' };
    expect(errorsOf(manifest)).toEqual([
      `/report_parser: the bundle was made for 'locus-report v2', this runtime parses reports with '${PARSER_VERSION}'`,
    ]);
  });

  it('sends a manifest that does not say what input it expects to the migration', () => {
    const without: Partial<Manifest> = minimalManifest();
    delete without.expected_input;
    expect(errorsOf(without)).toEqual([
      '/expected_input: missing: the bundle does not say what input it expects (needed to read DICOM); ' +
        'complete it with `cd models && python3 -m locus.export.migrate BUNDLE`',
    ]);
  });

  it('checks the expected input: a window needs HU and a width, a full range nothing else', () => {
    const manifest = minimalManifest();
    manifest.expected_input.mapping = { kind: 'window', units: 'HU', function: 'LINEAR', center: -600, width: 0 };
    expect(errorsOf(manifest).join('; ')).toContain('/expected_input/mapping');
    manifest.expected_input.mapping = { kind: 'window', units: 'HU', function: 'LINEAR', center: -600, width: 1500 };
    expect(errorsOf(manifest)).toEqual([]);
  });

  it('sends a format-1 manifest to the migration', () => {
    expect(errorsOf({ ...minimalManifest(), format_version: 1 })).toEqual([
      expect.stringContaining('/format_version: 1, this runtime reads format 2 (typed metrics, report_parser); migrate the bundle with'),
    ]);
  });
});
