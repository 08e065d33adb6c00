/** UI texts (German, English): The live transcript. */
import { defineMessages, type MessageKeyOf } from '../../i18n/define-messages';
import { commonMessages } from '../../i18n/common-messages';

export const transcriptMessages = defineMessages(
  {
    de: {
      transcript: 'Live-Transkript',
      noTranscript: 'Noch nichts gesagt.',
      jumpToLive: 'Zum Live-Text springen',
      transcriptLines: 'Gesprächszeilen (Bild auf/ab, Pos1, Ende = live)',
      transcriptInterim: '(vorläufig)',
      source_script: 'Text aus dem Übungsskript, keine Spracherkennung',
      source_keys: 'Tasten',
      transcriptNewLines: '{n} neu',
      transcriptHandoff: 'Übergabe durch den Bot: {reason}',
      speakerAnnouncement: 'Ansage (Mitarbeiter/in)',
      handoffIdentity_bot: 'Identität: geprüft durch den Bot',
      handoffIdentity_agent: 'Identität: geprüft durch Mitarbeiter/in',
      speech_down: 'Spracherkennung unterbrochen – wird neu gestartet. Das Gespräch läuft weiter.',
      speech_no_model: 'Kein Sprachmodell installiert – die Spracherkennung ist aus.',
      setUpSpeechModel: 'Sprachmodell einrichten',
      // the bot, its mode and the worklist
    },
    en: {
      transcript: 'Live transcript',
      noTranscript: 'Nothing said yet.',
      jumpToLive: 'Jump to live',
      transcriptLines: 'Call lines (Page Up/Down, Home, End = live)',
      transcriptInterim: '(interim)',
      source_script: 'practice script text, no speech recognition',
      source_keys: 'keys',
      transcriptNewLines: '{n} new',
      transcriptHandoff: 'Handed over by the bot: {reason}',
      speakerAnnouncement: 'Announcement (staff)',
      handoffIdentity_bot: 'Identity: verified by the bot',
      handoffIdentity_agent: 'Identity: verified by staff',
      speech_down: 'Speech recognition interrupted – restarting. The call goes on.',
      speech_no_model: 'No speech model installed – recognition is off.',
      setUpSpeechModel: 'Set up a speech model',
      // the bot, its mode and the worklist
    },
  },
  commonMessages,
);

export const useT = transcriptMessages.useT;
export type TranscriptMessageKey = MessageKeyOf<typeof transcriptMessages>;
