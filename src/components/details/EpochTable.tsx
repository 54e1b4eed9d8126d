import { epochCells } from '../../core/diagnosis';
import { useShown } from '../../store/hooks';
import { fixed } from '../lib/format';
import { Hint } from '../common/Hint';
import { earlyStopText } from '../../core/runs/earlyStopping';
import { useEarlyStop } from '../live/useEarlyStop';

/** Keras's History, one row per finished epoch, then the test result. */
export function EpochTable() {
  const { epochs, plan, config, status } = useShown('epochs', 'plan', 'config', 'status');
  const stop = useEarlyStop();
  const early = config ? earlyStopText(config, epochs, status === 'done') : null;
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">Epochs, as Keras logs them</h2>
      {plan ? (
        <p className="small muted">
          Trained on {plan.trainCount.toLocaleString('en-US')} images, validated on{' '}
          {plan.valCount.toLocaleString('en-US')}
          {plan.batches > 0 ? `, ${plan.batches} batches per epoch` : ''}.
          {plan.group
            ? ` Trained with ${plan.group - 1} other network${plan.group === 2 ? '' : 's'} in one step (a queue's group): the seconds are the group's.`
            : ''}
        </p>
      ) : null}
      <div className="table-scroll">
        <table data-testid="history-table">
          <thead>
            <tr>
              <th>epoch</th>
              <th>
                loss <Hint term="loss" label="loss" />
              </th>
              <th>
                acc <Hint term="acc" label="acc" />
              </th>
              <th>val_loss</th>
              <th>
                val_acc <Hint term="valAcc" label="val_acc" />
              </th>
              <th>seconds</th>
            </tr>
          </thead>
          <tbody>
            {epochs.map((e) => (
              <tr key={e.epoch} className={stop?.restored === e.epoch ? 'kept-epoch' : undefined}>
                <td>
                  {e.epoch}
                  {stop?.restored === e.epoch ? (
                    <span className="kept-mark">{status === 'done' ? ' (kept)' : ' (best so far)'}</span>
                  ) : null}
                </td>
                <td>{epochCells(e).loss}</td>
                <td>{epochCells(e).acc}</td>
                <td>{epochCells(e).val_loss}</td>
                <td>{epochCells(e).val_acc}</td>
                <td>{fixed(e.seconds, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {epochs.length === 0 ? <p className="small muted">Each finished epoch adds a row here.</p> : null}
      {early && epochs.length > 0 ? (
        <p className="small" data-testid="early-stop">
          {early}
        </p>
      ) : null}
      <TestResult />
    </section>
  );
}

function TestResult() {
  const { outcome, status } = useShown('outcome', 'status');
  if (outcome?.testAcc != null) {
    return (
      <p className="test-result">
        Test accuracy on 10,000 images: <strong data-testid="test-accuracy">{fixed(outcome.testAcc)}</strong>{' '}
        <span className="muted">(loss {fixed(outcome.testLoss)})</span>
      </p>
    );
  }
  return status === 'stopped' ? (
    <p className="muted">Stopped after {outcome?.epochs.length ?? 0} finished epochs; no test evaluation.</p>
  ) : null;
}
