import { memo, useDeferredValue, useMemo, type ReactNode } from 'react';
import { checkedParts, checkResult, checkText, diagnose, learnsWell, makeCheck, type CheckDef, type CheckResult, type Finding, type Fix, type Part } from '../../core/diagnosis';
import { architectureLabel, measurementIndex } from '../../core/runs';
import { useLab } from '../../store/context';
import {
  selectApplyFix,
  selectCheckFinding,
  selectChecks,
  selectEpochs,
  selectHealth,
  selectIsBusy,
  selectQueue,
  selectRunConfig,
  selectRuns,
  selectSamples,
  selectStatus,
  selectUnpinDiagnosis,
} from '../../store/selectors';
import { QueueStatus } from '../experiments/QueueStatus';

const LEVEL_WORDS = { fails: 'Fails', 'holds-back': 'Holds it back', note: 'Worth knowing' } as const;

/**
 * A sentence with its numbers: each number shows where it comes from on hover or keyboard focus
 * (drawn from `data-source` by CSS, so the sentence's text stays the sentence), and gives it to
 * assistive technology as its description.
 */
export function Sentence({ parts }: { parts: readonly Part[] }): ReactNode {
  return parts.map((p, i) =>
    typeof p === 'string' ? (
      p
    ) : (
      <span key={i} className="quantity" tabIndex={0} data-source={p.source} aria-description={p.source}>
        {p.text}
      </span>
    ),
  );
}

/**
 * What the measurements show, in plain words: the rules of core/diagnosis over the run's health
 * samples, epochs and loss samples, each finding at its level (fails, holds it back, worth knowing)
 * with the changes the lab has measured helping.
 */
export const DiagnosisPanel = memo(function DiagnosisPanel() {
  const liveConfig = useLab(selectRunConfig);
  const liveHealth = useDeferredValue(useLab(selectHealth));
  const liveEpochs = useLab(selectEpochs);
  const liveSamples = useDeferredValue(useLab(selectSamples));
  const status = useLab(selectStatus);
  const applyFix = useLab(selectApplyFix);
  const checks = useLab(selectChecks);
  const unpin = useLab(selectUnpinDiagnosis);
  const queue = useLab(selectQueue);
  // While a check trains, the diagnosis stays on the run it checks.
  const subject = checks.subject;
  const config = subject?.config ?? liveConfig;
  const health = subject?.health ?? liveHealth;
  const epochs = subject?.epochs ?? liveEpochs;
  const samples = subject?.samples ?? liveSamples;
  const finished = subject !== null || status === 'done' || status === 'stopped';
  const findings = useMemo(() => (config ? diagnose({ config, health, epochs, samples, finished }) : []), [config, health, epochs, samples, finished]);
  const measured = health.length > 0 || epochs.length > 0;
  const well = learnsWell(findings);
  const state = !config || !measured ? 'waiting' : well ? 'healthy' : 'warning';
  const checked = useMemo(() => (config && well ? checkedParts(config.layers, health.at(-1), epochs, samples[0]?.loss ?? null) : []), [config, well, health, epochs, samples]);
  const training = subject === null && (status === 'loading' || status === 'training');
  return (
    <section className="panel diagnosis" aria-labelledby="diagnosis-title" data-testid="diagnosis" data-state={state} data-findings={findings.map((f) => f.id).join(',')}>
      <h2 id="diagnosis-title">Diagnosis</h2>
      {subject ? (
        <p className="small subject" data-testid="diagnosis-subject">
          Of the run being checked: {architectureLabel(subject.config.layers)}, seed {subject.config.seed}.{' '}
          <button type="button" className="link" onClick={unpin}>
            Show the newest run
          </button>
        </p>
      ) : null}
      {queue.experiment === 'check' ? <QueueStatus /> : null}
      {state === 'waiting' ? (
        <p className="small muted empty">
          {status === 'loading' || status === 'training'
            ? 'Measuring the first batches…'
            : 'Train a network: the lab watches every layer as it learns and says here what goes wrong, and why.'}
        </p>
      ) : null}
      {state === 'healthy' ? (
        <p className="healthy" data-testid="diagnosis-healthy">
          Nothing {training ? 'so far fails or holds this run back' : 'fails or holds this run back'}. Checked: <Sentence parts={checked} />.
        </p>
      ) : null}
      {state !== 'waiting' && findings.length > 0 && config ? (
        <ul className="findings">
          {findings.map((f) => (
            <FindingItem key={f.id} finding={f} onFix={applyFix} base={config} canCheck={finished} list={checks.list} />
          ))}
        </ul>
      ) : null}
    </section>
  );
});

function FindingItem({ finding: f, onFix, base, canCheck, list }: { finding: Finding; onFix: (fix: Fix) => void; base: NonNullable<ReturnType<typeof selectRunConfig>>; canCheck: boolean; list: readonly CheckDef[] }) {
  const runs = useLab(selectRuns);
  const busy = useLab(selectIsBusy);
  const check = useLab(selectCheckFinding);
  const queueRunning = useLab(selectQueue).status === 'running';
  // The check of each fix on this run, if one was asked for, and what the history says of it.
  const results = useMemo(() => {
    const index = measurementIndex(runs);
    return f.fixes.map((fix) => {
      const id = makeCheck(f.id, fix, base, 0).id;
      const def = list.find((d) => d.id === id);
      return def ? { def, result: checkResult(def, index) } : null;
    });
  }, [f, base, list, runs]);
  const verdicts = results.flatMap((r) => (r && r.result.verdict !== 'pending' ? [r.result.verdict] : []));
  return (
    <li className={`finding finding-${f.level}`} data-testid="finding" data-level={f.level} data-finding={f.id} data-check={verdicts.includes('confirmed') ? 'confirmed' : verdicts.length ? 'not-confirmed' : undefined}>
      <p>
        <span className="finding-level">{LEVEL_WORDS[f.level]}:</span> <Sentence parts={f.parts} />
      </p>
      {f.fixes.length > 0 ? (
        <ul className="fixes">
          {f.fixes.map((fix, k) => {
            const c = results[k] ?? null;
            return (
              <li key={fix.id}>
                <button type="button" className="fix" data-fix={fix.id} onClick={() => onFix(fix)}>
                  {fix.label}
                </button>{' '}
                {c && (c.result.verdict !== 'pending' || queueRunning) ? null : (
                  <button
                    type="button"
                    className="fix check"
                    data-testid="check-finding"
                    data-check-fix={fix.id}
                    disabled={!canCheck || busy}
                    title={canCheck ? 'Train this run with and without the change, on its seed and one more, and compare' : 'Check once the run has finished'}
                    onClick={() => check(f.id, fix)}
                  >
                    {c ? 'Continue the check' : 'Check'}
                  </button>
                )}{' '}
                <span className="fix-evidence">{fix.evidence}</span>
                {c ? <CheckLine def={c.def} result={c.result} /> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </li>
  );
}

function CheckLine({ def, result }: { def: CheckDef; result: CheckResult }) {
  return (
    <p className={`check-result check-${result.verdict}`} data-testid="check-result" data-verdict={result.verdict} role="status">
      {checkText(def, result)}
    </p>
  );
}
