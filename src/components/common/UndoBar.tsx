import { useEffect, useRef, useState } from 'react';
import { useActions, useLabState } from '../../store/hooks';
import type { LabState } from '../../store/store';
import './UndoBar.css';

/** How long the bar stays (ms) while neither the pointer nor the keyboard focus is in it. */
export const UNDO_SHOWN_MS = 8000;

type Undo = NonNullable<LabState['undo']>;

/**
 * Says when a one-click change replaced the controls' network and settings, and offers undo: a
 * small bar in the bottom-left corner (over the foot of the network builder, never over the
 * charts, layer health or diagnosis; on a phone, just above the Train bar). It goes by itself after
 * UNDO_SHOWN_MS, never while the pointer or the focus is in it. Going only hides it: the change
 * stays in the builder's list of one-click changes (ChangeHistory), undoable from there.
 */
export function UndoBar() {
  const { undo } = useLabState('undo');
  // The change whose bar has gone by itself (a new change is a new object, and shows again).
  const [gone, setGone] = useState<Undo | null>(null);
  return (
    <div className="undo-corner" role="status">
      {undo && undo !== gone ? <UndoToast undo={undo} onTimeout={() => setGone(undo)} /> : null}
    </div>
  );
}

/** The bar itself; mounted afresh each time it shows, so it never starts held. */
function UndoToast({ undo, onTimeout }: { undo: Undo; onTimeout: () => void }) {
  const { undoReplace, dismissUndo } = useActions();
  const [pointerIn, setPointerIn] = useState(false);
  const [focusIn, setFocusIn] = useState(false);
  const held = pointerIn || focusIn;
  // The newest callback (a new function at every render of the parent), without restarting the clock.
  const timeout = useRef(onTimeout);
  useEffect(() => {
    timeout.current = onTimeout;
  });
  useEffect(() => {
    if (held) return;
    // A new change (a new `undo`) counts from its own start.
    const id = setTimeout(() => timeout.current(), UNDO_SHOWN_MS);
    return () => clearTimeout(id);
  }, [undo, held]);
  return (
    <div
      className="undo-toast"
      data-testid="undo-bar"
      data-held={held}
      onPointerEnter={() => setPointerIn(true)}
      onPointerLeave={() => setPointerIn(false)}
      onFocus={() => setFocusIn(true)}
      onBlur={(e) => setFocusIn(e.currentTarget.contains(e.relatedTarget))}
    >
      <span className="undo-message">{undo.message}</span>
      <span className="undo-actions">
        <button type="button" data-testid="undo" onClick={undoReplace}>
          Undo
        </button>
        <button type="button" className="icon" aria-label="Dismiss" onClick={dismissUndo}>
          ✕
        </button>
      </span>
    </div>
  );
}
