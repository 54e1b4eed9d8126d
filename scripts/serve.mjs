// A static server for dist/ under any path, as a plain static host would serve it, with the
// headers that make the page cross-origin isolated (so that WASM may use threads). Used by the
// e2e tests of sub-path hosting and of updates, and by hand:
//   node scripts/serve.mjs [--dir dist] [--base /lab/] [--port 4174] [--no-isolation]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * The content-security policy the lab works under (docs/hosting.md gives it for each host): its own
 * scripts and WebAssembly ('wasm-unsafe-eval'), workers from its own files or blob: (the threaded
 * WASM backend starts its workers from blob: URLs), data and images from its own origin only.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Sent with every answer: no content-type sniffing, and no framing by other sites (a page that
 * frames the lab could overlay its buttons).
 */
const SECURITY = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': CSP,
  'X-Frame-Options': 'SAMEORIGIN',
};

/** Whether `file` is `root` or below it (a sibling whose name starts with root's is not). */
export function inside(root, file) {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Serves `dir` at `base` on `port` (0: any free port); resolves to the server and its URL. */
export function serveStatic({ dir = 'dist', base = '/', port = 0, isolation = true, csp = CSP } = {}) {
  const security = { ...SECURITY, 'Content-Security-Policy': csp };
  const root = resolve(dir);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      // A malformed percent-encoding is the request's fault, not a reason to stop serving.
      res.writeHead(400, { 'Content-Type': 'text/plain', ...security });
      res.end('bad request: the path is not valid percent-encoding');
      return;
    }
    if (path === prefix.slice(0, -1)) {
      res.writeHead(301, { Location: prefix });
      res.end();
      return;
    }
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...security });
      res.end('not found (the lab is served under ' + prefix + ')');
      return;
    }
    let file = resolve(root, `.${sep}${path.slice(prefix.length)}`);
    if (!inside(root, file)) {
      res.writeHead(403, security);
      res.end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const headers = {
        ...security,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        // The service worker and the page are checked for updates on every visit.
        'Cache-Control': /\/assets\//.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      if (isolation)
        Object.assign(headers, {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        });
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...security });
      res.end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}${prefix}` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const { url } = await serveStatic({
    dir: opt('--dir', 'dist'),
    base: opt('--base', '/'),
    port: Number(opt('--port', '4174')),
    isolation: !args.includes('--no-isolation'),
  });
  console.log(`serving ${opt('--dir', 'dist')} at ${url}`);
}
