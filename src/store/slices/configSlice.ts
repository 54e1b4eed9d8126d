/**
 * What the controls hold: the training config (what the URL says), budget mode, the notices about
 * the link it came from, and the undo of a one-click change.
 */
import { applyFix, type Fix } from '../../core/diagnosis';
import type { Decoded, Notice } from '../../core/link/urlCodec';
import { applyBudget, editInBudget } from '../../core/network/budget';
import { articleSetup, learnsWellSetup } from '../../core/network/presets';
import type { TrainConfig } from '../../core/network/spec';
import type { GetState, SetState } from './slice';

export interface ConfigState {
  readonly config: TrainConfig;
  /** Budget mode: the parameter count the widths are solved for (URL `budget`), or null. */
  readonly budget: number | null;
  readonly notices: readonly Notice[];
  /** The controls' config before a one-click change replaced it, to undo that change. */
  readonly undo: { readonly config: TrainConfig; readonly message: string } | null;
  /**
   * The one-click changes of this visit, oldest first (at most MAX_CHANGES): each with the config
   * it replaced, so that any of them can be undone after its bar has gone.
   */
  readonly changes: readonly Change[];
}

/** One one-click change: what it said, and the controls' config before it. */
export interface Change {
  readonly id: number;
  readonly message: string;
  readonly config: TrainConfig;
}

/** One-click changes kept for undo. */
export const MAX_CHANGES = 8;

export interface ConfigActions {
  dismissNotices(): void;
  /** Applies one of core/network/edit.ts's config edits (the controls' only way to change the config). */
  editConfig(edit: (config: TrainConfig) => TrainConfig): void;
  /** Enters budget mode at `budget` parameters (widths solved for the depth), or leaves it (null). */
  setBudget(budget: number | null): void;
  /** Replaces the controls' config at one click, saying so (`message`) and offering undo. */
  replaceConfig(config: TrainConfig, message: string): void;
  /** Puts back the config a one-click change replaced. */
  undoReplace(): void;
  /** Puts back the config from before change `id`; it and the changes after it leave the history. */
  undoChange(id: number): void;
  dismissUndo(): void;
  /** Applies a fix the diagnosis suggests to the controls (with undo). */
  applyFix(fix: Fix): void;
  /** Switches the controls to the article's setup or to one that learns well (with undo). */
  chooseSetup(setup: 'article' | 'learns-well'): void;
}

const SETUP_TEXT = {
  article: 'The controls now hold the article’s setup: sigmoid units, raw 0..255 inputs, plain SGD at 0.01.',
  'learns-well': 'The controls now hold a setup that learns well: ReLU units, inputs scaled to 0..1, Adam at 0.001.',
};

export function createConfigSlice(
  set: SetState<ConfigState>,
  get: GetState<ConfigState & ConfigActions>,
  deps: { readonly decoded: Pick<Decoded, 'config' | 'budget' | 'notices'> },
): ConfigState & ConfigActions {
  let nextChange = 1;
  return {
    config: deps.decoded.config,
    budget: deps.decoded.budget,
    notices: deps.decoded.notices,
    undo: null,
    changes: [],
    dismissNotices() {
      set({ notices: [] });
    },
    editConfig(edit) {
      set((s) => ({ ...editInBudget(s.config, edit(s.config), s.budget), undo: null }));
    },
    setBudget(budget) {
      set((s) => (budget === null ? { budget: null } : { budget, config: applyBudget(s.config, budget) }));
    },
    replaceConfig(config, message) {
      set((s) => ({
        ...editInBudget(s.config, config, s.budget),
        undo: { config: s.config, message },
        changes: [...s.changes, { id: nextChange++, message, config: s.config }].slice(-MAX_CHANGES),
      }));
    },
    undoReplace() {
      const undo = get().undo;
      // The bar's change is the newest in the history.
      const last = get().changes.at(-1);
      if (undo && last?.config === undo.config) get().undoChange(last.id);
      else if (undo) set((s) => ({ ...editInBudget(s.config, undo.config, s.budget), undo: null }));
    },
    undoChange(id) {
      const at = get().changes.findIndex((c) => c.id === id);
      const change = get().changes[at];
      if (!change) return;
      set((s) => ({
        ...editInBudget(s.config, change.config, s.budget),
        undo: null,
        changes: s.changes.slice(0, at),
      }));
    },
    dismissUndo() {
      set({ undo: null });
    },
    applyFix(fix) {
      get().replaceConfig(
        applyFix(get().config, fix),
        `Applied “${fix.label}” to the controls. Press Train to try it.`,
      );
    },
    chooseSetup(setup) {
      const c = get().config;
      get().replaceConfig(setup === 'article' ? articleSetup(c) : learnsWellSetup(c), SETUP_TEXT[setup]);
    },
  };
}
