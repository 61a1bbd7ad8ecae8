#!/usr/bin/env node
// Runs src/cli/main.ts through tsx's loader API, so the CLI needs no build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
