import { AccuracyChart } from '../components/AccuracyChart';
import { CompareChart } from '../components/CompareChart';
import { DrawPanel } from '../components/DrawPanel';
import { InsidePanel } from '../components/InsidePanel';
import { ExperimentsPanel } from '../components/ExperimentsPanel';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ErrorMessage } from '../components/ErrorMessage';
import { Gallery } from '../components/Gallery';
import { HistoryTable } from '../components/HistoryTable';
import { NetworkBuilder, TrainingSettings } from '../components/NetworkBuilder';
import { NoticeBar } from '../components/NoticeBar';
import { RunsPanel } from '../components/RunsPanel';
import { SummaryPanel } from '../components/SummaryPanel';
import { TrainControls } from '../components/TrainControls';

export function App() {
  return (
    <ErrorBoundary>
      <header className="top">
        <h1>MLP Lab</h1>
        <p>How depth and width change what a fully connected network learns on MNIST (and Fashion-MNIST), trained in your browser.</p>
      </header>
      <NoticeBar />
      <main className="grid">
        <div className="side">
          <TrainControls />
          <NetworkBuilder />
          <TrainingSettings />
        </div>
        <div className="main">
          <ErrorMessage />
          <AccuracyChart />
          <HistoryTable />
          <SummaryPanel />
          <ExperimentsPanel />
          <RunsPanel />
          <CompareChart />
          <DrawPanel />
          <InsidePanel />
          <Gallery />
        </div>
      </main>
    </ErrorBoundary>
  );
}
