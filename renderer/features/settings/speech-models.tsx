/**
 * Speech models: which one recognises speech, which can be downloaded (with
 * progress), and the import for offices without internet access. Sizes show
 * once, in the screen's language ("1,9 GB" / "1.9 GB").
 *
 * The import picks a file, never asks for a typed path first: in the desktop
 * app the system's open dialog (a .zip, or a model folder), in web mode the
 * browser's file input, whose file is uploaded to the engine (a page cannot
 * name a path). Typing a path stays as IT's fallback ("Pfad eingeben"). What
 * the import did, or why it failed, is said at the import itself.
 */
import { problemFromProgress, problemFromSpeech } from '../../bridge/engine-problem';
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { languageStore, useLocale } from '../../i18n/language';
import { formatSize } from '../../i18n/locale-format';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './settings-messages';

function ModelImport() {
  const { modelsStore } = useServices();
  const t = useT();
  const describe = useDescribeProblem();
  const fileAccess = useFrom(modelsStore, (s) => s.fileAccess);
  const importing = useFrom(modelsStore, (s) => s.importing);
  const imported = useFrom(modelsStore, (s) => s.imported);
  const importError = useFrom(modelsStore, (s) => s.importError);
  const [path, setPath] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const id = (name: string) => `${ids}-${name}`;
  const describedBy = `${id('hint')} ${id('result')}`;

  const submitPath = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && (await modelsStore.getState().importPath(path.trim()))) setPath('');
  };
  const uploadChosen = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    await modelsStore.getState().importFile(file);
    // The same file can be chosen again (after freeing disk space, say).
    input.value = '';
  };
  const choose = (kind: 'zip' | 'folder') =>
    void modelsStore.getState().chooseAndImport({
      kind,
      title: t(kind === 'zip' ? 'chooseFileDialog' : 'chooseFolderDialog'),
      filterName: t('zipFilter'),
    });

  return (
    <section aria-labelledby={id('heading')} className="model-import" data-testid="model-import">
      <h3 id={id('heading')}>{t('importModel')}</h3>
      <p id={id('hint')} className="detail">
        {t(fileAccess === 'upload' ? 'importHintUpload' : 'importHint')}
      </p>
      {fileAccess === 'dialog' && (
        <div className="row">
          <button
            type="button"
            disabled={importing}
            aria-describedby={describedBy}
            onClick={() => choose('zip')}
          >
            {t('chooseFile')}
          </button>
          <button
            type="button"
            disabled={importing}
            aria-describedby={describedBy}
            onClick={() => choose('folder')}
          >
            {t('chooseFolder')}
          </button>
        </div>
      )}
      {fileAccess === 'upload' && (
        <div className="row">
          {/* The browser's own file button speaks the browser's language: ours opens its picker. */}
          <button
            type="button"
            disabled={importing}
            aria-describedby={describedBy}
            onClick={() => fileInput.current?.click()}
          >
            {t('chooseFile')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".zip,application/zip"
            hidden
            tabIndex={-1}
            aria-hidden="true"
            data-testid="model-import-file"
            onChange={(e) => void uploadChosen(e)}
          />
        </div>
      )}
      <details open={fileAccess === 'path'}>
        <summary>{t('importPathToggle')}</summary>
        <form className="row" onSubmit={(e) => void submitPath(e)}>
          <label htmlFor={id('path')}>{t('importPathLabel')}</label>
          <input
            id={id('path')}
            value={path}
            onChange={(e) => setPath(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={id('result')}
            aria-invalid={importError ? true : undefined}
          />
          <button type="submit" disabled={!path.trim() || importing}>
            {t('import')}
          </button>
        </form>
      </details>
      <div id={id('result')}>
        <p role="status" data-testid="model-import-status">
          {importing ? t('importing') : imported ? t('imported', { id: imported }) : ''}
        </p>
        {importError && (
          <p role="alert" className="error" data-testid="model-import-error">
            {t('importFailed', { detail: describe(importError) })}
          </p>
        )}
      </div>
    </section>
  );
}

export function SpeechModels() {
  const { modelsStore, transcriptStore } = useServices();
  const t = useT();
  const describe = useDescribeProblem();
  const language = useStore(languageStore, (s) => s.language);
  const locale = useLocale();
  const listing = useFrom(modelsStore, (s) => s.listing);
  const progress = useFrom(modelsStore, (s) => s.progress);
  const error = useFrom(modelsStore, (s) => s.error);
  const speech = useFrom(transcriptStore, (s) => s.speech);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });

  useEffect(() => {
    void modelsStore.getState().refresh();
  }, [modelsStore]);

  return (
    <section aria-labelledby="models-heading" className="panel models">
      <h2 id="models-heading" tabIndex={-1}>
        {t('speechModels')}
      </h2>
      <p data-testid="speech-status" data-state={speech.state}>
        {t('speechStatus')}: <strong>{t(`speechState_${speech.state}`)}</strong>
        {speech.model ? ` · ${speech.model}` : ''}
        {(speech.state === 'failed' && (speech.reason || speech.message)) ||
        (speech.state === 'down' && speech.reason)
          ? ` · ${describe(problemFromSpeech(speech))}`
          : ''}
      </p>
      <ul data-testid="installed-models">
        {listing?.installed.map((model) => (
          <li key={model.id} data-model={model.id}>
            {model.id} ({formatSize(model.sizeBytes, locale)}
            {model.verified ? '' : `, ${t('unverified')}`})
            {model.active ? (
              <strong> · {t('active')}</strong>
            ) : (
              <button type="button" onClick={() => void modelsStore.getState().activate(model.id)}>
                {t('activate')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <h3>{t('availableModels')}</h3>
      <ul>
        {listing?.catalog
          .filter((entry) => !entry.installed)
          .map((entry) => {
            const p = progress[entry.id];
            const running = p && (p.state === 'downloading' || p.state === 'installing');
            return (
              <li key={entry.id}>
                {language === 'de' ? entry.titleDe : entry.titleEn} (
                {formatSize(entry.sizeBytes, locale)})
                {entry.wer && (
                  <span className="detail">
                    {' '}
                    · {t('wordErrorRate')}{' '}
                    {Object.entries(entry.wer)
                      .map(([set, value]) => `${percent.format(value / 100)} ${set}`)
                      .join(', ')}
                  </span>
                )}{' '}
                {running ? (
                  <progress
                    aria-label={`${t('download')} ${entry.id}`}
                    aria-valuetext={
                      p.totalBytes
                        ? `${formatSize(p.receivedBytes, locale)} / ${formatSize(p.totalBytes, locale)}`
                        : formatSize(p.receivedBytes, locale)
                    }
                    max={p.totalBytes ?? undefined}
                    value={p.receivedBytes}
                  />
                ) : (
                  <button
                    type="button"
                    onClick={() => void modelsStore.getState().download(entry.id)}
                  >
                    {t('download')}
                  </button>
                )}
                {p?.state === 'failed' && (
                  <span className="error"> {describe(problemFromProgress(p))}</span>
                )}
              </li>
            );
          })}
      </ul>
      <ModelImport />
      {error && (
        <p role="alert" className="error">
          {describe(error)}
        </p>
      )}
    </section>
  );
}
