/**
 * The diagnosis's checks (issue 21): each suggestion's Check queues the learner's run before and
 * after the change, on two seeds, and the finding shows the measured difference. The checks are
 * kept in localStorage (their runs are ordinary runs in the history). While a check's runs train
 * they are what the page shows; when they are done, the run checked comes back into view.
 */
import { changesSetup, makeCheck, type CheckDef, type FindingId, type Fix } from '../../core/diagnosis';
import { isObject, parseConfig } from '../../core/runs/runSchema';
import type { RunState } from './runState';
import type { StoreApi } from 'zustand/vanilla';
import type { GetState, SetState } from './slice';

/**
 * The run a check measures, as the page showed it when the check started: it comes back into view
 * (charts, Layer health, Epochs, diagnosis) when the check's queue ends.
 */
export interface DiagnosisSubject {
  readonly recordId: string | null;
  readonly run: RunState;
}

export interface CheckState {
  /** Newest first, at most MAX_CHECKS. */
  readonly list: readonly CheckDef[];
  /** The run a check is measuring while its runs train (null: none). */
  readonly subject: DiagnosisSubject | null;
}

export const CHECKS_STORAGE_KEY = 'mlp-lab-checks';
export const MAX_CHECKS = 20;

export interface CheckActions {
  /**
   * Checks `fix` of `finding` on the run in view (finished, not stopped): queues the runs the
   * check needs, and brings this run back into view when they are done.
   */
  checkFinding(finding: FindingId, fix: Fix): void;
}

interface Host {
  readonly checks: CheckState;
  readonly run: RunState;
  readonly runs: { readonly liveId: string | null };
  readonly experiments: { readonly queue: { readonly status: string } };
  /** Queues the check's runs; false if the queue could not take them. */
  runCheck(def: CheckDef): boolean;
}

/** Why a check cannot start now ('' : it can). */
export function checkBlocked(s: Pick<Host, 'run' | 'experiments'>): string {
  if (s.run.status === 'loading' || s.run.status === 'training')
    return 'A run is training; check once it has finished.';
  if (s.experiments.queue.status === 'running' || s.experiments.queue.status === 'paused')
    return 'The queue holds an experiment or a check; cancel or finish it first.';
  if (s.run.status === 'stopped') return 'A stopped run has no test accuracy to compare.';
  if (s.run.status !== 'done' || !s.run.config) return 'Check once the run has finished.';
  return '';
}

export function createCheckSlice(
  set: SetState<Pick<Host, 'checks'>>,
  get: GetState<Host>,
  deps: { readonly now: () => number; readonly stored: readonly CheckDef[] },
): Pick<Host, 'checks'> & CheckActions {
  const { now } = deps;
  return {
    checks: { list: deps.stored, subject: null },
    checkFinding(finding, fix) {
      const s = get();
      if (checkBlocked(s) !== '' || !s.run.config) return;
      const def = makeCheck(finding, fix, s.run.config, now(), s.runs.liveId);
      if (!changesSetup(def)) return;
      // The run as it is in view now: the check's runs replace it until they are done.
      // Without the trained weights (the models panel keeps those).
      const outcome = s.run.outcome ? { ...s.run.outcome } : null;
      if (outcome) delete (outcome as { kept?: unknown }).kept;
      const subject: DiagnosisSubject = { recordId: s.runs.liveId, run: { ...s.run, probe: null, outcome } };
      if (!get().runCheck(def)) return;
      const training = get().experiments.queue.status === 'running';
      set((x) => ({
        checks: {
          subject: training ? subject : x.checks.subject,
          list: [def, ...x.checks.list.filter((d) => d.id !== def.id)].slice(0, MAX_CHECKS),
        },
      }));
    },
  };
}

/** Checks read back from storage; anything unreadable is left out. */
export function parseStoredChecks(text: string | null): CheckDef[] {
  if (!text) return [];
  try {
    const xs: unknown = JSON.parse(text);
    if (!Array.isArray(xs)) return [];
    const out: CheckDef[] = [];
    for (const x of xs.slice(0, MAX_CHECKS)) {
      if (
        !isObject(x) ||
        !isObject(x.fix) ||
        typeof x.finding !== 'string' ||
        typeof x.fix.id !== 'string' ||
        typeof x.fix.label !== 'string' ||
        typeof x.createdAt !== 'number'
      )
        continue;
      const base = parseConfig(x.base);
      if (!base) continue;
      const fix = {
        id: x.fix.id,
        label: x.fix.label,
        ...(typeof x.fix.epochs === 'number' ? { epochs: x.fix.epochs } : {}),
        ...(typeof x.fix.learningRate === 'number' ? { learningRate: x.fix.learningRate } : {}),
      };
      // Rebuilt from its parts, so its id and seeds are what this version of the lab makes of them.
      out.push(
        makeCheck(
          x.finding as FindingId,
          fix as CheckDef['fix'],
          base,
          x.createdAt,
          typeof x.recordId === 'string' ? x.recordId : null,
        ),
      );
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * A check's queue ended (done, or cancelled): the run it checked comes back into view, so the
 * charts, the tables and the diagnosis show it again, now with the check's result.
 */
export function bringBackCheckedRun(store: StoreApi<Pick<Host, 'checks' | 'run' | 'experiments'>>) {
  store.subscribe((state, previous) => {
    const q = state.experiments.queue as { readonly status: string; readonly experiment?: unknown };
    const subject = state.checks.subject;
    if (q === previous.experiments.queue && state.run.status === previous.run.status) return;
    if (q.experiment !== 'check' || !subject || (q.status !== 'done' && q.status !== 'cancelled')) return;
    // A cancel stops the run under way: the view changes once it has stopped.
    if (state.run.status === 'loading' || state.run.status === 'training') return;
    store.setState((s) => ({ run: { ...subject.run, runId: s.run.runId }, checks: { ...s.checks, subject: null } }));
  });
}
