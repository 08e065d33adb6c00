/**
 * Speech models: which one recognises speech, which can be downloaded (with
 * progress), and an import for offices without internet access.
 */
import { problemFromProgress, problemFromSpeech } from '../../bridge/engine-problem';
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { languageStore } from '../../i18n/language';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './settings-messages';

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

export function SpeechModels() {
  const { modelsStore, transcriptStore } = useServices();
  const t = useT();
  const describe = useDescribeProblem();
  const language = useStore(languageStore, (s) => s.language);
  const listing = useFrom(modelsStore, (s) => s.listing);
  const progress = useFrom(modelsStore, (s) => s.progress);
  const error = useFrom(modelsStore, (s) => s.error);
  const speech = useFrom(transcriptStore, (s) => s.speech);
  const [path, setPath] = useState('');

  useEffect(() => {
    void modelsStore.getState().refresh();
  }, [modelsStore]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() && (await modelsStore.getState().importPath(path.trim()))) setPath('');
  };

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
      <ul>
        {listing?.installed.map((model) => (
          <li key={model.id}>
            {model.id} ({megabytes(model.sizeBytes)}
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
                {language === 'de' ? entry.titleDe : entry.titleEn} ({megabytes(entry.sizeBytes)})
                {entry.wer && (
                  <span className="detail">
                    {' '}
                    · WER{' '}
                    {Object.entries(entry.wer)
                      .map(([set, value]) => `${value} % ${set}`)
                      .join(', ')}
                  </span>
                )}{' '}
                {running ? (
                  <progress
                    aria-label={`${t('download')} ${entry.id}`}
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
      <form className="row" onSubmit={(e) => void submit(e)}>
        <label htmlFor="model-import">{t('importModel')}</label>
        <input
          id="model-import"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" disabled={!path.trim()}>
          {t('import')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {describe(error)}
        </p>
      )}
    </section>
  );
}
