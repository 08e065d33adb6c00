/**
 * What went wrong in the engine, in the agent's words: every reason the
 * contract defines (electron/contract/errors.ts), the model codes, and a
 * fallback per error code for failures without a reason. Typed by the
 * contract's lists, so a new reason without German and English words is a
 * type error.
 */
import type { ErrorCode, ErrorReason, ModelFileProblem } from '../../electron/contract';
import { defineMessages } from './define-messages';

/** Failures the renderer's client adds to the engine's own codes. */
export type ClientErrorCode = 'timeout' | 'invalid_reply' | 'disconnected';

type ReasonKey = `error_${ErrorReason}`;
type FileProblemKey = `modelFile_${ModelFileProblem}`;
type CodeKey = `errorCode_${ErrorCode | ClientErrorCode}`;
type ProblemKey = ReasonKey | FileProblemKey | CodeKey | 'errorDetail' | 'errorCause';

const de: Record<ProblemKey, string> = {
  errorDetail: '{text} ({detail})',
  errorCause: '{cause} {text}',
  // What this engine does not have
  error_no_voice: 'Keine Stimme verfügbar: der Bot kann nicht sprechen.',
  error_no_bot: 'Auf diesem Arbeitsplatz läuft kein Bot.',
  error_no_demo_caller: 'Kein Beispielanrufer: der Fallspeicher enthält keine Demo-Daten.',
  error_no_assistant: 'Auf diesem Arbeitsplatz läuft kein Gesprächsassistent.',
  error_no_worklist: 'Auf diesem Arbeitsplatz gibt es keine Arbeitsliste.',
  error_worklist_unavailable: 'Die Arbeitsliste lässt sich gerade nicht öffnen.',
  error_worklist_item_not_found: 'Diesen Eintrag gibt es in der Arbeitsliste nicht (mehr).',
  error_history_unavailable: 'Auf diesem Arbeitsplatz wird keine Anrufliste geführt.',
  error_history_unreadable: 'Die Anrufliste lässt sich gerade nicht lesen.',
  error_no_model_manager: 'Sprachmodelle lassen sich auf diesem Arbeitsplatz nicht verwalten.',
  // The caller and the case
  error_caller_not_verified: 'Anrufer/in nicht verifiziert – erst Identität bestätigen.',
  error_verification_expired: 'Verifizierung abgelaufen – bitte Identität erneut bestätigen.',
  error_date_of_birth_invalid: 'Geburtsdatum fehlt oder ist ungültig.',
  error_number_not_recognised:
    'Kunden- oder BG-Nummer nicht erkannt (z. B. 123D45678 oder 12345BG0012345).',
  error_case_system_unavailable: 'Das Fachverfahren ist gerade nicht verfügbar.',
  error_case_system_unreachable: 'Das Fachverfahren ist nicht erreichbar.',
  error_case_system_timeout: 'Das Fachverfahren antwortet nicht rechtzeitig.',
  error_case_system_rejected: 'Das Fachverfahren lehnt die Anfrage ab.',
  error_case_system_token_rejected:
    'Das Fachverfahren lehnt den Zugangsschlüssel dieses Arbeitsplatzes ab (IT informieren).',
  error_case_system_token_missing:
    'Das Fachverfahren verlangt einen Zugangsschlüssel, der hier nicht eingerichtet ist (IT informieren).',
  error_case_system_url_insecure:
    'Das Fachverfahren ist ohne Verschlüsselung eingerichtet ({variable} muss mit https:// beginnen): keine Falldaten (IT informieren).',
  error_case_system_config_invalid:
    'Die Anbindung des Fachverfahrens ist fehlerhaft eingerichtet ({variable}; IT informieren).',
  error_case_system_bad_response: 'Das Fachverfahren liefert eine ungültige Antwort.',
  error_case_system_mismatch:
    'Das Fachverfahren hat zu einem anderen Fall geantwortet; die Antwort wurde verworfen.',
  error_case_system_error: 'Das Fachverfahren meldet einen Fehler.',
  error_audit_journal_unwritable:
    'Das Protokoll der Aktenzugriffe lässt sich nicht schreiben: keine Falldaten.',
  error_audit_log_damaged:
    'Das Protokoll der Aktenzugriffe ist beschädigt oder unvollständig: keine Falldaten, bis die IT es geprüft hat.',
  error_call_not_live: 'Die Identität lässt sich nur während eines laufenden Anrufs prüfen.',
  error_verification_locked:
    'Die telefonische Identitätsprüfung ist für diese Nummer oder diesen Anschluss nach mehreren Fehlversuchen bis {until} gesperrt. Bitte auf anderem Weg prüfen (z. B. persönlich mit Ausweis); bis dahin keine Auskunft aus der Akte.',
  error_verification_store_unavailable:
    'Die Zählung der Prüfversuche ist gerade nicht verfügbar: keine Identitätsprüfung möglich.',
  // Contact notes
  error_note_kept_on_desk:
    'Der Vermerk ist nicht im Fachverfahren angekommen und wurde auf diesem Arbeitsplatz gesichert; er wird später erneut gesendet.',
  error_note_not_saved:
    'Der Vermerk ist nicht im Fachverfahren angekommen und konnte nicht gesichert werden – bitte den Text anderweitig sichern.',
  error_note_empty: 'Der Vermerk ist leer.',
  error_note_too_long: 'Der Vermerk ist länger als {max} Zeichen.',
  error_note_channel_unknown: 'Unbekannter Kontaktweg für den Vermerk.',
  // The learning store
  error_pending_note_not_found: 'Dieser wartende Vermerk ist nicht (mehr) da.',
  error_note_already_delivered: 'Der Vermerk ist schon übertragen.',
  error_pending_note_sealed: 'Ein wartender Vermerk ist verschlüsselt und der Schlüssel fehlt.',
  error_pending_note_unreadable: 'Ein wartender Vermerk lässt sich nicht öffnen.',
  error_invalid_record: 'Ein Eintrag für die Auswertung ist unvollständig.',
  // Request parameters
  error_server_url_scheme: 'Die Serveradresse muss mit ws:// oder wss:// beginnen.',
  error_sip_uri_form: 'Die SIP-Adresse hat die Form sip:name@domain.',
  error_time_range_reversed: 'Der Beginn des Zeitraums liegt nach seinem Ende.',
  // Speech recognition
  error_speech_cooling_down:
    'Die Spracherkennung ist {crashes}-mal kurz hintereinander abgestürzt und pausiert; neuer Versuch in {seconds} s.',
  // Speech models
  error_unknown_model: 'Dieses Sprachmodell ist unbekannt.',
  error_unverified:
    'Für dieses Modell ist keine Prüfsumme bekannt; ohne Prüfsumme wird nicht installiert.',
  error_network: 'Der Download ist gescheitert (Netz oder Server).',
  error_incomplete: 'Die Datei ist unvollständig.',
  error_checksum:
    'Die Prüfsumme der Datei stimmt nicht mit dem veröffentlichten Modell überein; es wurde nicht installiert.',
  error_aborted: 'Abgebrochen.',
  error_too_large: 'Die Datei ist größer als ein Sprachmodell sein kann.',
  error_traversal: 'Das Archiv enthält einen unzulässigen Pfad oder eine Verknüpfung; abgelehnt.',
  error_invalid_zip: 'Die ZIP-Datei kann nicht gelesen werden.',
  error_invalid_model: 'Kein brauchbares Vosk-Modell: {file} {problem}.',
  error_wrong_sample_rate:
    'Das Modell ist nicht für 16 kHz trainiert; bitte ein 16-kHz-Modell verwenden.',
  error_not_installed: 'Dieses Modell ist nicht installiert.',
  error_model_active: 'Das aktive Modell kann nicht entfernt werden; erst ein anderes aktivieren.',
  error_busy: 'Mit diesem Modell läuft gerade schon eine Installation oder Entfernung.',
  error_disk_full: 'Auf dem Datenträger ist nicht genug Platz.',
  modelFile_not_found: 'fehlt',
  modelFile_missing: 'fehlt',
  modelFile_empty: 'ist leer',
  modelFile_not_a_file: 'ist keine Datei',
  modelFile_unreadable: 'kann nicht gelesen werden',
  modelFile_not_kaldi: 'ist keine Kaldi-Modelldatei',
  modelFile_too_small: 'ist zu klein',
  modelFile_not_openfst: 'ist kein OpenFst-Graph',
  modelFile_truncated: 'ist kürzer als angegeben (unvollständig kopiert?)',
  modelFile_no_graph: 'fehlt (kein Suchgraph)',
  // Without a reason: by the kind of failure
  errorCode_bad_request: 'Die Anfrage wurde abgelehnt.',
  errorCode_unknown_method: 'Die Engine kennt diese Anfrage nicht (Versionen passen nicht).',
  errorCode_invalid_params: 'Eine Eingabe ist ungültig.',
  errorCode_internal: 'In der Engine ist ein Fehler aufgetreten.',
  errorCode_unavailable: 'Das ist auf diesem Arbeitsplatz nicht verfügbar.',
  errorCode_storage:
    'Die Daten dieses Arbeitsplatzes lassen sich gerade nicht lesen oder schreiben.',
  errorCode_not_verified: 'Anrufer/in nicht verifiziert – erst Identität bestätigen.',
  errorCode_back_office: 'Das Fachverfahren ist gerade nicht verfügbar.',
  errorCode_timeout: 'Die Engine antwortet nicht rechtzeitig.',
  errorCode_invalid_reply: 'Die Antwort der Engine ist ungültig.',
  errorCode_disconnected: 'Die Verbindung zur Engine ist unterbrochen.',
};

const en: Record<ProblemKey, string> = {
  errorDetail: '{text} ({detail})',
  errorCause: '{cause} {text}',
  error_no_voice: 'No voice available: the bot cannot speak.',
  error_no_bot: 'No bot runs on this desk.',
  error_no_demo_caller: 'No scripted caller: the case store holds no demo data.',
  error_no_assistant: 'No call assistant runs on this desk.',
  error_no_worklist: 'This desk has no worklist.',
  error_worklist_unavailable: 'The worklist cannot be opened right now.',
  error_worklist_item_not_found: 'This worklist item does not exist (any more).',
  error_history_unavailable: 'This desk keeps no call history.',
  error_history_unreadable: 'The call history cannot be read right now.',
  error_no_model_manager: 'Speech models cannot be managed on this desk.',
  error_caller_not_verified: 'Caller not verified – confirm identity first.',
  error_verification_expired: 'Verification expired – confirm identity again.',
  error_date_of_birth_invalid: 'Date of birth missing or invalid.',
  error_number_not_recognised:
    'Customer or BG number not recognised (e.g. 123D45678 or 12345BG0012345).',
  error_case_system_unavailable: 'The case system is unavailable right now.',
  error_case_system_unreachable: 'The case system cannot be reached.',
  error_case_system_timeout: 'The case system does not answer in time.',
  error_case_system_rejected: 'The case system refused the request.',
  error_case_system_token_rejected: "The case system refused this desk's access token (tell IT).",
  error_case_system_token_missing:
    'The case system wants an access token that is not set up here (tell IT).',
  error_case_system_url_insecure:
    'The case system is set up without encryption ({variable} must start with https://): no case data (tell IT).',
  error_case_system_config_invalid:
    'The connection to the case system is set up wrongly ({variable}; tell IT).',
  error_case_system_bad_response: 'The case system sent an invalid answer.',
  error_case_system_mismatch:
    'The case system answered for another case; the answer was discarded.',
  error_case_system_error: 'The case system reports an error.',
  error_audit_journal_unwritable: 'The case access journal cannot be written: no case data.',
  error_audit_log_damaged:
    'The case access log is damaged or incomplete: no case data until IT has checked it.',
  error_call_not_live: 'Identity can only be checked during a live call.',
  error_verification_locked:
    'Phone verification for this number or line is blocked until {until} after repeated failed attempts. Please verify another way (e.g. in person with ID); until then no information from the case.',
  error_verification_store_unavailable:
    'The count of verification attempts is unavailable: identity checks are not possible right now.',
  error_note_kept_on_desk:
    'The note did not reach the case system and is kept on this desk; it will be sent again later.',
  error_note_not_saved:
    'The note did not reach the case system and could not be kept – please save the text elsewhere.',
  error_note_empty: 'The note is empty.',
  error_note_too_long: 'The note is longer than {max} characters.',
  error_note_channel_unknown: 'Unknown contact channel for the note.',
  error_pending_note_not_found: 'This waiting note is not there (any more).',
  error_note_already_delivered: 'The note was delivered already.',
  error_pending_note_sealed: 'A waiting note is encrypted and the key is missing.',
  error_pending_note_unreadable: 'A waiting note cannot be opened.',
  error_invalid_record: 'A record for the evaluation is incomplete.',
  error_server_url_scheme: 'The server address must start with ws:// or wss://.',
  error_sip_uri_form: 'The SIP address has the form sip:name@domain.',
  error_time_range_reversed: 'The start of the time range is after its end.',
  error_speech_cooling_down:
    'Speech recognition crashed {crashes} times in a row and is paused; next try in {seconds} s.',
  error_unknown_model: 'This speech model is unknown.',
  error_unverified: 'No checksum is known for this model; it is not installed without one.',
  error_network: 'The download failed (network or server).',
  error_incomplete: 'The file is incomplete.',
  error_checksum: "The file's checksum differs from the published model; it was not installed.",
  error_aborted: 'Cancelled.',
  error_too_large: 'The file is larger than a speech model can be.',
  error_traversal: 'The archive holds a forbidden path or a link; refused.',
  error_invalid_zip: 'The zip file cannot be read.',
  error_invalid_model: 'Not a usable Vosk model: {file} {problem}.',
  error_wrong_sample_rate: 'The model is not trained for 16 kHz; please use a 16 kHz model.',
  error_not_installed: 'This model is not installed.',
  error_model_active: 'The active model cannot be removed; activate another one first.',
  error_busy: 'An install or removal of this model is already running.',
  error_disk_full: 'There is not enough space on the disk.',
  modelFile_not_found: 'is missing',
  modelFile_missing: 'is missing',
  modelFile_empty: 'is empty',
  modelFile_not_a_file: 'is not a file',
  modelFile_unreadable: 'cannot be read',
  modelFile_not_kaldi: 'is not a Kaldi model file',
  modelFile_too_small: 'is too small',
  modelFile_not_openfst: 'is not an OpenFst graph',
  modelFile_truncated: 'is shorter than its header says (truncated copy?)',
  modelFile_no_graph: 'is missing (no search graph)',
  errorCode_bad_request: 'The request was refused.',
  errorCode_unknown_method: 'The engine does not know this request (versions do not match).',
  errorCode_invalid_params: 'An input is invalid.',
  errorCode_internal: 'An error occurred in the engine.',
  errorCode_unavailable: 'This is not available on this desk.',
  errorCode_storage: "This desk's data cannot be read or written right now.",
  errorCode_not_verified: 'Caller not verified – confirm identity first.',
  errorCode_back_office: 'The case system is unavailable right now.',
  errorCode_timeout: 'The engine does not answer in time.',
  errorCode_invalid_reply: "The engine's answer is invalid.",
  errorCode_disconnected: 'The connection to the engine is lost.',
};

export const problemMessages = defineMessages({ de, en });
