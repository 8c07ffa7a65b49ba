// Drives the operator console in Debian's chromium (headless), through playwright-core, as an operator:
//   node console.mjs CONSOLE_URL KEY EXECUTION_ID MARKER_FILE SCREENSHOT
// Signs in with KEY, waits until execution EXECUTION_ID shows as running (with its partitions) and then
// writes MARKER_FILE (the test then lets the job go on), waits for it to show COMPLETED, clicks the first
// Requeue button of the failure ledger, reads the usage charts' points and the schedules, and saves a
// screenshot of the whole page. Prints one JSON line: {statuses, partitions, requeued, charts, schedules,
// signedOutAfterReload, errors}.
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [url, key, execution, marker, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const out = { statuses: [], partitions: 0, requeued: null, charts: {}, schedules: [], errors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => out.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') out.errors.push(m.text()); });
  await page.goto(url);
  await page.fill('#key', key);
  await page.click('#sign-in-form button[type=submit]');
  const row = `#executions tr[data-execution="${execution}"]`;
  await page.waitForSelector(`${row}[data-status="STARTED"] .partition`, { timeout: 60000 });
  out.statuses.push('STARTED');
  out.partitions = await page.locator(`${row} .partition`).count();
  writeFileSync(marker, 'running');
  await page.waitForSelector(`${row}[data-status="COMPLETED"]`, { timeout: 120000 });
  out.statuses.push('COMPLETED');

  const requeue = page.locator('#failures button').first();
  if (await requeue.count() > 0) {
    await requeue.click();
    await page.waitForSelector('#requeued[data-execution]', { timeout: 30000 });
    out.requeued = Number(await page.getAttribute('#requeued', 'data-execution'));
  }
  for (const metric of ['bytes', 'requests', 'storage']) {
    await page.waitForSelector(`#chart-${metric}[data-loaded="true"] svg`, { timeout: 30000 });
    out.charts[metric] = await page.$$eval(`#chart-${metric} rect.point`,
      (rects) => rects.map((r) => ({ key: r.dataset.key, value: Number(r.dataset.value) })));
  }
  out.schedules = await page.$$eval('#schedules tbody tr', (rows) => rows.map((r) => r.dataset.schedule));
  await page.screenshot({ path: screenshot, fullPage: true });
  // the key lives in this tab's session only: a new context (a new browser session) starts signed out
  const fresh = await browser.newPage();
  await fresh.goto(url);
  out.signedOutAfterReload = await fresh.isVisible('#sign-in') && !(await fresh.isVisible('#console'));
  console.log(JSON.stringify(out));
} catch (e) {
  out.errors.push(String(e));
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
