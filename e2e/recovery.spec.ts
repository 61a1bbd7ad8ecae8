/**
 * A crashed worker is restarted with the case kept (WASM): an error that escapes the worker, and a
 * worker that dies without a word (`close()`, noticed by its missing heartbeat). Each time the
 * studio reloads the bundle, reopens the image and ground truth, keeps the report, the prompt
 * settings and the user's points, analyses again, and says what happened.
 */
import { expect, test, type Page, type Worker } from '@playwright/test';
import { area, openStudio, sample, settled, status, type StudioPage } from './studio-page';

let studio: StudioPage;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  studio = await openStudio(browser);
  page = studio.page;
});

test.afterAll(async () => page.context().close());

/** The studio's live worker (a restarted one replaces the last). */
function liveWorker(): Worker {
  const worker = page.workers().at(-1);
  if (worker === undefined) throw new Error('the studio has no worker');
  return worker;
}

/** What the user had on screen, which a restart must keep. */
async function theCase() {
  return {
    image: await page.locator('.drop-zone .hint').first().textContent(),
    truth: await page.locator('.truth-input .hint').first().textContent(),
    report: await page.getByLabel('Report', { exact: true }).inputValue(),
    k: await page.getByRole('slider', { name: 'Top-k', exact: true }).inputValue(),
    points: await page.locator('ol.points li').count(),
    area: await area(page).textContent(),
  };
}

test('a case with a user point and changed settings is on screen', async () => {
  await page.getByRole('button', { name: `Sample: ${sample('left-only').title}` }).click({ timeout: 180_000 });
  await settled(page, 180_000);
  await page.getByRole('slider', { name: 'Top-k', exact: true }).fill('2');
  await settled(page);
  const box = (await page.locator('canvas.viewer-canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.5);
  await expect(page.locator('ol.points li')).toHaveCount(1);
  await settled(page);
});

for (const [how, crash, reason] of [
  ['an error escapes the worker', (w: Worker) => w.evaluate(() => void setTimeout(() => { throw new Error('simulated crash'); })), 'an error escaped it'],
  ['the worker dies without a word', (w: Worker) => w.evaluate(() => self.close()), 'no sign of life for'],
] as const) {
  test(`${how}: the worker is restarted and the case kept`, async () => {
    const before = await theCase();
    const worker = liveWorker();
    void crash(worker).catch(() => undefined);
    await expect(page.getByRole('note').filter({ hasText: `The analysis worker stopped (${reason}` })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('note').filter({ hasText: 'and was restarted; the case was kept and analysed again.' })).toBeVisible({
      timeout: 180_000,
    });
    await settled(page);
    expect(liveWorker()).not.toBe(worker);
    expect(await theCase()).toEqual(before);
    await expect(status(page)).toContainText('WASM');
  });
}
