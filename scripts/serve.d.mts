// Types of serve.mjs for the tests that import it.
import type { Server } from 'node:http';

export function serveStatic(options?: {
  dir?: string;
  base?: string;
  port?: number;
  isolation?: boolean;
  /** The content-security policy to send (CSP by default). */
  csp?: string;
}): Promise<{ server: Server; url: string }>;

/** Whether `file` is `root` or below it (a sibling whose name starts with root's is not). */
export function inside(root: string, file: string): boolean;

/** The content-security policy serve.mjs sends. */
export const CSP: string;
