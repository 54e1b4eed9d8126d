import { storageText } from '../../core/device/modelBudget';
import { useLab } from '../../store/context';
import { selectModelsDropped, selectStorageUse } from '../../store/selectors';

/** What the kept models take in this browser, and which were dropped to stay within the budget. */
export function StorageLine() {
  const storage = useLab(selectStorageUse);
  const dropped = useLab(selectModelsDropped);
  return (
    <>
      {dropped ? (
        <p className="small notice-inline" role="status" data-testid="models-dropped">
          {dropped}
        </p>
      ) : null}
      {storage ? (
        <p className="small muted" data-testid="storage-use">
          {storageText(storage.models, storage.modelBytes, storage.usage, storage.quota, storage.persisted)}
        </p>
      ) : null}
    </>
  );
}
