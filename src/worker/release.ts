/**
 * Whether a newer release of the lab is deployed than the one this page runs: the page's own
 * address, fetched afresh, names other script chunks. A tab opened before a release then cannot
 * load its (deleted) worker chunk, and the fix is a reload, not another Train.
 */
export async function newReleaseDeployed(fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const scripts = (html: string) =>
      [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => new URL(m[1] ?? '', location.href).pathname).sort();
    const mine = [...document.querySelectorAll('script[src]')]
      .map((s) => new URL((s as HTMLScriptElement).src).pathname)
      .sort();
    const response = await fetchImpl(location.href, { cache: 'no-store' });
    if (!response.ok) return false;
    const theirs = scripts(await response.text());
    return theirs.length > 0 && theirs.join('|') !== mine.join('|');
  } catch {
    return false;
  }
}

export const NEW_RELEASE_MESSAGE =
  'There is a new version of the lab since this page was opened, and the parts this page needs are gone from the server. Reload the page to use the new version (your runs and settings are kept).';
