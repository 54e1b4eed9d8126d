import { useLab } from '../../store/context';
import { selectError } from '../../store/selectors';

export function ErrorMessage() {
  const error = useLab(selectError);
  if (!error) return null;
  return (
    <section className="error" role="alert" data-testid="error-message">
      {error}
    </section>
  );
}
