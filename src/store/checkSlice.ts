/**
 * The diagnosis's checks (issue 21): each suggestion's Check queues the learner's run before and
 * after the change, on two seeds, and the finding shows the measured difference. The checks are
 * kept in localStorage (their runs are ordinary runs in the history), and while a check's runs
 * train, the diagnosis stays on the run it checks (the subject).
 */
import { makeCheck, type CheckDef, type FindingId, type Fix } from '../core/diagnosis';
import type { HealthSample, TrainSample } from '../core/health';
import type { EpochLog } from '../core/runs';
import { parseConfig } from '../core/runSchema';
import type { TrainConfig } from '../core/spec';

/** A finished run's measurements, held for the diagnosis while a check of it trains other runs. */
export interface DiagnosisSubject {
  readonly recordId: string | null;
  readonly config: TrainConfig;
  readonly health: readonly HealthSample[];
  readonly epochs: readonly EpochLog[];
  readonly samples: readonly TrainSample[];
  readonly testAcc: number | null;
  readonly testLoss: number | null;
}

export interface CheckState {
  /** Newest first, at most MAX_CHECKS. */
  readonly list: readonly CheckDef[];
  /** The run the diagnosis shows while its check trains (null: the newest run). */
  readonly subject: DiagnosisSubject | null;
}

export const CHECKS_STORAGE_KEY = 'mlp-lab-checks';
export const MAX_CHECKS = 20;

export interface CheckActions {
  /** Checks `fix` of `finding` on the run the diagnosis shows: keeps it in view and queues the runs. */
  checkFinding(finding: FindingId, fix: Fix): void;
  /** Lets the diagnosis follow the newest run again. */
  unpinDiagnosis(): void;
}

interface Host {
  readonly checks: CheckState;
  readonly run: {
    readonly status: string;
    readonly config: TrainConfig | null;
    readonly health: readonly HealthSample[];
    readonly epochs: readonly EpochLog[];
    readonly samples: readonly TrainSample[];
    readonly outcome: { readonly testAcc: number | null; readonly testLoss: number | null } | null;
  };
  readonly runs: { readonly liveId: string | null };
  runCheck(def: CheckDef): void;
}

export function createCheckActions(set: (f: (s: Host) => { checks: CheckState }) => void, get: () => Host, now: () => number): CheckActions {
  return {
    checkFinding(finding, fix) {
      const s = get();
      if (s.run.status === 'loading' || s.run.status === 'training') return;
      const subject: DiagnosisSubject | null =
        s.checks.subject ??
        (s.run.config && s.run.status === 'done'
          ? {
              recordId: s.runs.liveId,
              config: s.run.config,
              health: s.run.health,
              epochs: s.run.epochs,
              samples: s.run.samples,
              testAcc: s.run.outcome?.testAcc ?? null,
              testLoss: s.run.outcome?.testLoss ?? null,
            }
          : null);
      if (!subject) return;
      const def = makeCheck(finding, fix, subject.config, now());
      set((x) => ({ checks: { subject, list: [def, ...x.checks.list.filter((d) => d.id !== def.id)].slice(0, MAX_CHECKS) } }));
      get().runCheck(def);
    },
    unpinDiagnosis() {
      set((x) => ({ checks: { ...x.checks, subject: null } }));
    },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks read back from storage; anything unreadable is left out. */
export function parseStoredChecks(text: string | null): CheckDef[] {
  if (!text) return [];
  try {
    const xs: unknown = JSON.parse(text);
    if (!Array.isArray(xs)) return [];
    const out: CheckDef[] = [];
    for (const x of xs.slice(0, MAX_CHECKS)) {
      if (!isObject(x) || !isObject(x.fix) || typeof x.finding !== 'string' || typeof x.fix.id !== 'string' || typeof x.fix.label !== 'string' || typeof x.createdAt !== 'number') continue;
      const base = parseConfig(x.base);
      if (!base) continue;
      const fix = { id: x.fix.id, label: x.fix.label, ...(typeof x.fix.epochs === 'number' ? { epochs: x.fix.epochs } : {}), ...(typeof x.fix.learningRate === 'number' ? { learningRate: x.fix.learningRate } : {}) };
      // Rebuilt from its parts, so its id and seeds are what this version of the lab makes of them.
      out.push(makeCheck(x.finding as FindingId, fix as CheckDef['fix'], base, x.createdAt));
    }
    return out;
  } catch {
    return [];
  }
}
