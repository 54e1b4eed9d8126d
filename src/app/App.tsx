import { useState } from 'react';
import { ErrorBoundary } from '../components/common/ErrorBoundary';
import { ErrorMessage } from '../components/common/ErrorMessage';
import { NoticeBar } from '../components/common/NoticeBar';
import { Tabs, type TabItem } from '../components/common/Tabs';
import { UndoBar } from '../components/common/UndoBar';
import { ControlBar } from '../components/controls/ControlBar';
import { TopBar } from '../components/controls/TopBar';
import { EpochTable } from '../components/details/EpochTable';
import { SummaryPanel } from '../components/details/SummaryPanel';
import { TechnicalDetails } from '../components/details/TechnicalDetails';
import { DrawPanel } from '../components/draw/DrawPanel';
import { ExperimentsPanel } from '../components/experiments/ExperimentsPanel';
import { Gallery } from '../components/gallery/Gallery';
import { InsidePanel } from '../components/inside/InsidePanel';
import { AccuracyChart } from '../components/live/AccuracyChart';
import { DiagnosisPanel } from '../components/live/DiagnosisPanel';
import { LayerHealthView } from '../components/live/LayerHealthView';
import { LiveTiles } from '../components/live/LiveTiles';
import { LossChart } from '../components/live/LossChart';
import { ResultHeadline } from '../components/live/ResultHeadline';
import { NetworkBuilder } from '../components/network/NetworkBuilder';
import { CompareChart } from '../components/runs/CompareChart';
import { RunsPanel } from '../components/runs/RunsPanel';

const TABS: readonly TabItem[] = [
  { id: 'epochs', label: 'Epochs', render: () => <EpochTable /> },
  {
    id: 'runs',
    label: 'Runs & compare',
    render: () => (
      <>
        <RunsPanel />
        <CompareChart />
      </>
    ),
  },
  { id: 'experiments', label: 'Experiments', render: () => <ExperimentsPanel /> },
  { id: 'inside', label: 'Inside the network', render: () => <InsidePanel /> },
  { id: 'summary', label: 'Keras summary', render: () => <SummaryPanel /> },
  { id: 'images', label: 'Training images', render: () => <Gallery /> },
];

/** The tabs below the workbench; their state lives here, so turning a tab re-renders only them. */
function MoreTabs({ initialTab }: { initialTab: string }) {
  const [tab, setTab] = useState(initialTab);
  return <Tabs items={TABS} selected={tab} onSelect={setTab} label="More of the lab" />;
}

/**
 * The page: the loop a person comes for on one screen (build | watch it learn | draw), and the
 * rest one click away in tabs below.
 */
export function App({ initialTab }: { initialTab: string }) {
  return (
    <ErrorBoundary>
      <TopBar />
      <NoticeBar />
      <ControlBar />
      <ErrorMessage />
      <main className="workbench">
        <div className="col build">
          <NetworkBuilder />
        </div>
        <div className="col watch">
          <section className="panel charts" aria-labelledby="charts-title">
            <h2 id="charts-title" className="visually-hidden">
              Learning curves
            </h2>
            <ResultHeadline />
            <div className="chart-pair">
              <AccuracyChart />
              <LossChart />
            </div>
          </section>
          <LayerHealthView />
          <DiagnosisPanel />
        </div>
        <div className="col output">
          <DrawPanel />
          <LiveTiles />
        </div>
      </main>
      <section className="more" aria-label="More">
        <MoreTabs initialTab={initialTab} />
      </section>
      <footer className="footer">
        <TechnicalDetails />
      </footer>
      <UndoBar />
    </ErrorBoundary>
  );
}
