/** The built studio (dist/) under /locus/ on a local port, for the scripts that drive it in Chromium. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts e2e/serve-dist.ts on `port`; resolves once it serves, to a function that stops it. */
export async function serveDist(port: string): Promise<() => void> {
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'e2e/serve-dist.ts'), port, path.join(ROOT, 'dist')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving') && resolve());
    server.on('exit', (code) => reject(new Error(`the static server stopped (exit ${code}): run npm run build first`)));
  });
  return () => server.kill();
}
