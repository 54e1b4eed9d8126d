import type { LabState } from '../../store/store';

/** The panel's actions, as one shallow-compared object (they never change, so neither does it). */
export const selectActions = (s: LabState) => ({
  selectExperiment: s.selectExperiment,
  setRepeats: s.setRepeats,
  setQuick: s.setQuick,
  setVariant: s.setVariant,
  runExperiment: s.runExperiment,
  pauseQueue: s.pauseQueue,
  resumeQueue: s.resumeQueue,
  cancelQueue: s.cancelQueue,
  restartQueue: s.restartQueue,
});
