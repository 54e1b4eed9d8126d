/** A link's notices as the page shows them: one line each. */
import type { Notice } from './urlCodec';

/** One line for a notice, e.g. `epochs: "abc" is not a number; used 5`. */
export function describeNotice(n: Notice): string {
  if (n.param === '') return n.reason; // a count of parameters, not one of them
  if (n.used === '' && n.reason.startsWith('unknown parameter')) return oneLine(`${n.param}="${n.given}": ${n.reason}`);
  return oneLine(`${n.param}="${n.given}": ${n.reason}; used ${n.used === '' ? '(none)' : `"${n.used}"`}`);
}

/** Control characters a link held (a newline, a NUL) written as \u escapes: a notice is one line. */
function oneLine(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += code < 32 || code === 127 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
