/** UI texts (German, English): Suggested answers and the knowledge search. */
import { defineMessages, type MessageKeyOf } from '../../i18n/define-messages';
import { commonMessages } from '../../i18n/common-messages';

export const suggestionsMessages = defineMessages(
  {
    de: {
      suggestions: 'Antwortvorschläge',
      suggestionsIdle: 'Vorschläge erscheinen, sobald ein Gespräch läuft.',
      suggestionsNone: 'Noch keine passenden Antworten – sie folgen dem Gespräch.',
      whyTerms: 'Passende Wörter: {terms}',
      quoted: '„{text}“',
      whyIntent: 'Anliegen: {intent}',
      pinned: 'Angeheftet',
      fromCase: 'Aus der Akte',
      source: 'Quelle',
      suggestionActions: 'Aktionen für „{title}“',
      pin: 'Anheften',
      unpin: 'Lösen',
      copy: 'Kopieren',
      copied: 'Kopiert',
      copyFailed: 'Nicht kopiert',
      helpful: 'Hilfreich',
      notHelpful: 'Nicht hilfreich',
      searchKnowledge: 'Wissen und Gespräch durchsuchen',
      searchPlaceholder: 'Suchen, z. B. Krankmeldung',
      searchFound: '{articles} Artikel, {lines} Gesprächszeilen',
    },
    en: {
      suggestions: 'Suggested answers',
      suggestionsIdle: 'Suggestions appear as soon as a call is on.',
      suggestionsNone: 'No matching answers yet – they follow the conversation.',
      whyTerms: 'Matched words: {terms}',
      quoted: '“{text}”',
      whyIntent: 'Intent: {intent}',
      pinned: 'Pinned',
      fromCase: 'From the case',
      source: 'Source',
      suggestionActions: 'Actions for “{title}”',
      pin: 'Pin',
      unpin: 'Unpin',
      copy: 'Copy',
      copied: 'Copied',
      copyFailed: 'Not copied',
      helpful: 'Helpful',
      notHelpful: 'Not helpful',
      searchKnowledge: 'Search knowledge and call',
      searchPlaceholder: 'Search, e.g. sick note',
      searchFound: '{articles} articles, {lines} transcript lines',
    },
  },
  commonMessages,
);

export const useT = suggestionsMessages.useT;
export type SuggestionsMessageKey = MessageKeyOf<typeof suggestionsMessages>;
