/**
 * The live transcript: who said what, partials lighter until they are final.
 * It follows the newest line unless the agent scrolls up to read; then a
 * button brings it back to live.
 */
import { useEffect, useRef, useState } from 'react';
import type { Speaker } from '../../../electron/contract';
import { useFrom, useServices, useT } from '../../app/services';
import type { MessageKey } from '../../app/i18n';

const SPEAKER_KEY: Record<Speaker, MessageKey> = {
  bot: 'speakerBot',
  caller: 'speakerCaller',
  agent: 'speakerAgent',
};

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function TranscriptPanel() {
  const { transcriptStore } = useServices();
  const t = useT();
  const segments = useFrom(transcriptStore, (s) => s.segments);
  const speech = useFrom(transcriptStore, (s) => s.speech);
  const list = useRef<HTMLOListElement>(null);
  const [following, setFollowing] = useState(true);

  useEffect(() => {
    const element = list.current;
    if (following && element) element.scrollTop = element.scrollHeight;
  }, [segments, following]);

  const onScroll = () => {
    const element = list.current;
    if (!element) return;
    setFollowing(element.scrollHeight - element.scrollTop - element.clientHeight < 24);
  };

  const warning =
    speech.state === 'down' || speech.state === 'failed' || speech.state === 'no_model'
      ? t(`speech_${speech.state}`)
      : undefined;

  return (
    <section aria-labelledby="transcript-heading" className="panel transcript">
      <h2 id="transcript-heading">{t('transcript')}</h2>
      {warning && (
        <p role="alert" className="warning" data-testid="speech-warning" data-state={speech.state}>
          {warning}
          {speech.message ? ` (${speech.message})` : ''}
          {speech.state === 'no_model' && (
            <>
              {' '}
              <button
                type="button"
                onClick={() => {
                  // First run: take the agent to the model download / import.
                  const heading = document.getElementById('models-heading');
                  heading?.scrollIntoView({ block: 'start' });
                  heading?.focus();
                }}
              >
                {t('setUpSpeechModel')}
              </button>
            </>
          )}
        </p>
      )}
      {segments.length === 0 ? (
        <p className="detail">{t('noTranscript')}</p>
      ) : (
        <ol
          ref={list}
          onScroll={onScroll}
          data-testid="transcript"
          aria-live="polite"
          aria-relevant="additions"
        >
          {segments.map((segment) => (
            <li
              key={segment.segmentId}
              className={`segment speaker-${segment.speaker}${segment.final ? '' : ' partial'}`}
              data-final={segment.final}
              data-speaker={segment.speaker}
              data-published-at={segment.publishedAt}
            >
              <time>{clock(segment.startMs)}</time>{' '}
              <strong>{t(SPEAKER_KEY[segment.speaker])}:</strong>{' '}
              <span className="text">{segment.text}</span>
            </li>
          ))}
        </ol>
      )}
      {!following && segments.length > 0 && (
        <button type="button" onClick={() => setFollowing(true)}>
          {t('jumpToLive')}
        </button>
      )}
    </section>
  );
}
