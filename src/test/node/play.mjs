// Plays a stream in Debian's chromium (headless), driven by playwright-core, as a viewer's browser
// would, with the unmodified player library the page loads (hls.js or dash.js).
//   node play.mjs PAGE_URL
// PAGE_URL is hls-player.html or dash-player.html served from the stream's own origin (the page loads
// its library and master.m3u8 or manifest.mpd beside it). Prints one JSON line:
// {ended, currentTime, duration, width, height, errors}.
import { chromium } from 'playwright-core';

const [pageUrl] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(pageUrl);
  const outcome = await page.waitForFunction(() => window.outcome, null, { timeout: 120000, polling: 200 });
  const value = await outcome.jsonValue();
  value.errors = [...(value.errors ?? []), ...pageErrors];
  console.log(JSON.stringify(value));
} finally {
  await browser.close();
}
