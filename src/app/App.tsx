import { StepPanel } from '../components/step/StepPanel';
import { useEffect, useRef, useState } from 'react';
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
import { GuidePanel } from '../components/guide/GuidePanel';
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
  { id: 'step', label: 'One step', render: () => <StepPanel /> },
  { id: 'summary', label: 'Keras summary', render: () => <SummaryPanel /> },
  { id: 'images', label: 'Training images', render: () => <Gallery /> },
];

/** The tab the page opens on when a link names nothing else. */
const FIRST_TAB = 'epochs';

/**
 * The tabs below the workbench; their state lives here, so turning a tab re-renders only them. On
 * a wide screen the tab strip stays at the bottom of the window until its panel scrolls up to it;
 * choosing a tab (or opening the page on one, `?experiment=…`) brings the panel into view.
 */
function MoreTabs({ initialTab }: { initialTab: string }) {
  const [tab, setTab] = useState(initialTab);
  const strip = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (initialTab !== FIRST_TAB) revealTabs(strip.current, initialTab, 'instant');
  }, [initialTab]);
  const select = (id: string) => {
    setTab(id);
    revealTabs(strip.current, id, 'smooth');
  };
  return <Tabs items={TABS} selected={tab} onSelect={select} label="More of the lab" stripRef={strip} />;
}

/**
 * Scrolls the page so that the tab strip sits at the top of the window, unless the top of its
 * panel is already in the upper half of it. The strip may be stuck to the bottom of the window,
 * so the panel (just below the strip's own place) says where the strip belongs.
 */
function revealTabs(strip: HTMLElement | null, id: string, behavior: ScrollBehavior) {
  const panel = strip?.nextElementSibling;
  if (!strip || !panel) return;
  // A strip that scrolls sideways (a phone) shows the chosen tab whole.
  const chosen = strip.querySelector(`#tab-${id}`);
  if (chosen) {
    const [c, s] = [chosen.getBoundingClientRect(), strip.getBoundingClientRect()];
    if (c.left < s.left || c.right > s.right) strip.scrollLeft += c.left - s.left - 16;
  }
  const top = panel.getBoundingClientRect().top - strip.offsetHeight;
  if (top >= 0 && top < window.innerHeight / 2) return;
  const smooth = behavior === 'smooth' && !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollTo({ top: window.scrollY + top - 8, behavior: smooth ? 'smooth' : 'instant' });
}

/**
 * The page: the control bar and the loop a person comes for on one screen (build | watch it learn
 * | draw), and the rest one click away in tabs below. On a phone the same parts stack, the charts
 * first.
 */
export function App({ initialTab }: { initialTab: string }) {
  return (
    <ErrorBoundary>
      <TopBar />
      <NoticeBar />
      <main className="lab">
        <div className="workbench">
          <ControlBar />
          <ErrorMessage />
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
            <GuidePanel />
          </div>
          <div className="col output">
            <DrawPanel />
            <LiveTiles />
          </div>
        </div>
        <MoreTabs initialTab={initialTab} />
      </main>
      <footer className="footer">
        <TechnicalDetails />
      </footer>
      <UndoBar />
    </ErrorBoundary>
  );
}
