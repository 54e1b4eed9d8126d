import { memo, useDeferredValue, useMemo, type ReactNode } from 'react';
import {
  checkedParts,
  checkResults,
  checkText,
  diagnose,
  learnsWell,
  makeCheck,
  withUsefulFixes,
  type CheckDef,
  type CheckResult,
  type Finding,
  type Fix,
  type Part,
} from '../../core/diagnosis';
import { architectureLabel } from '../../core/runs/runs';
import type { TrainConfig } from '../../core/network/spec';
import { useActions, useCheckBlocked, useExperiments, useLabState, useShown, useRunList } from '../../store/hooks';
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

const runLabel = (c: TrainConfig) => `${architectureLabel(c.layers)}, seed ${c.seed}`;

/**
 * What the measurements show, in plain words: the rules of core/diagnosis over the run's health
 * samples, epochs and loss samples, each finding at its level (fails, holds it back, worth knowing)
 * with the changes the lab has measured, each of which can be checked on this network. While a
 * check's runs train, the panel follows the check; its run comes back into view when it is done.
 */
export const DiagnosisPanel = memo(function DiagnosisPanel() {
  const run = useShown('config', 'health', 'epochs', 'samples', 'status');
  const { config, epochs, status } = run;
  const health = useDeferredValue(run.health);
  const samples = useDeferredValue(run.samples);
  const { checks } = useLabState('checks');
  const { queue } = useExperiments('queue');
  const runs = useRunList();
  const results = useMemo(() => checkResults(checks.list, runs), [checks.list, runs]);
  const finished = status === 'done' || status === 'stopped';
  const findings = useMemo(
    () => (config ? withUsefulFixes(diagnose({ config, health, epochs, samples, finished }), config) : []),
    [config, health, epochs, samples, finished],
  );
  const checking = queue.experiment === 'check' && (queue.status === 'running' || queue.status === 'paused');
  if (checking)
    return (
      <CheckView
        checks={checks.list}
        results={results}
        subject={checks.subject?.run.config ?? null}
        running={queue.status === 'running'}
      />
    );
  const measured = health.length > 0 || epochs.length > 0;
  const well = learnsWell(findings);
  const state = !config || !measured ? 'waiting' : well ? 'healthy' : 'warning';
  const shown = new Set(
    config ? findings.flatMap((f) => f.fixes.map((fix) => makeCheck(f.id, fix, config, 0).id)) : [],
  );
  const latest = checks.list[0];
  return (
    <section
      className="panel diagnosis"
      aria-labelledby="diagnosis-title"
      data-testid="diagnosis"
      data-state={state}
      data-findings={findings.map((f) => f.id).join(',')}
    >
      <h2 id="diagnosis-title">Diagnosis</h2>
      {state === 'waiting' ? (
        <p className="small muted empty">
          {status === 'loading' || status === 'training'
            ? 'Measuring the first batches…'
            : 'Train a network: the lab watches every layer as it learns and says here what goes wrong, and why.'}
        </p>
      ) : null}
      {state === 'healthy' && config ? (
        <p className="healthy" data-testid="diagnosis-healthy">
          Nothing{' '}
          {status === 'training' || status === 'loading'
            ? 'so far fails or holds this run back'
            : 'fails or holds this run back'}
          . Checked: <Sentence parts={checkedParts(config.layers, health.at(-1), epochs, samples[0]?.loss ?? null)} />.
        </p>
      ) : null}
      {state !== 'waiting' && findings.length > 0 && config ? (
        <ul className="findings">
          {findings.map((f) => (
            <FindingItem key={f.id} finding={f} base={config} list={checks.list} results={results} />
          ))}
        </ul>
      ) : null}
      {latest && !shown.has(latest.id) ? (
        <div className="small latest-check">
          The last check, of {runLabel(latest.base)}:{' '}
          <CheckLine def={latest} result={results.get(latest.id)} running={false} />
        </div>
      ) : null}
    </section>
  );
});

/** While a check's runs train: which run it checks, the queue, and the numbers so far. */
function CheckView({
  checks,
  results,
  subject,
  running,
}: {
  checks: readonly CheckDef[];
  results: ReadonlyMap<string, CheckResult>;
  subject: TrainConfig | null;
  running: boolean;
}) {
  const { queue } = useExperiments('queue');
  const ids = new Set(queue.items.map((i) => i.tag.key.replace(/-(before|after)$/, '')));
  const defs = checks.filter((d) => ids.has(d.id));
  return (
    <section
      className="panel diagnosis"
      aria-labelledby="diagnosis-title"
      data-testid="diagnosis"
      data-state="checking"
      data-findings=""
    >
      <h2 id="diagnosis-title">Diagnosis</h2>
      <p className="small subject" data-testid="diagnosis-subject">
        {subject ? `Checking a suggestion on ${runLabel(subject)}. ` : 'Checking a suggestion. '}
        The page shows the check’s runs as they train
        {subject ? '; the run checked comes back into view, with the result, when they are done.' : '.'}
      </p>
      <QueueStatus />
      {defs.map((d) => (
        <CheckLine key={d.id} def={d} result={results.get(d.id)} running={running} />
      ))}
    </section>
  );
}

function FindingItem({
  finding: f,
  base,
  list,
  results,
}: {
  finding: Finding;
  base: TrainConfig;
  list: readonly CheckDef[];
  results: ReadonlyMap<string, CheckResult>;
}) {
  const { applyFix, checkFinding: check } = useActions();
  const blocked = useCheckBlocked();
  const checksOf = f.fixes.map((fix) => list.find((d) => d.id === makeCheck(f.id, fix, base, 0).id) ?? null);
  const verdicts = checksOf.flatMap((d) => {
    const v = d ? results.get(d.id)?.verdict : undefined;
    return v && v !== 'pending' ? [v] : [];
  });
  return (
    <li
      className={`finding finding-${f.level}`}
      data-testid="finding"
      data-level={f.level}
      data-finding={f.id}
      data-check={verdicts.includes('confirmed') ? 'confirmed' : verdicts.length ? 'not-confirmed' : undefined}
    >
      <p>
        <span className="finding-level">{LEVEL_WORDS[f.level]}:</span> <Sentence parts={f.parts} />
      </p>
      {f.fixes.length > 0 ? (
        <ul className="fixes">
          {f.fixes.map((fix: Fix, k) => {
            const def = checksOf[k] ?? null;
            const result = def ? results.get(def.id) : undefined;
            return (
              <li key={fix.id}>
                <button type="button" className="fix" data-fix={fix.id} onClick={() => applyFix(fix)}>
                  {fix.label}
                </button>{' '}
                {def && result?.verdict !== 'pending' ? null : (
                  <button
                    type="button"
                    className="fix check"
                    data-testid="check-finding"
                    data-check-fix={fix.id}
                    disabled={blocked !== ''}
                    title={
                      blocked || 'Train this run with and without the change, on its seed and one more, and compare'
                    }
                    onClick={() => check(f.id, fix)}
                  >
                    {def ? 'Continue the check' : 'Check'}
                  </button>
                )}{' '}
                <span className="fix-evidence">{fix.evidence}</span>
                {def ? <CheckLine def={def} result={result} running={false} /> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </li>
  );
}

function CheckLine({ def, result, running }: { def: CheckDef; result: CheckResult | undefined; running: boolean }) {
  if (!result) return null;
  return (
    <p
      className={`check-result check-${result.verdict}`}
      data-testid="check-result"
      data-verdict={result.verdict}
      role="status"
    >
      {checkText(def, result, running)}
    </p>
  );
}
