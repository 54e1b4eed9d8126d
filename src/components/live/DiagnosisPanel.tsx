import { memo, useDeferredValue, useMemo } from 'react';
import { diagnose, healthyText } from '../../core/diagnosis';
import { useLab } from '../../store/context';
import { selectApplyFix, selectEpochs, selectHealth, selectRunConfig, selectSamples, selectStatus } from '../../store/selectors';

/**
 * What the measurements show, in plain words: the rules of core/diagnosis.ts over the run's
 * health samples and epochs, each finding with the changes the lab has seen help.
 */
export const DiagnosisPanel = memo(function DiagnosisPanel() {
  const config = useLab(selectRunConfig);
  const health = useDeferredValue(useLab(selectHealth));
  const epochs = useLab(selectEpochs);
  const samples = useDeferredValue(useLab(selectSamples));
  const status = useLab(selectStatus);
  const applyFix = useLab(selectApplyFix);
  const findings = useMemo(() => {
    if (!config) return [];
    const recent = samples.slice(-3);
    const recentLoss = recent.length ? recent.reduce((a, s) => a + s.loss, 0) / recent.length : null;
    return diagnose({ config, health, epochs, recentLoss });
  }, [config, health, epochs, samples]);
  const measured = health.length > 0 || epochs.length > 0;
  const state = !config || !measured ? 'waiting' : findings.length > 0 ? 'warning' : 'healthy';
  return (
    <section className="panel diagnosis" aria-labelledby="diagnosis-title" data-testid="diagnosis" data-state={state} data-findings={findings.map((f) => f.id).join(',')}>
      <h2 id="diagnosis-title">Diagnosis</h2>
      {state === 'waiting' ? (
        <p className="small muted empty">
          {status === 'loading' || status === 'training'
            ? 'Measuring the first batches…'
            : 'Train a network: the lab watches every layer as it learns and says here what goes wrong, and why.'}
        </p>
      ) : state === 'healthy' ? (
        <p className="healthy">
          Nothing wrong {status === 'training' ? 'so far' : 'seen'}: {healthyText(config?.layers ?? [])}.
        </p>
      ) : (
        <ul className="findings">
          {findings.map((f) => (
            <li key={f.id} className={`finding finding-${f.id}`} data-finding={f.id}>
              <p>{f.text}</p>
              {f.fixes.length > 0 ? (
                <ul className="fixes">
                  {f.fixes.map((fix) => (
                    <li key={fix.id}>
                      <button type="button" className="fix" data-fix={fix.id} onClick={() => applyFix(fix)}>
                        {fix.label}
                      </button>{' '}
                      <span className="fix-evidence">{fix.evidence}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
