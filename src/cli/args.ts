/**
 * Command-line parsing shared by the commands: node's parseArgs, the prompt options
 * (--k, --theta, --prompts) and the usage text.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ExecutionProvider } from '../runtime/ort';
import type { PromptSettings } from '../runtime/results';

/** Each command's synopsis (`locus <command> --help` prints its own). */
export const COMMAND_USAGE: Record<string, string> = {
  segment: `  locus segment --bundle DIR --image FILE (--report TEXT | --report-file FILE) --out mask.png
                [--seg mask.dcm] [--json out.json] [--frame N] [--any-modality]
                [--ep cpu|wasm] [--k N] [--theta P] [--prompts coarse,points,text]`,
  eval: `  locus eval    --bundle DIR --data DIR --out results.json [--csv results.csv]
                [--cases IDS.txt] [--reports REPORTS.csv|.xlsx] [--any-modality]
                [--ep cpu|wasm] [--k N] [--theta P] [--prompts coarse,points,text]
  locus eval    --bundle DIR --data DIR --sweep k,theta,prompts,location|all --out DIR|FILE.json
                [--cases IDS.txt] [--reports REPORTS.csv|.xlsx] [--any-modality] [--ep cpu|wasm] [--k N] [--theta P]`,
  bench: `  locus bench   --bundle DIR [--ep cpu|wasm|webgpu] [--runs N] [--image FILE --report TEXT] [--json out.json]`,
  verify: `  locus verify  BUNDLE [--ep cpu|wasm] [--tol 1e-4] [--json out.json]`,
};

const EXIT_CODES = `exit codes: 0 ok; 1 failure (bad bundle, unreadable input; verify: any check failed); 2 usage error;
            3 eval finished but some cases could not be scored (listed, the rest are in the results)`;

export const USAGE = `usage: locus <command> [options]

${Object.values(COMMAND_USAGE).join('\n')}

${EXIT_CODES}`;

/** What `locus <command> --help` says beyond the synopsis. */
const COMMAND_DETAILS: Record<string, string> = {
  eval: `--sweep encodes each case once and decodes it for every setting of the listed sweeps
(all prompts unless the sweep varies them; --k and --theta set the k and theta the others use):
  k         k = 0..5 at theta                 (files k-0 .. k-5)
  theta     theta = 0.3 .. 0.95 at k          (files theta-0.3 .. theta-0.95)
  prompts   the 8 prompt subsets at k, theta  (files prompts-none, prompts-coarse, prompts-points,
            prompts-text, prompts-coarse+points, prompts-coarse+text, prompts-points+text, prompts-all)
  location  on the cases whose report names some but not all regions: the true report, one naming
            exactly the other regions, one naming all six (python3 -m locus.evaluate's texts)
            (files location-true_report, location-other_regions, location-all_regions)
--out DIR writes DIR/sweep.json (the tables, the Dice histogram, the file of each setting) and per
setting DIR/<file>.json, exactly what \`locus eval\` writes for those settings (summary, cases),
and DIR/<file>.csv; --out FILE.json writes all of it to one file, the settings under "settings".`,
};

/** One command's usage, for `locus <command> --help`. */
export function commandUsage(name: string): string {
  const details = COMMAND_DETAILS[name];
  return `usage:\n${COMMAND_USAGE[name] ?? ''}\n\n${details === undefined ? '' : `${details}\n\n`}${EXIT_CODES}`;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const PROMPT_OPTIONS = {
  k: { type: 'string' },
  theta: { type: 'string' },
  prompts: { type: 'string' },
  ep: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type Options = Record<string, string | boolean | undefined>;

/** Options (the prompt options included) and up to `maxPositionals` plain arguments. */
export function parseCommandArgs(
  argv: string[],
  options: ParseArgsConfig['options'],
  maxPositionals: number,
): { values: Options; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...PROMPT_OPTIONS, ...options },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > maxPositionals) throw new UsageError(`unexpected argument '${String(positionals[maxPositionals])}'`);
    return { values: values as Options, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function parseCommand(argv: string[], options: ParseArgsConfig['options']): Options {
  return parseCommandArgs(argv, options, 0).values;
}

export function requireOption(values: Options, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(values: Options, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function executionProvider(values: Options, allowed: readonly ExecutionProvider[]): ExecutionProvider {
  const ep = optionalString(values, 'ep') ?? 'cpu';
  if (!(allowed as readonly string[]).includes(ep)) throw new UsageError(`--ep must be one of ${allowed.join(', ')}`);
  return ep as ExecutionProvider;
}

export function numberOption(values: Options, name: string): number | undefined {
  const raw = optionalString(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got '${raw}'`);
  return value;
}

const PROMPT_NAMES = ['coarse', 'points', 'text'] as const;

/** The manifest's defaults, changed by --k, --theta and --prompts (the prompts switched on). */
export function promptSettings(values: Options, defaults: PromptSettings): PromptSettings {
  const settings = { ...defaults };
  settings.k = numberOption(values, 'k') ?? settings.k;
  settings.theta = numberOption(values, 'theta') ?? settings.theta;
  const prompts = optionalString(values, 'prompts');
  if (prompts !== undefined) {
    const chosen = prompts.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const unknown = chosen.filter((p) => !(PROMPT_NAMES as readonly string[]).includes(p));
    if (unknown.length > 0) throw new UsageError(`--prompts takes ${PROMPT_NAMES.join(',')}; unknown: ${unknown.join(', ')}`);
    settings.useCoarse = chosen.includes('coarse');
    settings.usePoints = chosen.includes('points');
    settings.useText = chosen.includes('text');
  }
  return settings;
}

export function positiveInteger(values: Options, name: string, fallback: number): number {
  const value = numberOption(values, name) ?? fallback;
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} needs a whole number above 0`);
  return value;
}
