import { Component, type ErrorInfo, type ReactNode } from 'react';

/** A render error shows a message and a reload button instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <section className="error" role="alert" data-testid="error-message">
          The lab hit an unexpected error: {this.state.error.message}.{' '}
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </section>
      );
    }
    return this.props.children;
  }
}
