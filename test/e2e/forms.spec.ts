/**
 * Forms tell people what to do: the call-handling options are one group
 * (a fieldset with its legend) with each checkbox on the line of its own
 * words, and the account form says what is wrong at the field it is about
 * — in plain words, the input marked invalid and described by the message,
 * the message gone once the field is changed — never a check's technical
 * text. Needs only the desk (no phone server, no speech model).
 */
import { expect, test } from './support/fixtures';
import { skipWithout } from './support/test-bed-packages';

test.use({ bed: {} });
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');

test('the call-handling options are a group, each box on the line of its own words', async ({
  app,
}) => {
  const group = app.page.getByRole('group', { name: 'Anrufannahme' });
  await expect(group).toBeVisible();
  const boxes = group.getByRole('checkbox');
  await expect(boxes).toHaveCount(4);
  for (const name of [
    'Anrufe automatisch annehmen',
    'Bot nimmt Anrufe zuerst an',
    'Nicht stören (Anrufe abweisen)',
    'Weiterleitungen der Gegenseite folgen (REFER)',
  ])
    await expect(group.getByRole('checkbox', { name, exact: true })).toBeVisible();
  // Each box against the first line of its own label's words (a text range's
  // first rectangle), and each option below the one before.
  const layout = await group.locator('label.check').evaluateAll((labels) =>
    labels.map((label) => {
      const box = label.querySelector('input')!.getBoundingClientRect();
      const words = [...label.childNodes].find(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '',
      )!;
      const range = document.createRange();
      range.selectNodeContents(words);
      const line = range.getClientRects()[0]!;
      const whole = label.getBoundingClientRect();
      return {
        text: words.textContent!.trim(),
        box: { left: box.left, right: box.right, mid: box.top + box.height / 2 },
        line: { left: line.left, top: line.top, bottom: line.bottom },
        label: { top: whole.top, bottom: whole.bottom },
      };
    }),
  );
  expect(layout).toHaveLength(4);
  layout.forEach((option, i) => {
    const where = `${option.text}: ${JSON.stringify(option)}`;
    // On the line of its words (its middle within that line's height) …
    expect(option.box.mid, where).toBeGreaterThanOrEqual(option.line.top);
    expect(option.box.mid, where).toBeLessThanOrEqual(option.line.bottom);
    // … in front of them, not at the end of another option's line.
    expect(option.box.right, where).toBeLessThanOrEqual(option.line.left);
    const before = layout[i - 1];
    if (before) expect(option.label.top, where).toBeGreaterThanOrEqual(before.label.bottom - 1);
  });
});

test('the account form says what is wrong at each field, in plain words, until it is changed', async ({
  app,
}) => {
  const page = app.page;
  await app.view('settings');
  const server = page.getByLabel('Server (WebSocket)');
  const sip = page.getByLabel('SIP-Adresse', { exact: true });
  const status = page.getByTestId('settings-status');
  await server.fill('http://pbx.jobcenter.example');
  await sip.fill('1001');
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();

  const serverError = page.getByTestId('setting-serverUrl-error');
  const sipError = page.getByTestId('setting-sipUri-error');
  await expect(serverError).toHaveText('Die Serveradresse muss mit ws:// oder wss:// beginnen.');
  await expect(sipError).toHaveText('Die SIP-Adresse hat die Form sip:name@domain.');
  for (const [input, error] of [
    [server, serverError],
    [sip, sipError],
  ] as const) {
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(await error.innerText());
  }
  // The first wrong field has the focus; under the button, what to do — nothing technical.
  await expect(server).toBeFocused();
  await expect(status).toHaveText('Bitte die markierten Eingaben korrigieren.');
  await expect(page.getByRole('form', { name: 'Telefonkonto', exact: true })).not.toContainText(
    /invalid parameters|✖|→ at|code:/,
  );
  await app.screenshot('account-field-errors', { title: 'account form: errors at the fields' });

  // Changing a field takes its message away; the other stays until it is changed too.
  await server.fill('ws://127.0.0.1:5066');
  await expect(serverError).toHaveCount(0);
  await expect(server).not.toHaveAttribute('aria-invalid');
  await expect(sipError).toBeVisible();
  await sip.fill('sip:1001@127.0.0.1');
  await expect(sipError).toHaveCount(0);
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(status).toHaveText('Gespeichert.');
});
