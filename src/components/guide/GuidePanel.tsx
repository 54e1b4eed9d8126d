import { useEffect } from 'react';
import { GUIDE_STEPS, isArticleNetwork } from '../../core/guide/guide';
import { useActions, useConfig, useLabState } from '../../store/hooks';
import './guide.css';

/** While a step is shown, its control carries a highlight (and loses it when the step changes). */
function useHighlight(selector: string | null) {
  useEffect(() => {
    if (!selector) return undefined;
    let marked: Element | null = null;
    // The control may render after the step (a finding appears when a run ends): look again.
    const mark = () => {
      const el = document.querySelector(selector);
      if (el === marked) return;
      marked?.classList.remove('guide-target');
      el?.classList.add('guide-target');
      marked = el;
    };
    mark();
    const timer = window.setInterval(mark, 500);
    return () => {
      window.clearInterval(timer);
      marked?.classList.remove('guide-target');
    };
  }, [selector]);
}

/**
 * The guided start: one step at a time, in the page (not a modal), with the control it needs
 * highlighted and what to expect. Closed for good with Close; "Start here" brings it back.
 */
export function GuidePanel() {
  const { guide } = useLabState('guide');
  const { nextGuideStep, dismissGuide, guideArticleNetwork } = useActions();
  const config = useConfig();
  const step = typeof guide.at === 'number' ? guide.at : null;
  useHighlight(step ? GUIDE_STEPS[step].target : null);
  if (guide.at === null) return null;
  if (guide.at === 'done')
    return (
      <section className="panel guide" data-testid="guide" data-step="done" aria-label="Guided start">
        <h2>You made a deep network learn</h2>
        <p className="small">
          Four layers of 32 failed with the article’s setup and learned with the fix. Next: the Experiments tab repeats
          the article’s comparisons with several seeds, and “Inside the network” shows what the layers learned.
        </p>
        <div className="buttons">
          <button type="button" onClick={dismissGuide}>
            Close the guide
          </button>
        </div>
      </section>
    );
  const text = GUIDE_STEPS[guide.at];
  const other = guide.at === 1 && !isArticleNetwork(config);
  return (
    <section className="panel guide" data-testid="guide" data-step={guide.at} aria-label="Guided start">
      <h2>
        Step {guide.at} of 4: {text.title}
      </h2>
      {other ? (
        <p className="small">
          The controls hold another network now.{' '}
          <button type="button" onClick={guideArticleNetwork}>
            Put the article’s network in
          </button>
        </p>
      ) : null}
      <p className="small">
        {other ? text.act.replace(/^The controls hold the article’s network: /, 'The article’s network: ') : text.act}
      </p>
      <p className="small guide-expect">{text.expect}</p>
      <div className="buttons">
        {text.auto ? (
          <span className="small muted">This moves on by itself when the run shows it.</span>
        ) : (
          <button type="button" onClick={nextGuideStep}>
            Next
          </button>
        )}
        <button type="button" className="link" onClick={dismissGuide}>
          Close the guide
        </button>
      </div>
    </section>
  );
}

/** Brings the guide back at its first step (offered while the guide is not showing). */
export function StartHereLink() {
  const { startGuide } = useActions();
  const { guide } = useLabState('guide');
  if (guide.at !== null) return null;
  return (
    <button type="button" className="link start-here" data-testid="start-here" onClick={() => startGuide(1)}>
      Start here
    </button>
  );
}
