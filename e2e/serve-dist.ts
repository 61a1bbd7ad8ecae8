/**
 * A minimal static server for the studio e2e tests, on one port:
 * - /locus/: dist/ under a subpath, as a static host that sends no headers (the tests prove the
 *   build works from any host and path; the service worker adds the isolation headers itself);
 * - /locus-headers/: the same build with the rules of dist/_headers applied (CSP, COOP/COEP), as
 *   a host that sends them;
 * - /remote/<bundle>/ and /remote-tampered/<bundle>/: a shipped bundle with CORS, to be loaded
 *   from another origin (http://localhost:<port>, while the studio is at 127.0.0.1); the tampered
 *   copy has one byte of sam_decoder.onnx changed;
 * - POST /__test/next-version: from then on sw.js ends with a comment naming a new version, as
 *   after a deployment (the update prompt's test).
 *
 * usage: tsx e2e/serve-dist.ts [port] [dir]
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';

const port = Number(process.argv[2] ?? 4318);
const root = path.resolve(process.argv[3] ?? 'dist');
const models = path.resolve(import.meta.dirname, '../models');
let version = 0;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.dcm': 'application/dicom',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

if (!existsSync(path.join(root, 'index.html'))) {
  console.error(`no build at ${root}: run npm run build first`);
  process.exit(1);
}

/** The headers dist/_headers gives every path (its one `/*` rule). */
function headerRules(): Record<string, string> {
  const lines = readFileSync(path.join(root, '_headers'), 'utf8').split('\n').slice(1);
  return Object.fromEntries(lines.filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

/** A file under `base` for a path relative to the mount, or null (outside it, missing, a folder). */
function fileUnder(base: string, relative: string): string | null {
  const file = path.resolve(base, decodeURIComponent(relative) || 'index.html');
  return file.startsWith(base + path.sep) && existsSync(file) && statSync(file).isFile() ? file : null;
}

function send(res: ServerResponse, file: string, headers: Record<string, string>, body?: Buffer): void {
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const length = body?.length ?? statSync(file).size;
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': length, ...headers });
  if (body) res.end(body);
  else createReadStream(file).pipe(res);
}

function serveApp(res: ServerResponse, relative: string, headers: Record<string, string>): void {
  const file = fileUnder(root, relative);
  if (file === null) return void res.writeHead(404).end('not found');
  if (path.basename(file) === 'sw.js' && version > 0) {
    return send(res, file, headers, Buffer.concat([readFileSync(file), Buffer.from(`\n// deployment ${version}\n`)]));
  }
  send(res, file, headers);
}

function serveRemote(res: ServerResponse, relative: string, tampered: boolean): void {
  const [bundle = '', ...rest] = relative.split('/');
  const file = /^[a-z0-9-]+$/.test(bundle) ? fileUnder(path.join(models, bundle), rest.join('/')) : null;
  const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
  if (file === null) return void res.writeHead(404, cors).end('not found');
  if (!tampered || path.basename(file) !== 'sam_decoder.onnx') return send(res, file, cors);
  const bytes = readFileSync(file);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0xff;
  send(res, file, cors, bytes);
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const mounts: [string, (relative: string) => void][] = [
    ['/locus/', (r) => serveApp(res, r, {})],
    ['/locus-headers/', (r) => serveApp(res, r, headerRules())],
    ['/remote/', (r) => serveRemote(res, r, false)],
    ['/remote-tampered/', (r) => serveRemote(res, r, true)],
  ];
  if (req.method === 'POST' && url.pathname === '/__test/next-version') {
    version += 1;
    return void res.writeHead(200).end(String(version));
  }
  const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
  if (mount === undefined) return void res.writeHead(404).end('not found');
  mount[1](url.pathname.slice(mount[0].length));
}

createServer(route).listen(port, '127.0.0.1', () => console.log(`serving ${root} at http://127.0.0.1:${port}/locus/ (and /locus-headers/, /remote/)`));
