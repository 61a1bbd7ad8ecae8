/**
 * A minimal static server for the studio e2e tests: dist/ mounted under a subpath (/locus/), so the
 * tests prove the build works from any static host and any path (relative base). Nothing else.
 *
 * usage: tsx e2e/serve-dist.ts [port] [dir]
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';

const port = Number(process.argv[2] ?? 4318);
const root = path.resolve(process.argv[3] ?? 'dist');
const MOUNT = '/locus/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

if (!existsSync(path.join(root, 'index.html'))) {
  console.error(`no build at ${root}: run npm run build first`);
  process.exit(1);
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(MOUNT)) {
    res.writeHead(404).end('not found');
    return;
  }
  const relative = decodeURIComponent(url.pathname.slice(MOUNT.length)) || 'index.html';
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': statSync(file).size });
  createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`serving ${root} at http://127.0.0.1:${port}${MOUNT}`));
