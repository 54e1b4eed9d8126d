/**
 * Why a worker did not start, in words: a content-security policy that blocks workers is reported
 * by the browser as a `securitypolicyviolation` event, while the worker itself only gets an error
 * with no message. Listening from the page's start lets the message name the policy.
 */
let blockedBy: string | null = null;
if (typeof document !== 'undefined')
  document.addEventListener('securitypolicyviolation', (e) => {
    if (e.effectiveDirective === 'worker-src' || e.effectiveDirective === 'child-src') blockedBy = e.effectiveDirective;
  });

/** The content-security-policy directive that blocked a worker in this page, if one did. */
export const workerBlockedBy = (): string | null => blockedBy;

/**
 * What to say of `what` (e.g. "The training worker") that failed before it ever answered. The
 * violation event may come just after the worker's error: this waits a moment for it.
 */
export async function workerStartFailure(what: string, error: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const directive = workerBlockedBy();
  if (directive)
    return `${what} could not start: this site's content-security policy blocks workers (its ${directive} directive). The lab needs worker-src 'self' blob:.`;
  return `${what} could not start (${error || 'its script did not load'}).`;
}
