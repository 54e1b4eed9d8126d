import { DATASETS, DATASET_LABELS, type DatasetName } from '../../core/network/spec';
import { useActions, useConfig } from '../../store/hooks';
import { CopyLinkButton } from '../common/CopyLinkButton';
import { StartHereLink } from '../guide/GuidePanel';
import { OfflineStatus } from '../common/OfflineStatus';
import { SetupSwitch } from './SetupSwitch';

/** The lab's name, the dataset, the setup switch and the share link. */
export function TopBar() {
  const dataset = useConfig().dataset;
  const { editConfig: edit } = useActions();
  return (
    <header className="top">
      <h1>
        MLP Lab <span className="tagline">how depth and width change what a network learns</span>
      </h1>
      <label className="top-field">
        <span>Data</span>
        <select
          data-testid="dataset"
          value={dataset}
          onChange={(e) => edit((c) => ({ ...c, dataset: e.target.value as DatasetName }))}
        >
          {DATASETS.map((d) => (
            <option key={d} value={d}>
              {d === 'mnist' ? `${DATASET_LABELS[d]} digits` : `${DATASET_LABELS[d]} clothes`}
            </option>
          ))}
        </select>
      </label>
      <SetupSwitch />
      <div className="top-share">
        <OfflineStatus />
        <StartHereLink />
        <CopyLinkButton />
      </div>
    </header>
  );
}
