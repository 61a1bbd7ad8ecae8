/**
 * The `locus` command (bin/locus.mjs runs this file through tsx): segment, eval, bench, verify.
 * Errors are one line on stderr; the exit codes are listed in USAGE.
 */
import { USAGE, UsageError, commandUsage } from './args';
import { benchCommand } from './bench';
import { evalCommand } from './eval';
import { segmentCommand } from './segment';
import { verifyCommand } from './verify';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  segment: segmentCommand,
  eval: evalCommand,
  bench: benchCommand,
  verify: verifyCommand,
};

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Runs one command; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command !== undefined && rest.some((arg) => arg === '--help' || arg === '-h')) {
    console.log(commandUsage(name));
    return 0;
  }
  try {
    if (command === undefined) throw new UsageError(`unknown command '${name}'`);
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RangeError) {
      console.error(`locus: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`locus ${name}: error: ${firstLine(error)}`);
    return 1;
  }
}
