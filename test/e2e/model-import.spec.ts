/**
 * A speech model brought on a USB stick, imported the way a caseworker
 * does it in web mode: settings → Sprachmodelle → "Datei auswählen …",
 * the browser's file picker (Playwright's setInputFiles), no typed path.
 * The zip is uploaded to the engine, installed, made active, and the speech
 * process starts with it; a file that is no model is refused at the field.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { syntheticVoskModelFiles } from '../fixtures/synthetic-vosk-model';
import { expect, test } from './support/fixtures';
import { skipWithout } from './support/test-bed-packages';

// A fresh install: no speech model until the import.
test.use({ bed: {} });
// Skipped only without Debian's chromium (a developer machine); .ci/run installs it.
skipWithout('chromium');

const MODEL_ID = 'vosk-model-synthetic-import';

/** The synthetic model zipped as Alpha Cephei zips theirs: one top folder. */
async function modelZip(file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [rel, content] of syntheticVoskModelFiles()) {
    zip.addBuffer(Buffer.from(content), `${MODEL_ID}/${rel}`);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  fs.writeFileSync(file, Buffer.concat(chunks));
}

test('imports a model zip chosen in the file picker and starts recognition with it', async ({
  app,
}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-import-'));
  try {
    const page = app.page;
    const zipFile = path.join(dir, `${MODEL_ID}.zip`);
    await modelZip(zipFile);
    const notAZip = path.join(dir, 'notiz.zip');
    fs.writeFileSync(notAZip, 'Das ist kein Sprachmodell.');

    await expect(app.speechStatus).toHaveAttribute('data-state', 'no_model');
    // From the transcript's "no model" banner to the settings, where models are set up.
    await app.page.getByRole('button', { name: 'Sprachmodell einrichten', exact: true }).click();
    await expect(app.page.getByTestId('view-settings')).toBeVisible();
    await expect(app.page.locator('#models-heading')).toBeFocused();
    const importArea = page.getByRole('region', { name: 'Modell importieren' });
    // The button opens the browser's file picker; Playwright answers it for the person.
    const chooseFile = importArea.getByRole('button', { name: 'Datei auswählen …' });
    await expect(chooseFile).toBeEnabled();
    const picker = importArea.getByTestId('model-import-file');
    await expect(picker).toHaveAttribute('type', 'file');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), chooseFile.click()]);
    expect(chooser.isMultiple()).toBe(false);

    // A file that is no zip: refused at the field, in plain German.
    await chooser.setFiles(notAZip);
    await expect(importArea.getByRole('alert')).toHaveText(
      'Import gescheitert: Die ZIP-Datei kann nicht gelesen werden.',
    );

    await picker.setInputFiles(zipFile);
    await expect(importArea.getByRole('status')).toHaveText(`Modell „${MODEL_ID}“ importiert.`, {
      timeout: 30_000,
    });
    await expect(importArea.getByRole('alert')).toHaveCount(0);
    await expect(
      page.getByTestId('installed-models').locator(`[data-model="${MODEL_ID}"]`),
    ).toContainText('aktiv');
    // The first model becomes the active one, and the speech process loads it.
    await app.expectSpeechReady({ timeout: 30_000 });
    await expect(app.speechStatus).toContainText(MODEL_ID);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
