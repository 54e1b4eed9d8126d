// scripts/serve.mjs, the static server of the e2e tests and of the hosting docs, on bad requests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inside, serveStatic } from '../../../scripts/serve.mjs';

let server: Server;
let url: string;
// dist/ and a sibling whose name starts with "dist": dist-secret/ must never be served.
const parent = mkdtempSync(join(tmpdir(), 'serve-test-'));
const root = join(parent, 'dist');

beforeAll(async () => {
  mkdirSync(root);
  mkdirSync(join(parent, 'dist-secret'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(parent, 'dist-secret', 'key.txt'), 'secret');
  ({ server, url } = await serveStatic({ dir: root, base: '/lab/' }));
});
afterAll(() => server.close());

/** The raw request path as given (fetch would normalise `..` away). */
async function get(path: string) {
  const { request } = await import('node:http');
  const { port } = new URL(url);
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('scripts/serve.mjs', () => {
  test('a malformed percent-encoding answers 400, and the server keeps serving', async () => {
    expect((await get('/lab/%E0%A4%A')).status).toBe(400);
    expect((await get('/lab/')).status).toBe(200);
  });

  test("an encoded '..' cannot reach a sibling folder whose name starts with the root's", async () => {
    for (const path of [
      '/lab/..%2fdist-secret%2fkey.txt',
      '/lab/%2e%2e/dist-secret/key.txt',
      '/lab/..%5cdist-secret%5ckey.txt',
    ]) {
      const r = await get(path);
      expect(r.body).not.toContain('secret');
      expect([403, 404]).toContain(r.status);
    }
  });

  test('every answer says nosniff and may be framed only by the same origin', async () => {
    for (const path of ['/lab/', '/lab/missing.js', '/lab/%E0%A4%A']) {
      const r = await get(path);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    }
  });

  test('inside() checks with a separator, not a prefix', () => {
    expect(inside('/srv/dist', '/srv/dist/index.html')).toBe(true);
    expect(inside('/srv/dist', '/srv/dist')).toBe(true);
    expect(inside('/srv/dist', '/srv/dist-secret/key.txt')).toBe(false);
    expect(inside('/srv/dist', '/srv/key.txt')).toBe(false);
    expect(inside('/srv/dist', '/srv/dist/..foo')).toBe(true);
  });
});
