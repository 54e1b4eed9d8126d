import { useActions, useLabState } from '../../store/hooks';

/** Says when a one-click change replaced the controls' network and settings, and offers undo. */
export function UndoBar() {
  const { undo } = useLabState('undo');
  const { undoReplace: doUndo, dismissUndo: dismiss } = useActions();
  return (
    <div className="undo-slot" role="status">
      {undo ? (
        <div className="undo-bar" data-testid="undo-bar">
          <span>{undo.message}</span>
          <button type="button" data-testid="undo" onClick={doUndo}>
            Undo
          </button>
          <button type="button" className="icon" aria-label="Dismiss" onClick={dismiss}>
            ✕
          </button>
        </div>
      ) : null}
    </div>
  );
}
