/**
 * Validation of the bundle manifest (manifest.json) against models/manifest.schema.json and the
 * cross-field rules the schema cannot state. The types live in `pipeline/contract.ts` (pure) and
 * are re-exported here for runtime callers.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import manifestSchema from '../../models/manifest.schema.json' with { type: 'json' };
import { GRAPH_NAMES } from '../pipeline/contract';
import type { Manifest } from '../pipeline/contract';

export { GRAPH_NAMES } from '../pipeline/contract';
export type {
  DataSource,
  GraphName,
  GraphSpec,
  IntensityWindow,
  Manifest,
  PreprocessSpec,
  PromptSpec,
  Provenance,
  SamSpec,
  Size2d,
  TensorDType,
  TensorSpec,
  TokenizerSpec,
  TrainingRecord,
} from '../pipeline/contract';

export type ManifestValidation = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

let compiled: ValidateFunction<Manifest> | undefined;

function schemaValidator(): ValidateFunction<Manifest> {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile<Manifest>(manifestSchema);
  return compiled;
}

function formatError(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(manifest)' : error.instancePath;
  const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params['additionalProperty'])}'` : '';
  const allowed = 'allowedValues' in error.params ? ` ${JSON.stringify(error.params['allowedValues'])}` : '';
  return `${at}: ${error.message ?? error.keyword}${extra}${allowed}`;
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

/** Checks parsed manifest.json against the schema and the cross-field rules. */
export function validateManifest(data: unknown): ManifestValidation {
  const validate = schemaValidator();
  if (!validate(data)) {
    return { ok: false, errors: (validate.errors ?? []).map(formatError) };
  }
  const errors = contractErrors(data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, manifest: data };
}
