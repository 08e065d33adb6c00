/**
 * The wrap-up note the caseworker gets proposed when a call ends: a contact
 * note (Vermerk) in plain German, with short labelled parts, written from the
 * call's final transcript, the bot's handoff, the sources the agent used and
 * (for a verified caller) the case context. The agent reads, edits and saves
 * it (`wrapup.save`); nothing here decides on benefits (Art. 22 GDPR).
 *
 *   Telefonat am … – Mitarbeiter/in: …
 *   Anlass: what the call was about (intent in German words, the handoff)
 *   Anliegen: the caller's own key sentences, condensed
 *   Auskunft: what the bot answered (whole sentences, with each answer's
 *             source – never its prompts or menus), what the agent said,
 *             facts from the case, the sources the agent used
 *   Vereinbart / Folgeaufgaben: callbacks, documents, appointments – or "keine"
 *   Identität: geprüft durch Bot / durch Mitarbeiter/in / nicht geprüft
 *
 * Deterministic rules, no language model: the same call gives the same note,
 * and a reviewer can see why every line is there.
 *
 * Data minimisation (§ 67 ff. SGB X): the verification itself never reaches
 * the note – the caller's answers to "Kundennummer?" / "Geburtsdatum?" are
 * skipped, and customer and BG numbers, long digit runs (PINs, numbers said
 * digit by digit), the case's known dates of birth and any full date more than
 * two years back (a date of birth, not an appointment) are replaced by "[…]"
 * everywhere in the note, as a last pass over the finished text.
 */
import {
  isIntentName,
  MAX_NOTE_LENGTH,
  type Disposition,
  type Handoff,
  type TranscriptSegment,
  type Verifier,
} from '../../contract';
import { PHRASES } from '../bot/phrases';
import { withoutPrompts } from './bot-lines';
import type { CaseContext } from '../cases/case-system';
import { clipText } from '../util/clip-text';
import { INTENT_LABELS } from '../util/intent-labels';
import { normalizeNumbers } from '../nlu/normalize-numbers';
import {
  APPLICATION_LABELS,
  APPLICATION_STATUS_LABELS,
  MONTH_NAMES,
  germanDate,
  germanEuro,
} from '../util/german-format';

export interface UsedSource {
  title: string;
  source: { norm?: string; title?: string; url: string };
}

export interface WrapUpInput {
  /** The call's final segments (partials are ignored), in any order. */
  segments: readonly TranscriptSegment[];
  handoff?: Handoff;
  intent: string | null;
  verified: boolean;
  /** Who verified the caller; without it a bot handoff that says "geprüft" counts as the bot. */
  verifiedBy?: Verifier;
  caseContext?: CaseContext | null;
  /** Suggestions the agent pinned, copied, used or marked helpful. */
  used: readonly UsedSource[];
  /** The staff member who had the call (configured name or account; never the SIP display name). */
  agentName?: string;
  now?: Date;
}

export interface WrapUpDraft {
  note: string;
  disposition: Disposition;
  intent: string | null;
}

const REASON_LABELS: Record<Handoff['reason'], string> = PHRASES.reasonLabel;

/** Intents whose call changes what the office knows: a note goes to the case. */
const CASE_UPDATE_INTENTS: ReadonlySet<string> = new Set([
  'sick_note',
  'change_of_circumstances',
  'absence',
]);

const MAX_CALLER_LINES = 6;
const MAX_BOT_LINES = 3;
const MAX_AGENT_LINES = 4;
const MAX_FOLLOW_UPS = 6;
const MAX_LINE_CHARS = 240;
const REDACTED = '[…]';

type FollowUpKind = 'callback' | 'appointment' | 'documents' | 'forwarded';

const FOLLOW_UP_LABELS: Record<FollowUpKind, string> = {
  callback: 'Rückruf',
  appointment: 'Termin',
  documents: 'Unterlagen',
  forwarded: 'Weitergeleitet',
};

/** Agent and bot phrases that promise or ask for something after the call. */
const FOLLOW_UP_RULES: readonly { kind: FollowUpKind; pattern: RegExp; agentOnly?: boolean }[] = [
  {
    kind: 'callback',
    pattern:
      /\b(rückruf\w*|zurückruf\w*|ruf\w*\b.*\bzurück|meld\w* (mich|uns) .*bei ihnen|melden uns)\b/,
  },
  {
    kind: 'appointment',
    pattern:
      /\b(termin\w* (\w+ ){0,4}(vereinbart|ausgemacht|eingetragen|geben|gebe|schicken|zuschicken)|(vereinbar\w*|trage\w*|lege\w*|gebe\w*|bekommen sie|schicke\w*) (ihnen |sie )?(\w+ )?(neuen |nächsten |anderen )?termin\w*|einladung\w*)\b/,
  },
  {
    kind: 'documents',
    pattern:
      /\b(schicken sie|senden sie|reichen sie|einreichen|nachreichen|hochladen|laden sie\b.*\bhoch|zuschicken|zusenden|vorbeibringen|bringen sie\b.*\bmit|mitbringen|geben sie\b.*\bab|abgeben|werfen sie\b.*\bein)\b/,
  },
  {
    kind: 'forwarded',
    pattern:
      /\b(leite\w* .*weiter|weitergeleitet|stelle sie .*durch|verbinde sie .*mit (der|dem|einer|einem) (?!mitarbeiter))/,
    agentOnly: true,
  },
];

/** What the bot says to everyone: prompts and formulas carry nothing for the note. */
const BOT_BOILERPLATE: ReadonlySet<string> = new Set(
  Object.values(PHRASES)
    .filter((value): value is string => typeof value === 'string')
    .flatMap(sentences)
    .map(fold),
);

/** Words that alone make no request: greetings, yes/no, fillers, verification words. */
const EMPTY_WORDS: ReadonlySet<string> = new Set(
  (
    'ja jawohl jo nein nee nö ne genau richtig stimmt okay ok gut gerne gern bitte danke dankeschön ' +
    'vielen dank schön hallo guten tag morgen abend grüß gott moin servus tschüss wiederhören ' +
    'wiedersehen äh ähm ehm hm hmm mhm aha achso also so na naja ich du sie er es wir ihr mein meine ' +
    'meinen meiner mir mich ist bin sind war habe hab hat haben das der die den dem des ein eine einen ' +
    'und oder aber noch mal doch schon auch nur name heiße heisse kundennummer nummer geburtsdatum ' +
    'geboren bedarfsgemeinschaft pin raute taste mitarbeiter mitarbeiterin hier dran am apparat ' +
    'möchte möchten würde gerne sprechen einem einer mit'
  ).split(' '),
);

const QUESTION_START =
  /^(wann|wo|wie|was|warum|wieso|weshalb|welche\w*|wer|wen|wem|haben sie|hatten sie|können sie|könnten sie|sind sie|waren sie|möchten sie|wollen sie|brauchen sie|darf ich|soll ich|kann ich|gibt es|ist das|stimmt das)\b/;

/** Greetings and fillers a turn starts with ("hallo ja guten tag ich …"): cut from the quote. */
const OPENING =
  /^((ja|hallo|guten (tag|morgen|abend)|grüß gott|moin|servus|äh|ähm|ehm|hm|also|genau|okay|ok|na)\b[\s,.!]*)+/i;

/** How an agent opens or closes a call: not an answer. */
const INTRODUCTION =
  /^(hier ist|mein name ist|sie sprechen mit|jobcenter\b)|\b(was kann ich für sie tun|auf wiederhören|auf wiedersehen|tschüss)\b/;

/** A keypad menu, however it is composed: "… die 1 für …, die 2 für …". */
const MENU = /\b(drücken|tippen|wählen) sie\b.*\bdie \d\b|\bdie \d (für|wenn)\b/;

const VERIFY_PROMPT =
  /\b(kundennummer|nummer ihrer bedarfsgemeinschaft|bg-nummer|geburtsdatum|geboren|pin)\b/;

export function proposeWrapUp(input: WrapUpInput): WrapUpDraft {
  const now = input.now ?? new Date();
  const finals = input.segments
    .filter((segment) => segment.final && segment.text.trim() !== '')
    .slice()
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const intent = finalIntent(input);

  const caller = callerLines(finals, input.handoff);
  const answers = answerLines(finals, input, intent);
  const followUps = followUpLines(finals);
  const disposition = proposeDisposition(intent, input.handoff, followUps, finals);

  const header = [`Telefonat am ${berlinTime(now)}`];
  if (input.agentName?.trim()) header.push(`Mitarbeiter/in: ${oneLine(input.agentName, 100)}`);

  const sections: Section[] = [
    { label: 'Anlass', lines: [occasion(intent, input.handoff)] },
    { label: 'Anliegen', lines: caller.length > 0 ? caller : ['nicht festgehalten'] },
    { label: 'Auskunft', lines: answers.length > 0 ? answers : ['keine Auskunft festgehalten'] },
    {
      label: 'Vereinbart / Folgeaufgaben',
      lines: followUps.length > 0 ? followUps.map((f) => f.line) : ['keine'],
    },
    { label: 'Identität', lines: [identity(input)] },
  ];
  const note = fitNote(header.join(' – '), sections, input.caseContext ?? null, now);
  return { note, disposition, intent };
}

// ── the parts ─────────────────────────────────────────────────────────────

/** The screen's intent; without one, an emergency or crisis handoff names it. */
function finalIntent(input: WrapUpInput): string | null {
  const trimmed = input.intent?.trim().slice(0, 60) ?? '';
  if (trimmed !== '') return trimmed;
  const reason = input.handoff?.reason;
  return reason === 'emergency' || reason === 'crisis' ? reason : null;
}

const isUrgent = (intent: string | null): boolean => intent === 'emergency' || intent === 'crisis';

function occasion(intent: string | null, handoff: Handoff | undefined): string {
  const label =
    intent === null
      ? 'Anliegen nicht eingeordnet'
      : isIntentName(intent)
        ? INTENT_LABELS[intent].occasion
        : `Sonstiges Anliegen (${oneLine(intent, 60)})`;
  if (!handoff) return label;
  const how = handoff.priority ? 'vom Bot mit Vorrang übergeben' : 'vom Bot übergeben';
  return `${label} (${how}: ${REASON_LABELS[handoff.reason]})`;
}

/** The caller's own sentences that carry a request, skipping the verification. */
function callerLines(finals: readonly TranscriptSegment[], handoff?: Handoff): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  finals.forEach((segment, index) => {
    if (segment.speaker !== 'caller') return;
    if (answersVerification(finals, index)) return;
    const text = readable(segment.text);
    if (!carriesContent(text, 2)) return;
    const key = fold(text);
    if (seen.has(key)) return;
    seen.add(key);
    lines.push(`„${clipText(text, MAX_LINE_CHARS)}“`);
  });
  if (lines.length === 0 && handoff) {
    // The bot's part may not be in the transcript: its summary quotes the caller.
    const said = /Zuletzt gesagt: „([^“]*)“/.exec(handoff.summary)?.[1];
    if (said && carriesContent(readable(said), 2))
      lines.push(`„${clipText(readable(said), MAX_LINE_CHARS)}“`);
  }
  return lines.slice(0, MAX_CALLER_LINES);
}

/** The caller's reply right after someone asked for the number or the date of birth. */
function answersVerification(finals: readonly TranscriptSegment[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const previous = finals[i]!;
    if (previous.speaker === 'caller') continue;
    const lastSentence = sentences(previous.text).at(-1) ?? '';
    return VERIFY_PROMPT.test(fold(lastSentence));
  }
  return false;
}

/** What the bot and the agent told the caller, the case's facts, and the sources used. */
function answerLines(
  finals: readonly TranscriptSegment[],
  input: WrapUpInput,
  intent: string | null,
): string[] {
  const bot: string[] = [];
  const agent: string[] = [];
  const seen = new Set<string>();
  const add = (list: string[], line: string, key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    list.push(line);
  };
  for (const segment of finals) {
    if (segment.speaker === 'caller') continue;
    if (segment.speaker === 'bot' && segment.answer !== undefined) {
      // The bot marked what it answered: exactly that, whole, with its source.
      const text = segment.answer ? oneLine(segment.answer.text, 2000) : '';
      if (!text) continue;
      const source = segment.answer?.source?.trim();
      add(bot, source ? `${text} (Quelle: ${oneLine(source, 200)})` : text, fold(text));
      continue;
    }
    // The agent's words, or an unmarked bot line: the bot's phrases recognised and left out.
    const said = segment.speaker === 'bot' ? withoutPrompts(segment.text) : segment.text;
    for (const sentence of sentences(said)) {
      const folded = fold(sentence);
      if (segment.speaker === 'bot' && (BOT_BOILERPLATE.has(folded) || MENU.test(folded))) continue;
      if (isQuestion(sentence) || VERIFY_PROMPT.test(folded)) continue;
      if (INTRODUCTION.test(fold(readable(sentence)).toLowerCase())) continue;
      if (FOLLOW_UP_RULES.some((rule) => rule.pattern.test(folded))) continue;
      const text = readable(sentence);
      if (!carriesContent(text, 3)) continue;
      add(segment.speaker === 'bot' ? bot : agent, text, fold(text));
    }
  }
  const lines = [
    ...bot.slice(0, MAX_BOT_LINES).map((text) => `Bot: ${text}`),
    ...agent.slice(0, MAX_AGENT_LINES).map((text) => `Mitarbeiter/in: ${text}`),
  ];
  const fact = input.verified && input.caseContext ? caseFact(input.caseContext, intent) : null;
  if (fact) lines.push(`Laut Akte: ${fact}`);
  const sources = sourceList(input.used);
  if (sources) lines.push(`Quellen: ${sources}`);
  return lines;
}

function caseFact(context: CaseContext, intent: string | null): string | null {
  switch (intent) {
    case 'payment_date':
    case 'payment_missing': {
      const payment = context.nextPayment;
      if (!payment) return 'keine anstehende Zahlung eingetragen';
      const [year, month] = payment.forMonth.split('-');
      const monthName = MONTH_NAMES[Number(month) - 1] ?? month;
      return `nächste Zahlung am ${germanDate(payment.date)}, ${germanEuro(payment.amountCents)} für ${monthName} ${year}`;
    }
    case 'application_status':
    case 'continuation_application': {
      const application = context.applications[0];
      if (!application) return 'kein offener Antrag eingetragen';
      const missing =
        application.missingDocuments.length > 0
          ? `; es fehlen: ${application.missingDocuments.join(', ')}`
          : '';
      return `${APPLICATION_LABELS[application.type]} vom ${germanDate(application.receivedDate)}: ${APPLICATION_STATUS_LABELS[application.status]}${missing}`;
    }
    case 'appointment': {
      const appointment = context.appointments[0];
      if (!appointment) return 'kein Termin eingetragen';
      const kind = appointment.kind === 'phone' ? 'Telefontermin' : 'Termin vor Ort';
      return `${kind} am ${germanDate(appointment.date)} um ${appointment.time} Uhr (${appointment.topic})`;
    }
    default:
      return null;
  }
}

function sourceList(used: readonly UsedSource[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const item of used) {
    const where = item.source.norm?.trim() || item.source.title?.trim() || item.source.url.trim();
    const key = `${item.title}|${where}`;
    if (!where || seen.has(key)) continue;
    seen.add(key);
    const title = oneLine(item.title, 120);
    parts.push(
      title && title !== where ? `${title} (${oneLine(where, 200)})` : oneLine(where, 200),
    );
  }
  return parts.join('; ');
}

interface FollowUp {
  kind: FollowUpKind;
  line: string;
}

/** Promises and requests by the agent or the bot; a question counts once the caller said yes. */
function followUpLines(finals: readonly TranscriptSegment[]): FollowUp[] {
  const found: FollowUp[] = [];
  const seen = new Set<string>();
  finals.forEach((segment, index) => {
    if (segment.speaker === 'caller') return;
    for (const sentence of sentences(segment.text)) {
      const folded = fold(sentence);
      if (segment.speaker === 'bot' && BOT_BOILERPLATE.has(folded)) continue;
      const rule = FOLLOW_UP_RULES.find(
        (candidate) =>
          candidate.pattern.test(folded) && (!candidate.agentOnly || segment.speaker === 'agent'),
      );
      if (!rule) continue;
      if (segment.speaker === 'bot' && /^(ich kann|möchten sie|sollen wir)\b/.test(folded))
        continue;
      if (isQuestion(sentence) && !callerSaidYes(finals, index)) continue;
      const text = clipText(readable(sentence), MAX_LINE_CHARS);
      if (seen.has(fold(text))) continue;
      seen.add(fold(text));
      found.push({ kind: rule.kind, line: `${FOLLOW_UP_LABELS[rule.kind]}: ${text}` });
    }
  });
  return found.slice(0, MAX_FOLLOW_UPS);
}

function callerSaidYes(finals: readonly TranscriptSegment[], index: number): boolean {
  const reply = finals.slice(index + 1).find((segment) => segment.speaker === 'caller');
  if (!reply) return false;
  const folded = fold(reply.text);
  if (/\b(nein|nee|nö|lieber nicht|nicht nötig)\b/.test(folded)) return false;
  return /\b(ja|jawohl|genau|gerne|gern|gut|okay|ok|passt|einverstanden|richtig|bitte)\b/.test(
    folded,
  );
}

function proposeDisposition(
  intent: string | null,
  handoff: Handoff | undefined,
  followUps: readonly FollowUp[],
  finals: readonly TranscriptSegment[],
): Disposition {
  const has = (kind: FollowUpKind): boolean => followUps.some((f) => f.kind === kind);
  if (handoff?.reason === 'emergency' || handoff?.reason === 'crisis' || isUrgent(intent)) {
    return 'forwarded';
  }
  if (has('forwarded')) return 'forwarded';
  if (intent !== null && CASE_UPDATE_INTENTS.has(intent)) return 'case_updated';
  // What the office has to do comes before what the caller has to do.
  if (has('callback')) return 'callback_arranged';
  if (has('appointment')) return 'appointment_arranged';
  if (has('documents')) return 'documents_requested';
  const complaint = finals.some(
    (segment) =>
      segment.speaker === 'caller' &&
      /\b(beschwer\w*|dienstaufsicht\w*)\b/.test(fold(segment.text)),
  );
  if (complaint) return 'complaint';
  const anyAnswer = finals.some((segment) => segment.speaker !== 'caller');
  return anyAnswer || intent !== null ? 'information_given' : 'other';
}

function identity(input: WrapUpInput): string {
  if (!input.verified) return 'nicht geprüft';
  const by =
    input.verifiedBy ??
    (input.handoff && /Identität: geprüft/.test(input.handoff.summary) ? 'bot' : undefined);
  if (by === 'bot') return 'geprüft durch Bot (Kunden- oder BG-Nummer und Geburtsdatum)';
  if (by === 'agent') return 'geprüft durch Mitarbeiter/in';
  return 'geprüft';
}

// ── text helpers ──────────────────────────────────────────────────────────

interface Section {
  label: string;
  lines: string[];
}

/** Renders the note, drops the least important lines until it fits, then redacts. */
function fitNote(
  header: string,
  sections: Section[],
  context: CaseContext | null,
  now: Date,
): string {
  const render = (): string =>
    redact(
      [
        header,
        ...sections.map((section) =>
          section.lines.length === 1 && section.label !== 'Anliegen' && section.label !== 'Auskunft'
            ? `${section.label}: ${section.lines[0]}`
            : `${section.label}:\n${section.lines.map((line) => `- ${line}`).join('\n')}`,
        ),
      ].join('\n'),
      context,
      now,
    );
  let note = render();
  while (note.length > MAX_NOTE_LENGTH) {
    // Shorten the longest list (caller's words or answers) from its end.
    const longest = sections
      .filter((section) => section.lines.length > 1)
      .sort((a, b) => b.lines.join('').length - a.lines.join('').length)[0];
    if (!longest) break;
    longest.lines.pop();
    note = render();
  }
  return note.length > MAX_NOTE_LENGTH ? `${note.slice(0, MAX_NOTE_LENGTH - 1)}…` : note;
}

/**
 * Removes what identifies the caller for verification: customer and BG
 * numbers, long digit runs, the case's dates of birth, and full dates more
 * than two years back.
 */
export function redact(text: string, context: CaseContext | null, now: Date): string {
  let out = text;
  const known = new Set<string>();
  if (context) {
    if (context.client.customerNumber) known.add(context.client.customerNumber);
    known.add(context.bgNumber);
    for (const member of [context.client, ...context.members]) {
      for (const form of dateForms(member.dateOfBirth)) known.add(form);
    }
  }
  for (const value of [...known].filter(Boolean).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join(REDACTED);
  }
  out = out
    .replace(/\b\d{3}\s?[A-Za-z]\s?\d{5,6}\b/g, REDACTED)
    .replace(/\b\d{5}\s?bg\s?\d{7}\b/gi, REDACTED)
    .replace(/\d(?:[ /-]?\d){5,}/g, REDACTED);
  const oldestKept = now.getUTCFullYear() - 2;
  const monthNames =
    'januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember';
  const fullDate = new RegExp(
    `\\b(\\d{1,2})\\.\\s?(?:(\\d{1,2})\\.|(${monthNames})\\s)\\s?((?:19|20)\\d{2})\\b|\\b((?:19|20)\\d{2})-(\\d{2})-(\\d{2})\\b`,
    'gi',
  );
  out = out.replace(fullDate, (match, ...groups: (string | undefined)[]) => {
    const year = Number(groups[3] ?? groups[4]);
    return year < oldestKept ? REDACTED : match;
  });
  return out;
}

function dateForms(iso: string): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return [];
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const d = String(Number(day));
  const m = String(Number(month));
  return [
    iso,
    `${day}.${month}.${year}`,
    `${d}.${m}.${year}`,
    `${d}. ${m}. ${year}`,
    `${day}${month}${year}`,
  ];
}

/** Number words as digits, one line, first letter capital. */
function readable(text: string): string {
  const plain = normalizeNumbers(oneLine(text, 2000)).replace(OPENING, '');
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

function carriesContent(text: string, minWords: number): boolean {
  const words = fold(text)
    .split(' ')
    .filter((word) => /[a-zäöüß]{3,}/.test(word) && !EMPTY_WORDS.has(word));
  return words.length >= minWords;
}

function isQuestion(sentence: string): boolean {
  return sentence.trim().endsWith('?') || QUESTION_START.test(fold(sentence));
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[^\d\s][.!?])\s+(?=[A-ZÄÖÜ„])/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[.,;:!?"„“()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function oneLine(text: string, max: number): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}

function berlinTime(now: Date): string {
  const parts = new Intl.DateTimeFormat('de-DE', {
    timeZone: 'Europe/Berlin',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((part) => part.type === type)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')}, ${get('hour')}:${get('minute')} Uhr`;
}
