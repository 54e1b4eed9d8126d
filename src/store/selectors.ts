/** Selectors defined once, so components subscribe to just what they show. */
import { totalParams } from '../core/params';
import type { LabState } from './store';

export const selectConfig = (s: LabState) => s.config;
export const selectNotices = (s: LabState) => s.notices;
export const selectStatus = (s: LabState) => s.run.status;
export const selectBackend = (s: LabState) => s.run.backend;
export const selectLoading = (s: LabState) => s.run.loading;
export const selectProgress = (s: LabState) => s.run.progress;
export const selectPlan = (s: LabState) => s.run.plan;
export const selectLive = (s: LabState) => s.run.live;
export const selectEpochs = (s: LabState) => s.run.epochs;
export const selectOutcome = (s: LabState) => s.run.outcome;
export const selectError = (s: LabState) => s.run.error;
export const selectTensors = (s: LabState) => s.run.tensors;
export const selectStartedAt = (s: LabState) => s.run.startedAt;
export const selectParamTotal = (s: LabState) => totalParams(s.config.layers);
export const selectIsBusy = (s: LabState) => s.run.status === 'loading' || s.run.status === 'training';
export const selectTrain = (s: LabState) => s.train;
export const selectStop = (s: LabState) => s.stop;
export const selectDismissNotices = (s: LabState) => s.dismissNotices;
export const selectEditConfig = (s: LabState) => s.editConfig;
