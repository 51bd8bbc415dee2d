// Drives the EdgeBroker dashboard in headless Chromium (the Debian `chromium` package through
// playwright-core) for tests/EdgeBroker.Interop.Tests/Dashboard. One scenario per run; prints READY
// when the page is ready for the test's next step (where that matters) and one JSON result line last.
// usage: node dashboard/scenario.js <scenario> <baseUrl> <screenshot.png> [args...]
//   overview                       overview shows numbers and the message chart has live points
//   topic <topic> <value>          prints READY once subscribed, then waits for <topic> with <value> in the
//                                  topic explorer (the test publishes it) and opens its payload
//   publish <topic> <payload>      publishes from the console form, reports the outcome
//   history <topic> <count>        selects <topic>, waits for the history chart to draw <count> values
'use strict';
const { chromium } = require('playwright-core');

const [scenario, baseUrl, screenshot, ...args] = process.argv.slice(2);
const TIMEOUT = 45_000; // per wait; generous because CI machines run several brokers and browsers at once

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (e) => errors.push(e.message));
    const result = await scenarios[scenario](page, ...args);
    await page.screenshot({ path: screenshot });
    result.pageErrors = errors;
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

/** Opens a view and waits until the hub connection settled (live, or HTTP only when the hub is absent). */
async function open(page, hash) {
  await page.goto(baseUrl + hash);
  await page.waitForSelector('#hub-status[data-status="connected"], #hub-status[data-status="offline"]');
  return page.getAttribute('#hub-status', 'data-status');
}

const scenarios = {
  async overview(page, extraScreenshot) {
    const hub = await open(page, '#overview');
    // Numbers arrive (uptime formatted, counters numeric) and the live chart has drawn a few samples.
    await page.waitForFunction(() => /^\d\d:\d\d:\d\d$|^\d+d /.test(document.querySelector('[data-stat=uptime]').textContent));
    await page.waitForFunction(() => Number(document.querySelector('canvas[data-chart=messages]').dataset.points || 0) >= 12);
    await page.waitForFunction(() => Number(document.querySelector('[data-stat=messagesIn]').textContent.replace(/,/g, '')) > 0);
    const stats = await page.$$eval('[data-stat]', (els) => Object.fromEntries(els.map((e) => [e.dataset.stat, e.textContent])));
    if (extraScreenshot) await page.screenshot({ path: extraScreenshot });
    return { hub, stats, chartPoints: Number(await page.getAttribute('canvas[data-chart=messages]', 'data-points')) };
  },

  async topic(page, topic, value) {
    const hub = await open(page, '#topics');
    console.log('READY');
    const row = page.locator(`.row[data-topic="${topic}"]`);
    await row.locator('.value', { hasText: value }).waitFor();
    await row.click();
    await page.waitForFunction(() => {
      const text = document.querySelector('[data-testid=payload]').textContent;
      return text.length > 0 && !text.startsWith('No message');
    });
    return {
      hub,
      value: await row.locator('.value').textContent(),
      count: await row.locator('.count').textContent(),
      detailTopic: await page.textContent('[data-testid=detail-topic]'),
      payload: await page.textContent('[data-testid=payload]'),
    };
  },

  async publish(page, topic, payload) {
    const hub = await open(page, '#console');
    await page.fill('input[name=topic]', topic);
    await page.fill('textarea[name=payload]', payload);
    await page.fill('input[name=contentType]', 'application/json');
    await page.click('form[data-testid=publish-form] button[type=submit]');
    await page.waitForSelector('[data-testid=publish-result].ok, [data-testid=publish-result].error');
    return { hub, ok: await page.$('[data-testid=publish-result].ok') !== null, outcome: await page.textContent('[data-testid=publish-result]') };
  },

  async history(page, topic, count) {
    const hub = await open(page, '#topics?topic=' + encodeURIComponent(topic));
    await page.waitForSelector('canvas[data-chart=history][data-state=loaded]');
    await page.waitForFunction((n) => Number(document.querySelector('canvas[data-chart=history]').dataset.points || 0) >= n, Number(count));
    return {
      hub,
      source: await page.getAttribute('canvas[data-chart=history]', 'data-source'),
      points: Number(await page.getAttribute('canvas[data-chart=history]', 'data-points')),
      stream: await page.inputValue('[data-testid=history-stream]'),
      info: await page.textContent('[data-testid=history-info]'),
    };
  },
};

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
