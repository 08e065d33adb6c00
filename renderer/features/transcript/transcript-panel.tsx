/**
 * The live transcript: who said what, partials lighter until they are final.
 *
 * A two-hour call has thousands of lines, so the list is virtualised: only
 * the rows in view (and a few around them) are in the DOM, each measured as
 * it renders (long sentences wrap). The view is redrawn at most once per
 * animation frame, however fast the engine streams partials.
 *
 * It follows the newest line unless the agent scrolls up to read; then a
 * button brings it back to live and counts the lines that came meanwhile.
 * Keyboard: the list takes the focus; Page Up/Down and Home scroll, End goes
 * back to live. Screen readers hear each new final line once through a
 * separate polite live region, never the partials' churn.
 *
 * Above the list: the bot's handoff (reason and summary) for this call, if
 * the bot handed it over; the bot's own lines are in the list (speaker bot),
 * the caseworker's typed announcements as theirs ("Ansage (Mitarbeiter/in)").
 */
import { problemFromSpeech } from '../../bridge/engine-problem';
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useVirtualizer } from '@tanstack/react-virtual';
import { flushSync } from 'react-dom';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
} from 'react';
import type { TranscriptSegment } from '../../../electron/contract';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './transcript-messages';
import type { TranscriptMessageKey } from './transcript-messages';
import type { createTranscriptStore } from '../../stores/transcript-store';
import {
  announcement,
  callClock,
  distanceFromEnd,
  isoDuration,
  agentLeftLiveEnd,
  LIVE_SLACK_PX,
  SOURCE_KEY,
  speakerKey,
  summaryLines,
} from './transcript-format';

type TranscriptStore = ReturnType<typeof createTranscriptStore>;

/** The store's revision, at most one new value per animation frame. */
function useRevisionPerFrame(store: TranscriptStore): number {
  const subscribe = useCallback(
    (notify: () => void) => {
      let frame = 0;
      const unsubscribe = store.subscribe((state, previous) => {
        if (state.revision === previous.revision || frame) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          notify();
        });
      });
      return () => {
        unsubscribe();
        cancelAnimationFrame(frame);
      };
    },
    [store],
  );
  return useSyncExternalStore(subscribe, () => store.getState().revision);
}

const Row = memo(function Row(props: {
  segment: TranscriptSegment;
  index: number;
  count: number;
  speaker: string;
  /** What stood in for recognition (a practice's script text, keys pressed). */
  source: string | undefined;
  interim: string;
  measure: (element: HTMLLIElement | null) => void;
}) {
  const { segment } = props;
  return (
    <li
      ref={props.measure}
      data-index={props.index}
      aria-posinset={props.index + 1}
      aria-setsize={props.count}
      className={`segment speaker-${segment.speaker}${segment.announcement ? ' announcement' : ''}${segment.final ? '' : ' partial'}`}
      data-final={segment.final}
      data-speaker={segment.speaker}
      data-announcement={segment.announcement ? 'true' : undefined}
      data-segment-id={segment.segmentId}
      data-published-at={segment.publishedAt}
      data-source={segment.source}
    >
      <time dateTime={isoDuration(segment.startMs)}>{callClock(segment.startMs)}</time>{' '}
      <strong>{props.speaker}:</strong>{' '}
      {props.source && (
        <>
          <em className="segment-source">({props.source})</em>{' '}
        </>
      )}
      <span className="text">{segment.text}</span>
      {!segment.final && <span className="visually-hidden"> {props.interim}</span>}
    </li>
  );
});

/**
 * The bot's handoff for this call: a compact header and the summary's lines,
 * its identity line following the check (an agent who verified the caller
 * after the handoff).
 */
function HandoffSummary(props: { callId: string | undefined }) {
  const { botStore, assistStore } = useServices();
  const t = useT();
  const call = useFrom(botStore, (s) => s.call);
  const verifiedBy = useFrom(assistStore, (s) =>
    s.callId === props.callId ? s.verifiedBy : undefined,
  );
  if (!props.callId || call?.callId !== props.callId || !call.handoff) return null;
  const reason = t(`reason_${call.handoff.reason}` as TranscriptMessageKey);
  const identity = verifiedBy ? t(`handoffIdentity_${verifiedBy}`) : undefined;
  return (
    <div
      className={`transcript-handoff${call.handoff.priority ? ' priority' : ''}`}
      data-testid="transcript-handoff"
    >
      <p className="transcript-handoff-title">
        {call.handoff.priority && <strong className="badge">{t('handoffPriority')}</strong>}{' '}
        {t('transcriptHandoff', { reason })}
      </p>
      <ul>
        {summaryLines(call.handoff.summary, identity).map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

function TranscriptLines(props: { store: TranscriptStore }) {
  const { store } = props;
  const t = useT();
  const revision = useRevisionPerFrame(store);
  const { segments, callId } = store.getState();
  const count = segments.length;
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastTop = useRef(0);
  // The agent's last wheel, touch, scroll key or press on the list: only
  // their scrolling pauses following (agentLeftLiveEnd).
  const gesture = useRef({ lastAt: Number.NEGATIVE_INFINITY, pressed: false });
  const noteGesture = () => {
    gesture.current.lastAt = performance.now();
  };
  const [following, setFollowing] = useState(true);
  // How many lines there were when the agent scrolled away from live.
  const [countWhenPaused, setCountWhenPaused] = useState(0);

  const getItemKey = useCallback(
    (index: number) => segments[index]?.segmentId ?? index,
    [segments],
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 42,
    getItemKey,
    overscan: 6,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const totalSize = virtualizer.getTotalSize();

  // A new call follows live again.
  useEffect(() => {
    setFollowing(true);
  }, [callId]);

  // Following: keep the newest line in view as lines come and rows get measured.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!following || !element) return;
    element.scrollTop = element.scrollHeight;
    lastTop.current = element.scrollTop;
  }, [following, revision, totalSize, count]);

  // Following, also when the list's box changes (the wrap-up opens above it,
  // a banner comes or goes, the window is resized): the newest line stays in view.
  const followingNow = useRef(following);
  followingNow.current = following;
  const hasList = count > 0;
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (!followingNow.current) return;
      element.scrollTop = element.scrollHeight;
      lastTop.current = element.scrollTop;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasList]);

  const pause = () => {
    setCountWhenPaused(store.getState().segments.length);
    setFollowing(false);
  };
  const goLive = () => {
    setFollowing(true);
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
  };

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    if (following && agentLeftLiveEnd(lastTop.current, element, gesture.current, performance.now()))
      pause();
    else if (!following && distanceFromEnd(element) <= LIVE_SLACK_PX) setFollowing(true);
    lastTop.current = element.scrollTop;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const element = scrollRef.current;
    if (!element || event.altKey || event.ctrlKey || event.metaKey) return;
    noteGesture();
    const page = Math.max(40, element.clientHeight * 0.9);
    if (event.key === 'End') goLive();
    else if (event.key === 'Home') element.scrollTop = 0;
    else if (event.key === 'PageUp') element.scrollTop -= page;
    else if (event.key === 'PageDown') element.scrollTop += page;
    else if (event.key === 'ArrowUp') element.scrollTop -= 40;
    else if (event.key === 'ArrowDown') element.scrollTop += 40;
    else return;
    event.preventDefault();
  };

  const newLines = following ? 0 : Math.max(0, count - countWhenPaused);
  return (
    <>
      <div
        ref={scrollRef}
        id="transcript-focus"
        className="transcript-scroll"
        role="region"
        aria-label={t('transcriptLines')}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onWheel={noteGesture}
        onTouchMove={noteGesture}
        onPointerDown={() => {
          gesture.current.pressed = true;
          noteGesture();
        }}
        onPointerUp={() => {
          gesture.current.pressed = false;
          noteGesture();
        }}
        onPointerCancel={() => {
          gesture.current.pressed = false;
        }}
        data-testid="transcript"
        data-following={following}
        data-count={count}
      >
        <div className="transcript-sizer" style={{ height: totalSize }}>
          <ol style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item) => {
              const segment = segments[item.index];
              if (!segment) return null;
              return (
                <Row
                  key={item.key}
                  segment={segment}
                  index={item.index}
                  count={count}
                  speaker={t(speakerKey(segment))}
                  source={segment.source && t(SOURCE_KEY[segment.source])}
                  interim={t('transcriptInterim')}
                  measure={virtualizer.measureElement}
                />
              );
            })}
          </ol>
        </div>
      </div>
      {!following && (
        <button
          type="button"
          className="jump-to-live"
          data-testid="jump-to-live"
          data-new-lines={newLines}
          onClick={() => {
            goLive();
            scrollRef.current?.focus();
          }}
        >
          {t('jumpToLive')}
          {newLines > 0 && (
            <span className="badge" data-testid="new-lines">
              {' '}
              {t('transcriptNewLines', { n: newLines })}
            </span>
          )}
        </button>
      )}
    </>
  );
}

/** Reads each new final line once to screen readers, never the partials. */
function FinalAnnouncer(props: { store: TranscriptStore }) {
  const t = useT();
  const lastFinal = useFrom(props.store, (s) => s.lastFinal);
  return (
    <p className="visually-hidden" aria-live="polite" data-testid="transcript-announcer">
      {lastFinal ? announcement(t(speakerKey(lastFinal)), lastFinal.text) : ''}
    </p>
  );
}

export function TranscriptPanel() {
  const { transcriptStore, viewStore } = useServices();
  const t = useT();
  const describe = useDescribeProblem();
  const hasLines = useFrom(transcriptStore, (s) => s.segments.length > 0);
  const callId = useFrom(transcriptStore, (s) => s.callId);
  const speech = useFrom(transcriptStore, (s) => s.speech);

  const warning =
    speech.state === 'down' || speech.state === 'failed' || speech.state === 'no_model'
      ? t(`speech_${speech.state}`)
      : undefined;

  return (
    <section aria-labelledby="transcript-heading" className="panel transcript">
      <h2 id="transcript-heading" tabIndex={-1}>
        {t('transcript')}
      </h2>
      {warning && (
        <p role="alert" className="warning" data-testid="speech-warning" data-state={speech.state}>
          {warning}
          {(speech.state === 'failed' && (speech.reason || speech.message)) ||
          (speech.state === 'down' && speech.reason)
            ? ` (${describe(problemFromSpeech(speech))})`
            : ''}
          {speech.state === 'no_model' && (
            <>
              {' '}
              <button
                type="button"
                onClick={() => {
                  // First run: take the agent to the model download / import (settings view).
                  flushSync(() => viewStore.getState().go('settings'));
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
      <HandoffSummary callId={callId} />
      {hasLines ? (
        <TranscriptLines store={transcriptStore} />
      ) : (
        <p className="detail">{t('noTranscript')}</p>
      )}
      <FinalAnnouncer store={transcriptStore} />
    </section>
  );
}
