import { useState } from 'react';

/** Copies the address, which always holds every setting (see store/urlSync.ts). */
export function CopyLinkButton() {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(location.href).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <>
      <button type="button" data-testid="copy-link" onClick={copy}>
        Copy link
      </button>
      <span className="small muted" role="status">
        {state === 'copied' ? 'Link copied.' : state === 'failed' ? 'Copying was blocked; copy the address bar instead.' : ''}
      </span>
    </>
  );
}
