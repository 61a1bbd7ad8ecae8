/**
 * The research workbench view: a dataset folder evaluated with the bundle in use, the per-case
 * table and the sweeps and plots. Loaded on first use (it brings the charting library).
 */
import { CaseTable } from './CaseTable';
import { DatasetPanel } from './DatasetPanel';
import { SweepPanel } from './SweepPanel';
import './workbench.css';

export default function Workbench() {
  return (
    <div className="workbench">
      <DatasetPanel />
      <CaseTable />
      <SweepPanel />
    </div>
  );
}
