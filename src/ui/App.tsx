import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import './app.css';

/** The shipped demo bundle and sample cases, relative to the page so a subpath host works. */
const DEMO_BUNDLE = './bundles/demo-cxr/';
const SAMPLES = './samples/';

interface Score {
  dice: number;
  miou: number;
  cases: number;
}

interface BundleSummary {
  title: string;
  description: string;
  modality: string;
  training: { trainable_parameters: number; total_parameters: number; seconds: number; device: string };
  metrics: {
    all_prompts?: Score;
    table5_prompts?: Record<string, Score>;
    table2_qgaf?: Record<string, Score>;
    location?: { cases: number; dice_true_report: number; dice_other_regions_report: number; dice_drop: number };
  };
}

interface Sample {
  id: string;
  title: string;
  image: string;
  mask: string;
  report: string;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

const queryClient = new QueryClient();

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <main className="studio">
        <header>
          <h1>Locus studio</h1>
          <p>Report-guided lung infection segmentation. Interactive segmentation arrives with the worker runtime.</p>
        </header>
        <BundlePanel />
        <SampleGallery />
      </main>
    </QueryClientProvider>
  );
}

function BundlePanel() {
  const bundle = useQuery({ queryKey: ['bundle', DEMO_BUNDLE], queryFn: () => getJson<BundleSummary>(`${DEMO_BUNDLE}manifest.json`) });
  if (bundle.isPending) return <section aria-busy="true">Loading the demo bundle…</section>;
  if (bundle.isError) return <section role="alert">Could not load the demo bundle: {bundle.error.message}</section>;
  const { title, description, modality, training, metrics } = bundle.data;
  return (
    <section aria-label="Bundle">
      <h2>{title}</h2>
      <p>{description}</p>
      <dl>
        <dt>Modality</dt>
        <dd>{modality.toUpperCase()}</dd>
        <dt>Trainable parameters</dt>
        <dd>{training.trainable_parameters.toLocaleString('en')}</dd>
        <dt>Training</dt>
        <dd>
          {(training.seconds / 60).toFixed(1)} min on {training.device}
        </dd>
      </dl>
      {metrics.table5_prompts && <ScoreTable caption="Prompts (synthetic test split)" rows={metrics.table5_prompts} />}
      {metrics.table2_qgaf && <ScoreTable caption="Bridges (all prompts)" rows={metrics.table2_qgaf} />}
      {metrics.location && (
        <p>
          Location awareness: Dice {metrics.location.dice_true_report.toFixed(3)} with the true report,{' '}
          {metrics.location.dice_other_regions_report.toFixed(3)} with a report naming the other regions ({metrics.location.cases} cases).
        </p>
      )}
    </section>
  );
}

function ScoreTable({ caption, rows }: { caption: string; rows: Record<string, Score> }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">Dice</th>
          <th scope="col">mIoU</th>
          <th scope="col">Cases</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(rows).map(([name, score]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{score.dice.toFixed(4)}</td>
            <td>{score.miou.toFixed(4)}</td>
            <td>{score.cases}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SampleGallery() {
  const samples = useQuery({ queryKey: ['samples'], queryFn: () => getJson<Sample[]>(`${SAMPLES}index.json`) });
  if (samples.isPending) return <section aria-busy="true">Loading samples…</section>;
  if (samples.isError) return <section role="alert">Could not load the samples: {samples.error.message}</section>;
  return (
    <section aria-label="Samples">
      <h2>Sample cases</h2>
      <ul className="gallery">
        {samples.data.map((sample) => (
          <li key={sample.id}>
            <figure>
              <img src={`${SAMPLES}${sample.image}`} alt={`${sample.title}: chest X-ray`} />
              <figcaption>
                <strong>{sample.title}</strong>
                <span>{sample.report}</span>
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </section>
  );
}
