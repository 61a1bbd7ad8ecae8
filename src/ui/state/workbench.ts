/**
 * The research workbench's state: which view is on screen, the opened dataset (its files stay
 * here, so a case can be opened in the viewer and the folder handed to a fresh worker), the
 * evaluation as its rows arrive, every sweep's scores per case and its tables, and the per-case
 * table's sort, filter and page. Plain data only: the worker holds the encodings.
 */
import { create } from 'zustand';
import type {
  BatchProgress,
  CaseScores,
  DatasetSummary,
  EvalCaseResult,
  EvalSummary,
  EvaluationDone,
  HistogramBin,
  LocationTexts,
  PromptSettings,
  SweepDone,
  SweepKind,
} from '../../worker/api';

export type View = 'studio' | 'workbench';
export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface OpenedDataset {
  summary: DatasetSummary;
  /** Path inside the folder -> file. */
  files: ReadonlyMap<string, File>;
}

export interface EvaluationState {
  status: RunStatus;
  /** The bundle that evaluated (its title, and its load id: sweeps need the same load). */
  bundleTitle: string;
  engineId: string | null;
  /** The prompts every case was evaluated with (the bundle's defaults); a case opens with them. */
  settings: PromptSettings;
  progress: BatchProgress | null;
  rows: EvalCaseResult[];
  summary: EvalSummary | null;
  histogram: HistogramBin[];
  done: EvaluationDone | null;
  error: string | null;
}

export interface SweepState {
  status: RunStatus;
  kinds: SweepKind[];
  progress: BatchProgress | null;
  done: SweepDone | null;
  error: string | null;
}

export type SortKey = keyof EvalCaseResult | 'textEffect' | 'locationDrop';

export interface TableView {
  sort: { key: SortKey; descending: boolean };
  filter: string;
  show: 'all' | 'errors' | 'unreadable' | 'warnings';
  page: number;
}

export interface WorkbenchState {
  view: View;
  dataset: OpenedDataset | null;
  /** Budget of the worker's encoding cache, in MiB. */
  cacheMiB: number;
  evaluation: EvaluationState | null;
  /** The last sweep run (its progress while running). */
  sweep: SweepState | null;
  /** Tables by sweep kind, from the last run of each. */
  tables: Partial<SweepDone['tables']>;
  /** Sweep scores per case id and setting key, and the location test's texts per case. */
  scores: ReadonlyMap<string, Readonly<Record<string, CaseScores>>>;
  texts: ReadonlyMap<string, LocationTexts>;
  table: TableView;
  setView(view: View): void;
  setCacheMiB(value: number): void;
  opened(dataset: OpenedDataset): void;
  startEvaluation(bundleTitle: string, settings: PromptSettings): void;
  evaluationProgress(progress: BatchProgress): void;
  evaluationEnded(done: EvaluationDone | null, error: string | null): void;
  startSweep(kinds: SweepKind[]): void;
  sweepProgress(progress: BatchProgress): void;
  sweepEnded(done: SweepDone | null, error: string | null): void;
  setTable(change: Partial<TableView>): void;
}

const FIRST_TABLE: TableView = { sort: { key: 'index', descending: false }, filter: '', show: 'all', page: 0 };

function ended(done: { cancelled: boolean } | null, error: string | null): RunStatus {
  if (error !== null) return 'failed';
  return done?.cancelled ? 'cancelled' : 'done';
}

export const useWorkbench = create<WorkbenchState>()((set) => ({
  view: 'studio',
  dataset: null,
  cacheMiB: 256,
  evaluation: null,
  sweep: null,
  tables: {},
  scores: new Map(),
  texts: new Map(),
  table: FIRST_TABLE,
  setView: (view) => set({ view }),
  setCacheMiB: (cacheMiB) => set({ cacheMiB }),
  opened: (dataset) => set({ dataset, evaluation: null, sweep: null, tables: {}, scores: new Map(), texts: new Map(), table: FIRST_TABLE }),
  startEvaluation: (bundleTitle, settings) =>
    set({
      evaluation: { status: 'running', bundleTitle, engineId: null, settings, progress: null, rows: [], summary: null, histogram: [], done: null, error: null },
      sweep: null,
      tables: {},
      scores: new Map(),
      texts: new Map(),
    }),
  evaluationProgress: (progress) =>
    set((s) => {
      if (s.evaluation === null || progress.row === undefined) return {};
      const rows = [...s.evaluation.rows, progress.row];
      const { summary = s.evaluation.summary, histogram = s.evaluation.histogram } = progress;
      return { evaluation: { ...s.evaluation, progress, rows, summary, histogram } };
    }),
  evaluationEnded: (done, error) =>
    set((s) =>
      s.evaluation === null
        ? {}
        : {
            evaluation: {
              ...s.evaluation,
              status: ended(done?.summary ?? null, error),
              engineId: done?.engineId ?? null,
              summary: done?.summary ?? s.evaluation.summary,
              histogram: done?.histogram ?? s.evaluation.histogram,
              done,
              error,
            },
          },
    ),
  startSweep: (kinds) => set({ sweep: { status: 'running', kinds, progress: null, done: null, error: null } }),
  sweepProgress: (progress) =>
    set((s) => {
      if (s.sweep === null || progress.scores === undefined) return {};
      const { id, scores, texts } = progress.scores;
      const merged = new Map(s.scores).set(id, { ...s.scores.get(id), ...scores });
      const withTexts = texts === null ? s.texts : new Map(s.texts).set(id, texts);
      return { sweep: { ...s.sweep, progress }, scores: merged, texts: withTexts };
    }),
  sweepEnded: (done, error) =>
    set((s) => ({
      sweep: s.sweep === null ? null : { ...s.sweep, status: ended(done, error), done, error },
      tables: done === null ? s.tables : { ...s.tables, ...done.tables },
    })),
  setTable: (change) => set((s) => ({ table: { ...s.table, page: 0, ...change } })),
}));
