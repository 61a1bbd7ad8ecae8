/**
 * The bad-input corpus (tests/fixtures/bad-inputs/corpus.json) in the built studio, on WASM (the
 * corpus is about inputs, not the GPU; the consistency cases also run on WebGPU in
 * studio.spec.ts). Refused kinds: an alert naming the file and the reason, and the image, report,
 * ground truth and result on screen stay. Warned kinds: accepted, with warnings the user can
 * dismiss. Accepted kinds: no word. Bundle kinds are served from edited copies of the demo bundle;
 * the working bundle and its result stay. Action kinds drive the studio while it analyses.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { corpus, corpusBytes, corpusPath, editedBundle, kinds, type Kind } from '../tests/fixtures/bad-inputs/corpus';
import { area, CT_TITLE, DEMO_TITLE, openStudio, startsWithTitle, sample, save, settled as settledOn, status as statusOf, type StudioPage } from './studio-page';

let studio: StudioPage;
let page: Page;
const status = () => statusOf(page);
const settled = (timeout?: number) => settledOn(page, timeout);
const imageInput = () => page.getByLabel('Image', { exact: true });
const truthInput = () => page.getByLabel('Ground truth mask', { exact: true });
const reportBox = () => page.getByLabel('Report', { exact: true });
const segmentButton = () => page.getByRole('button', { name: 'Segment', exact: true });
const base = { image: corpusPath(corpus.base.image), mask: corpusPath(corpus.base.mask), report: corpusBytes(corpus.base.report).toString('utf8') };
const baseName = path.basename(base.image);
/** What a refused input must leave alone: the image caption, the report, the ground truth and the result. */
let onScreen: { caption: string; report: string; area: string; truth: string | null } | null = null;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  studio = await openStudio(browser);
  page = studio.page;
  await page.route('**/corpus-bundles/**', async (route) => {
    const [, kindId, file] = /\/corpus-bundles\/([^/]+)\/(.+)$/.exec(new URL(route.request().url()).pathname)!;
    const bytes = editedBundle(path.resolve(corpus.base.bundle), kinds('bundle').find((k) => k.id === kindId)!.edits!).get(file!);
    await (bytes === undefined ? route.fulfill({ status: 404, body: 'not found' }) : route.fulfill({ body: bytes }));
  });
  await expect(page.getByText(DEMO_TITLE, { exact: true })).toBeVisible({ timeout: 180_000 });
});

test.afterAll(async () => {
  await test.info().attach('console', { body: studio.console.join('\n'), contentType: 'text/plain' });
  await page.context().close();
});

test.afterEach(() => expect(studio.blocked, 'requests outside the local server').toEqual([]));

async function openBase(): Promise<void> {
  await imageInput().setInputFiles(base.image);
  await expect(page.getByText(new RegExp(`^${baseName} · 128×128`))).toBeVisible();
  await truthInput().setInputFiles(base.mask);
  await reportBox().fill(base.report);
  await segmentButton().click();
  await settled();
}

async function snapshot() {
  return {
    caption: (await page.locator('.drop-zone .hint').first().textContent()) ?? '',
    report: await reportBox().inputValue(),
    area: (await area(page).textContent()) ?? '',
    truth: await page.locator('.truth-input .hint').first().textContent().catch(() => null),
  };
}

/** The warning codes listed under `label` ('Image', 'Ground truth', 'Report'). */
async function warningCodes(label: string): Promise<string[]> {
  const list = page.getByRole('list', { name: `${label} warnings` });
  if ((await list.count()) === 0) return [];
  return list.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-code') ?? ''));
}

async function expectWarned(kind: Kind, label: string): Promise<void> {
  const expected = kind.warnings ?? [];
  await expect.poll(() => warningCodes(label)).toEqual(expected);
  if (kind.outcome !== 'warned') return;
  const list = page.getByRole('list', { name: `${label} warnings` });
  await expect(list).toContainText(kind.message!);
  // Dismissable, one by one.
  for (let left = expected.length; left > 0; left--) await list.getByRole('button', { name: /^Dismiss/ }).first().click();
  await expect(list).toHaveCount(0);
}

async function expectRefusedKeeping(kind: Kind, file: string, role: string): Promise<void> {
  await expect(page.getByRole('alert')).toContainText(`${path.basename(file)}: cannot read the ${role}`);
  await expect(page.getByRole('alert')).toContainText(kind.message!);
  expect(await snapshot(), kind.keeps).toEqual(onScreen);
  await expect(status()).toContainText('Done');
}

/** Opens "Load another bundle" unless it is open already. */
async function otherBundles(): Promise<void> {
  if ((await page.locator('details.other-bundle[open]').count()) === 0) await page.locator('summary', { hasText: 'Load another bundle' }).click();
}

const refusedFirst = (list: Kind[]) => [...list.filter((k) => k.outcome === 'refused'), ...list.filter((k) => k.outcome !== 'refused')];

test.describe('images', () => {
  for (const kind of refusedFirst(kinds('image'))) {
    test(`${kind.id} (${kind.outcome})`, async () => {
      if (kind.outcome === 'refused' && onScreen === null) {
        await openBase();
        onScreen = await snapshot();
      }
      const file = corpusPath(kind.file!);
      await imageInput().setInputFiles(file);
      if (kind.outcome === 'refused') return expectRefusedKeeping(kind, file, 'image');
      await expect(page.getByText(new RegExp(`^${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · `))).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
      if (kind.message !== undefined && kind.outcome === 'accepted') await expect(page.locator('.drop-zone')).toContainText(kind.message);
      await expectWarned(kind, 'Image');
    });
  }
});

test.describe('ground truths', () => {
  test.beforeAll(async () => {
    await openBase();
    onScreen = await snapshot();
  });
  for (const kind of refusedFirst(kinds('truth'))) {
    test(`${kind.id} (${kind.outcome})`, async () => {
      const file = corpusPath(kind.file!);
      await truthInput().setInputFiles(file);
      if (kind.outcome === 'refused') {
        await expect(page.getByRole('alert')).toContainText(kind.message!);
        return expect(await snapshot(), kind.keeps).toEqual(onScreen);
      }
      await expect(page.locator('.truth-input .hint').first()).toContainText(path.basename(file));
      await expect(page.getByText(/Dice vs ground truth/)).toBeVisible();
      await expectWarned(kind, 'Ground truth');
    });
  }
});

test.describe('reports', () => {
  for (const kind of kinds('report')) {
    test(`${kind.id} (${kind.outcome})`, async () => {
      const text = corpusBytes(kind.file!).toString('utf8');
      await reportBox().fill(text);
      if (kind.outcome === 'refused') {
        await expect(page.getByText(`Segment needs a report: ${kind.message}`)).toBeVisible();
        return expect(segmentButton()).toBeDisabled();
      }
      await expectWarned(kind, 'Report');
      if (kind.id === 'report-html-injection') {
        const title = await page.title();
        await segmentButton().click();
        await settled();
        expect(await page.title(), 'markup in a report never runs').toBe(title);
        await expect(reportBox()).toHaveValue(text);
      }
      if (kind.id === 'report-unreadable') {
        await segmentButton().click();
        await settled();
        await expect(page.getByRole('region', { name: 'Location' })).toContainText('The report could not be read:');
      }
    });
  }
});

test.describe('bundles', () => {
  test.beforeAll(async () => {
    await openBase();
    await otherBundles();
  });
  for (const kind of kinds('bundle')) {
    test(`${kind.id} (${kind.outcome})`, async () => {
      const before = await settled();
      const url = kind.url ?? new URL(`/corpus-bundles/${kind.id}/`, page.url()).href;
      await page.getByLabel('Bundle URL', { exact: true }).fill(url);
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      // Another origin is fetched (by the service worker) only once the user allows it.
      if (new URL(url).origin !== new URL(page.url()).origin) await page.getByRole('button', { name: /^Allow .* and load$/ }).click();
      const alert = page.getByRole('region', { name: 'Model bundle' }).getByRole('alert');
      await expect(alert).toContainText(`Could not load ${url}: `, { timeout: 60_000 });
      await expect(alert).toContainText(kind.message!);
      await expect(alert).toContainText(`(${DEMO_TITLE} is still in use.)`);
      expect(await settled(), kind.keeps).toBe(before);
      await expect(page.getByRole('slider', { name: 'Top-k', exact: true })).toBeEnabled();
    });
  }
});

/** The number of the analysis the JSON export records (counts analyses in this worker). */
async function analysisNumber(): Promise<number> {
  const record = JSON.parse((await save(page, test.info(), 'Export JSON')).bytes.toString('utf8')) as { analysisId: string };
  return Number(record.analysisId.split('-').at(-1));
}

const ACTIONS: Record<string, () => Promise<void>> = {
  'rapid-segment-clicks': async () => {
    const before = await analysisNumber();
    await segmentButton().evaluate((button: HTMLButtonElement) => {
      for (let i = 0; i < 20; i++) button.click();
    });
    await settled();
    expect(await analysisNumber()).toBe(before + 1);
  },
  'slider-change-during-analysis': async () => {
    await segmentButton().click();
    await page.getByRole('slider', { name: 'Top-k', exact: true }).fill('5');
    await page.getByRole('slider', { name: 'Threshold', exact: true }).fill('0.4');
    await settled();
    const record = JSON.parse((await save(page, test.info(), 'Export JSON')).bytes.toString('utf8')) as { prompts: { k: number; theta: number } };
    expect(record.prompts).toMatchObject({ k: 5, theta: 0.4 });
  },
  'image-switch-during-analysis': async () => {
    await segmentButton().click();
    await imageInput().setInputFiles(corpusPath('images/png-named.jpg'));
    await expect(page.getByText(/^png-named\.jpg · 128×128/)).toBeVisible();
    await expect(status()).toContainText('Ready: press Segment', { timeout: 60_000 });
    await expect(area(page)).toHaveCount(0);
  },
  'report-edit-after-segment': async () => {
    await settled();
    await reportBox().fill(`${base.report} Edited.`);
    await expect(status()).toContainText('Report changed: Segment again');
    await expect(page.getByRole('button', { name: 'Export JSON', exact: true })).toBeDisabled();
  },
  'offline-during-rerun': async () => {
    await settled();
    await page.getByRole('slider', { name: 'Top-k', exact: true }).fill('2');
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await settled(60_000);
    await imageInput().setInputFiles(base.image);
    await segmentButton().click();
    await settled();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
  },
  'sample-click-during-analysis': async () => {
    // Segment, and a sample clicked in the same task (before the gallery is disabled).
    await page.evaluate(() => {
      const buttons = [...document.querySelectorAll<HTMLButtonElement>('button')];
      buttons.find((b) => b.textContent === 'Segment')!.click();
      buttons.find((b) => b.getAttribute('aria-label')?.startsWith('Sample: '))!.click();
    });
    await settled();
    await expect(page.getByText(new RegExp(`^${baseName} · 128×128`))).toBeVisible();
  },
  'truth-change-during-analysis': async () => {
    await segmentButton().click();
    await truthInput().setInputFiles(corpusPath('truth/truth-empty.png'));
    await settled();
    const lesion = !(await area(page).innerText()).startsWith('0 px');
    await expect(page.getByRole('row', { name: /Dice vs ground truth/ })).toContainText(lesion ? '0.000' : '1.000');
  },
  'bundle-switch-during-analysis': async () => {
    await otherBundles();
    await segmentButton().click();
    await page.getByRole('button', { name: startsWithTitle(CT_TITLE) }).click();
    await expect(page.getByRole('note').filter({ hasText: 'is loaded: press Segment to analyse this case with it' })).toBeVisible({
      timeout: 120_000,
    });
    await expect(status()).not.toContainText('Done');
    await expect(area(page)).toHaveCount(0);
    await page.getByRole('button', { name: startsWithTitle(DEMO_TITLE) }).click();
    await expect(page.getByText(DEMO_TITLE, { exact: true })).toBeVisible({ timeout: 120_000 });
  },
};

test.describe('actions', () => {
  for (const kind of kinds('action')) {
    test(`${kind.id}: ${kind.outcome}`, async () => {
      await openBase();
      const action = ACTIONS[kind.id];
      expect(action, `no test drives ${kind.id}`).toBeDefined();
      await action!();
    });
  }

  test('a sample still loads and segments after the corpus', async () => {
    await page.getByRole('button', { name: `Sample: ${sample('left-only').title}` }).click();
    await settled();
  });
});
