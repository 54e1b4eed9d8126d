import { storageText } from '../../core/device/modelBudget';
import { useModels } from '../../store/hooks';

/** What the kept models take in this browser, and which were dropped to stay within the budget. */
export function StorageLine() {
  const { storage, dropped } = useModels('storage', 'dropped');
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
