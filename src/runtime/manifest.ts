/**
 * Validation of the bundle manifest (manifest.json) against models/manifest.schema.json, the
 * cross-field rules the schema cannot state, and the constants the manifest shares with this
 * pipeline: a bundle whose regions, special tokens or report parser differ from the code that
 * would read its outputs is refused, naming the field. The types live in `pipeline/contract.ts`.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv/dist/2020.js';
import manifestSchema from '../../models/manifest.schema.json' with { type: 'json' };
import { CLS_ID, GRAPH_NAMES, PAD_ID, PARSER_VERSION, REGIONS, SEP_ID, SPECIAL_TOKENS, UNK_ID } from '../pipeline/index';
import type { Manifest } from '../pipeline/index';

/** The one manifest format this runtime reads: the schema's. */
const FORMAT_VERSION = manifestSchema.properties.format_version.const;

export type ManifestValidation = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

/** A compiled schema check, as Ajv makes it: true, or false with `errors` set. */
export type SchemaCheck = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let compiled: SchemaCheck | undefined;

/**
 * Validates with a check compiled at build time (scripts/vite/manifest-validator.ts): the browser
 * worker's Content-Security-Policy forbids the `new Function` Ajv compiles schemas with.
 */
export function usePrecompiledSchema(check: SchemaCheck): void {
  compiled = check;
}

function schemaValidator(): SchemaCheck {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile<Manifest>(manifestSchema);
  return compiled;
}

function formatError(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(manifest)' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params['additionalProperty'])}'` : '';
  const allowed = 'allowedValues' in error.params ? ` ${JSON.stringify(error.params['allowedValues'])}` : '';
  return `${at}: ${error.message ?? error.keyword}${extra}${allowed}`;
}

const SPECIAL_IDS = { pad: PAD_ID, unk: UNK_ID, cls: CLS_ID, sep: SEP_ID } as const;

/** The manifest's constants that this pipeline holds too (regions, special tokens, parser) must agree. */
function pipelineErrors(manifest: Manifest): string[] {
  const errors: string[] = [];
  if (manifest.regions.join() !== REGIONS.join()) {
    errors.push(`/regions: [${manifest.regions.join(', ')}] is not this runtime's region order [${REGIONS.join(', ')}]`);
  }
  for (const [key, id] of Object.entries(SPECIAL_IDS)) {
    const token = manifest.tokenizer.special_tokens[key as keyof typeof SPECIAL_IDS];
    if (token !== SPECIAL_TOKENS[id]) {
      errors.push(`/tokenizer/special_tokens/${key}: '${token}' is not this runtime's '${SPECIAL_TOKENS[id]}' (id ${id})`);
    }
  }
  if (manifest.report_parser !== PARSER_VERSION) {
    errors.push(`/report_parser: the bundle was made for '${manifest.report_parser}', this runtime parses reports with '${PARSER_VERSION}'`);
  }
  return errors;
}

/** Rules JSON Schema cannot state: lengths tied to other fields, name uniqueness. */
function contractErrors(manifest: Manifest): string[] {
  const errors: string[] = [];
  const { channels, mean, std } = manifest.preprocess;
  if (mean.length !== channels || std.length !== channels) {
    errors.push(`/preprocess: mean and std need ${channels} value(s) each (one per channel)`);
  }
  for (const graphName of GRAPH_NAMES) {
    const graph = manifest.graphs[graphName];
    const names = [...graph.inputs, ...graph.outputs].map((t) => t.name);
    const repeated = names.filter((name, i) => names.indexOf(name) !== i);
    if (repeated.length > 0) {
      errors.push(`/graphs/${graphName}: tensor names repeat: ${[...new Set(repeated)].join(', ')}`);
    }
  }
  return errors;
}

function formatVersionError(data: unknown): string | null {
  const version = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['format_version'] : undefined;
  if (version === 1) {
    return (
      `/format_version: 1, this runtime reads format ${FORMAT_VERSION} (typed metrics, report_parser); ` +
      'migrate the bundle with `cd models && python3 -m locus.export.migrate BUNDLE`'
    );
  }
  const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  if (version === FORMAT_VERSION && !('expected_input' in fields)) {
    return (
      '/expected_input: missing: the bundle does not say what input it expects (needed to read DICOM); ' +
      'complete it with `cd models && python3 -m locus.export.migrate BUNDLE`'
    );
  }
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    return `/format_version: ${version} is newer than this Locus reads (${FORMAT_VERSION}): update Locus to open this bundle`;
  }
  return null;
}

/** Checks parsed manifest.json against the schema, the cross-field rules and this pipeline's constants. */
export function validateManifest(data: unknown): ManifestValidation {
  const outdated = formatVersionError(data);
  if (outdated !== null) return { ok: false, errors: [outdated] };
  const validate = schemaValidator();
  if (!validate(data)) {
    return { ok: false, errors: (validate.errors ?? []).map(formatError) };
  }
  const manifest = data as Manifest;
  const errors = [...contractErrors(manifest), ...pipelineErrors(manifest)];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, manifest };
}
