/**
 * Suggested answers for the call on screen, re-ranked after every final
 * sentence: each with its text, its source (norm or official page) and why it
 * is on the list. The agent pins, copies, and says whether it helped — the
 * learning loop keeps that. A search box looks through the knowledge base and
 * this call's transcript.
 */
import { useDescribeProblem } from '../../i18n/describe-problem';
import { useAssistDesk } from '../assist/assist-desk-context';
import { useState, type FormEvent } from 'react';
import type { Suggestion } from '../../../electron/contract';
import type { SuggestionsMessageKey } from './suggestions-messages';
import { useFrom, useServices } from '../../services/services-context';
import { useT } from './suggestions-messages';
import { visibleSuggestions } from '../../stores/assist-store';
import { linkableSourceUrl } from './source-url';

function intentLabel(t: ReturnType<typeof useT>, intent: string | null): string | null {
  if (!intent) return null;
  return (t(`intent_${intent}` as SuggestionsMessageKey) as string | undefined) || intent;
}

/** The source as a link that opens outside Lotse (https only; otherwise its name as text). */
function SourceLink({ source }: { source: Suggestion['source'] }) {
  const label = source.norm ?? source.title ?? source.url;
  const href = linkableSourceUrl(source.url);
  if (!href) return <span className="source">{label}</span>;
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" className="source">
      {label}
    </a>
  );
}

function SuggestionCard(props: { suggestion: Suggestion; pinned: boolean; index: number }) {
  const { assistStore } = useServices();
  const assist = useAssistDesk();
  const t = useT();
  const { suggestion, pinned, index } = props;
  const verdict = useFrom(assistStore, (s) => s.verdicts[suggestion.articleId]);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const titleId = `suggestion-${index}-title`;
  const why = [
    suggestion.why.terms.length > 0
      ? t('whyTerms', {
          terms: suggestion.why.terms.map((w) => t('quoted', { text: w })).join(', '),
        })
      : null,
    suggestion.why.intent
      ? t('whyIntent', { intent: intentLabel(t, suggestion.why.intent) ?? '' })
      : null,
  ].filter((part): part is string => part !== null);
  return (
    <li
      className={`suggestion${pinned ? ' pinned' : ''}`}
      aria-labelledby={titleId}
      data-testid="suggestion"
      data-article={suggestion.articleId}
      data-pinned={pinned}
    >
      <h3 id={titleId}>
        {pinned && <span className="badge">{t('pinned')}</span>} {suggestion.title}
      </h3>
      {suggestion.why.caseFact && (
        <p className="case-fact" data-testid="suggestion-case-fact">
          <strong>{t('fromCase')}:</strong> {suggestion.why.caseFact}
        </p>
      )}
      <p className="suggestion-text">{suggestion.text}</p>
      <p className="detail">
        {t('source')}: <SourceLink source={suggestion.source} />
        {why.length > 0 && (
          <>
            {' · '}
            <span data-testid="suggestion-why">{why.join(' · ')}</span>
          </>
        )}
      </p>
      <div
        className="row suggestion-actions"
        role="group"
        aria-label={t('suggestionActions', { title: suggestion.title })}
      >
        <button type="button" aria-pressed={pinned} onClick={() => assist.togglePin(suggestion)}>
          {pinned ? t('unpin') : t('pin')}
        </button>
        <button
          type="button"
          onClick={() =>
            void assist.copy(suggestion).then((ok) => {
              setCopied(ok ? 'yes' : 'failed');
              setTimeout(() => setCopied('no'), 2000);
            })
          }
        >
          {copied === 'yes' ? t('copied') : copied === 'failed' ? t('copyFailed') : t('copy')}
        </button>
        <button
          type="button"
          aria-pressed={verdict === 'helpful'}
          onClick={() => assist.feedback(suggestion, 'helpful')}
        >
          {t('helpful')}
        </button>
        <button
          type="button"
          aria-pressed={verdict === 'not_helpful'}
          onClick={() => assist.feedback(suggestion, 'not_helpful')}
        >
          {t('notHelpful')}
        </button>
      </div>
    </li>
  );
}

function SearchBox() {
  const { assistStore } = useServices();
  const assist = useAssistDesk();
  const t = useT();
  const describe = useDescribeProblem();
  const search = useFrom(assistStore, (s) => s.search);
  const [query, setQuery] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void assist.search(query);
  };
  const searched = search.query.trim() !== '' && !search.busy;
  return (
    <div className="assist-search">
      <form role="search" onSubmit={submit} aria-label={t('searchKnowledge')}>
        <label htmlFor="assist-search-input" className="visually-hidden">
          {t('searchKnowledge')}
        </label>
        <input
          id="assist-search-input"
          type="search"
          value={query}
          placeholder={t('searchPlaceholder')}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="assist-search"
        />
        <button type="submit">{t('search')}</button>
      </form>
      {search.error && (
        <p role="alert" className="warning">
          {describe(search.error)}
        </p>
      )}
      {searched && (
        <div className="search-results" data-testid="search-results" aria-live="polite">
          <p className="detail">
            {t('searchFound', {
              articles: search.articles.length,
              lines: search.transcript.length,
            })}
          </p>
          {search.articles.length > 0 && (
            <ul className="plain">
              {search.articles.map((a) => (
                <li key={a.articleId} data-testid="search-article">
                  <strong>{a.title}</strong> – <SourceLink source={a.source} />
                  <p className="suggestion-text">{a.text}</p>
                </li>
              ))}
            </ul>
          )}
          {search.transcript.length > 0 && (
            <ul className="plain">
              {search.transcript.map((line) => (
                <li key={line.segmentId} data-testid="search-line">
                  <strong>
                    {t(
                      line.speaker === 'bot'
                        ? 'speakerBot'
                        : line.speaker === 'caller'
                          ? 'speakerCaller'
                          : 'speakerAgent',
                    )}
                    :
                  </strong>{' '}
                  {line.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

export function SuggestionsPanel() {
  const { assistStore } = useServices();
  const t = useT();
  const callId = useFrom(assistStore, (s) => s.callId);
  const intent = useFrom(assistStore, (s) => s.intent);
  const suggestions = useFrom(assistStore, (s) => s.suggestions);
  const pinned = useFrom(assistStore, (s) => s.pinned);
  const visible = visibleSuggestions({ suggestions, pinned });
  const label = intentLabel(t, intent);
  return (
    <section
      className="panel suggestions"
      aria-labelledby="suggestions-heading"
      data-testid="suggestions"
    >
      <h2 id="suggestions-heading">
        {t('suggestions')}
        {label && (
          <span className="detail" data-testid="suggestions-intent">
            {' '}
            – {label}
          </span>
        )}
      </h2>
      <SearchBox />
      {!callId ? (
        <p className="detail">{t('suggestionsIdle')}</p>
      ) : visible.length === 0 ? (
        <p className="detail">{t('suggestionsNone')}</p>
      ) : (
        <ol className="suggestion-list" aria-label={t('suggestions')}>
          {visible.map(({ suggestion, pinned: isPinned }, index) => (
            <SuggestionCard
              key={suggestion.articleId}
              suggestion={suggestion}
              pinned={isPinned}
              index={index}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
