import { useEffect, useRef, useState } from 'react';
import { encodeLink } from '../../core/link/urlCodec';
import { useConfig, useExperiments, useLabState } from '../../store/hooks';
import { copyText, selectContents } from '../lib/copyText';

/**
 * Copies the share link of what the controls hold (built from the config itself, so a link copied
 * right after an edit is never behind it). Where the browser allows no copying, shows the link
 * selected for Ctrl+C.
 */
export function CopyLinkButton() {
  const config = useConfig();
  const { selected: experiment } = useExperiments('selected');
  const { budget } = useLabState('budget');
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const field = useRef<HTMLInputElement>(null);
  const link = (() => {
    const url = new URL(location.href);
    url.search = `?${encodeLink(config, experiment, budget)}`;
    return url.href;
  })();
  useEffect(() => {
    if (state === 'manual') selectContents(field.current);
  }, [state]);
  return (
    <>
      <button type="button" data-testid="copy-link" onClick={() => void copyText(link).then(setState)}>
        Copy link
      </button>
      {state === 'manual' ? (
        <label className="manual-copy">
          <span className="small">Copying is not allowed here: press Ctrl+C (⌘C) to copy the selected link.</span>
          <input ref={field} readOnly value={link} data-testid="link-text" onFocus={(e) => e.currentTarget.select()} />
        </label>
      ) : (
        <span className="small muted" role="status">
          {state === 'copied' ? 'Link copied.' : ''}
        </span>
      )}
    </>
  );
}
