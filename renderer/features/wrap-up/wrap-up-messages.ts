/** UI texts (German, English): The wrap-up note after a call. */
import { defineMessages, type MessageKeyOf } from '../../i18n/define-messages';
import { commonMessages } from '../../i18n/common-messages';

export const wrapUpMessages = defineMessages(
  {
    de: {
      wrapUp: 'Nachbearbeitung',
      wrapUpNotVerified:
        'Anrufer/in nicht verifiziert: Der Vermerk bleibt auf diesem Arbeitsplatz und geht nicht in eine Akte.',
      wrapUpNote: 'Vermerk (Vorschlag, bitte prüfen)',
      disposition: 'Gesprächsausgang',
      dispositionNone: '– bitte wählen –',
      dispositionMissing: 'Bitte den Gesprächsausgang wählen.',
      finalIntent: 'Anliegen (für das Lernen des Bots)',
      disposition_information_given: 'Auskunft erteilt',
      disposition_case_updated: 'Änderung/Meldung aufgenommen',
      disposition_appointment_arranged: 'Termin vereinbart',
      disposition_documents_requested: 'Unterlagen angefordert',
      disposition_callback_arranged: 'Rückruf vereinbart',
      disposition_forwarded: 'Weitergeleitet',
      disposition_complaint: 'Beschwerde',
      disposition_other: 'Sonstiges',
      wrapUpSave: 'Vermerk speichern',
      wrapUpDiscard: 'Verwerfen',
      saving: 'Wird gespeichert …',
      wrapUpSavedCase: 'Vermerk in der Akte gespeichert.',
      wrapUpSavedDesk: 'Vermerk auf diesem Arbeitsplatz gespeichert.',
      wrapUpEmpty: 'Der Vermerk ist leer.',
      wrapUpClose: 'Nachbearbeitung schließen',
    },
    en: {
      wrapUp: 'Wrap-up',
      wrapUpNotVerified: 'Caller not verified: the note stays on this desk and goes into no case.',
      wrapUpNote: 'Note (proposal, please check)',
      disposition: 'Call outcome',
      dispositionNone: '– please choose –',
      dispositionMissing: 'Please choose the call outcome.',
      finalIntent: 'Intent (for the bot to learn)',
      disposition_information_given: 'Information given',
      disposition_case_updated: 'Change/report recorded',
      disposition_appointment_arranged: 'Appointment arranged',
      disposition_documents_requested: 'Documents requested',
      disposition_callback_arranged: 'Callback arranged',
      disposition_forwarded: 'Forwarded',
      disposition_complaint: 'Complaint',
      disposition_other: 'Other',
      wrapUpSave: 'Save note',
      wrapUpDiscard: 'Discard',
      saving: 'Saving …',
      wrapUpSavedCase: 'Note saved in the case.',
      wrapUpSavedDesk: 'Note saved on this desk.',
      wrapUpEmpty: 'The note is empty.',
      wrapUpClose: 'Close wrap-up',
    },
  },
  commonMessages,
);

export const useT = wrapUpMessages.useT;
export type WrapUpMessageKey = MessageKeyOf<typeof wrapUpMessages>;
