/**
 * The guided start (issue 25): which step is shown, kept across visits, moved on by itself when
 * the runs show a step done (core/guide/guide.ts), closed for good when the person closes it.
 */
import {
  GUIDE_STEPS,
  initialGuide,
  stepDone,
  withArticleNetwork,
  type GuideStep,
  type StoredGuide,
} from '../../core/guide/guide';
import type { TrainConfig } from '../../core/network/spec';
import type { RunRecord } from '../../core/runs/runs';
import type { GetState, SetState } from './slice';

export const GUIDE_STORAGE_KEY = 'mlp-lab-guide';

export type GuideState = StoredGuide;

export interface GuideActions {
  /** Shows step `step` (the "Start here" link: step 1). */
  startGuide(step: GuideStep): void;
  /** The next step (steps that do not move on by themselves). */
  nextGuideStep(): void;
  /** Closes the guide; it does not come back unasked. */
  dismissGuide(): void;
  /** Puts the article's network into the controls (step 1, when they hold another). */
  guideArticleNetwork(): void;
  /** Moves on when the runs show the step done (the store calls it when the history changes). */
  guideSawRuns(runs: readonly RunRecord[]): void;
  /** Runs kept from earlier visits: not a first visit, so the guide waits to be asked for. */
  guideSawEarlierRuns(): void;
}

interface Host {
  readonly guide: GuideState;
  readonly config: TrainConfig;
  replaceConfig(config: TrainConfig, message: string): void;
  nextGuideStep(): void;
}

export function createGuideSlice(
  set: SetState<Pick<Host, 'guide'>>,
  get: GetState<Host>,
  deps: { readonly now: () => number; readonly stored: StoredGuide | null; readonly asked: GuideStep | null },
): Pick<Host, 'guide'> & GuideActions {
  const at = (step: GuideState['at']) => set({ guide: { at: step, since: deps.now(), dismissed: false } });
  return {
    guide: initialGuide(deps.stored, deps.asked, deps.now),
    startGuide: (step) => at(step),
    nextGuideStep() {
      const now = get().guide.at;
      if (typeof now === 'number') at(now === 4 ? 'done' : ((now + 1) as GuideStep));
    },
    dismissGuide() {
      set((s) => ({ guide: { ...s.guide, at: null, dismissed: true } }));
    },
    guideArticleNetwork() {
      get().replaceConfig(withArticleNetwork(get().config), 'The controls now hold the article’s network.');
    },
    guideSawEarlierRuns() {
      if (deps.stored === null && deps.asked === null) set((s) => ({ guide: { ...s.guide, at: null } }));
    },
    guideSawRuns(runs) {
      const { at: step, since } = get().guide;
      if (typeof step === 'number' && GUIDE_STEPS[step].auto && stepDone(step, runs, since)) get().nextGuideStep();
    },
  };
}
