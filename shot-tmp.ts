import { chromium } from '@playwright/test';
import { LotsePage } from './test/e2e/support/lotse-page';
import { startLotseWeb } from './test/e2e/support/lotse-web';
import { chromiumLaunchOptions } from './test/testbed/chromium';
const lotse = await startLotseWeb({});
const browser = await chromium.launch(chromiumLaunchOptions({}));
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const app = new LotsePage(page);
  await app.open(lotse.url);
  await page.getByTestId('bot-first').check();
  await page.waitForTimeout(500);
  await page.screenshot({ path: '/tmp/shot-workspace.png' });
  await page.getByTestId('bot-lines').screenshot({ path: '/tmp/shot-botlines.png' });
  await app.view('diagnostics');
  await page.screenshot({ path: '/tmp/shot-diagnostics.png' });
} finally {
  await browser.close();
  await lotse.stop();
}
