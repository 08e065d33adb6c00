/**
 * The verification sub-dialogue: before any case fact, the caller gives a
 * customer or household (BG) number and a date of birth, spoken or keyed.
 *
 *   verify-number ─number─▶ verify-dob ─verified─▶ the pending case question is answered
 *        ▲                       │
 *        └── not verified ───────┘   third refusal: a person (day) or a callback (night)
 *
 * A refusal sounds the same whether the number exists or not, attempts are
 * limited – three per call here, and across calls per number and caller ID
 * by the verification limits (cases/verification-gate.ts): a locked number
 * or line hears the same refusal and goes to a person at once – and nothing
 * about the case is said before verification (§ 35 SGB I, § 67 ff. SGB X).
 * A back office that is down or slow is not the caller's fault: no attempt
 * is counted.
 */
import type { IntentName } from '../../contract';
import { keyedDate } from './caller-input';
import type { BotTurn, DialogueHost } from './dialogue-types';
import { PHRASES } from './phrases';
import type { Understanding } from './understanding';

const MAX_VERIFY_ATTEMPTS = 3;
/** Failures (not understood, silent) at one question before a person takes over. */
const MAX_FAILURES = 3;

export class VerificationDialogue {
  private number?: { customerNumber?: string; bgNumber?: string };
  private attempts = 0;
  private pendingIntent: IntentName | null = null;
  private caseRef?: string;

  constructor(private readonly host: DialogueHost) {}

  /** The verified caller's case, once verified. */
  get verifiedCase(): string | undefined {
    return this.caseRef;
  }

  /**
   * A case question from a caller not yet verified: ask for the number, or
   * use one said in the same breath.
   */
  begin(intent: IntentName, understanding: Understanding): Promise<BotTurn> | BotTurn {
    this.pendingIntent = intent;
    this.host.moveTo('verify-number');
    if (understanding.entities.customerNumber || understanding.entities.bgNumber) {
      return this.numberHeard(understanding);
    }
    return this.host.ask(PHRASES.askNumber);
  }

  numberHeard({ intent, entities }: Understanding): BotTurn {
    if (intent === 'human_request') return this.host.toPerson('human_request');
    const number = entities.customerNumber ?? entities.bgNumber ?? entities.digits;
    if (!number || number.length < 4) return this.numberMissing();
    const isBg = entities.bgNumber !== undefined && !entities.customerNumber;
    return this.numberTaken(isBg ? { bgNumber: number } : { customerNumber: number });
  }

  numberKeyed(entry: string): BotTurn {
    const keyed = entry.replace(/#.*$/, '').replace(/[^0-9A-Za-z]/g, '');
    if (keyed.length < 4) return this.numberMissing();
    // Keyed numbers have no letters: twelve digits are a BG number (5 + BG + 7).
    return this.numberTaken(
      /^\d{12}$/.test(keyed) ? { bgNumber: keyed } : { customerNumber: keyed },
    );
  }

  /** Silent at the number: ask again, or for the rest of a number keyed halfway. */
  numberSilence(): BotTurn {
    if (this.host.failed() >= MAX_FAILURES) return this.host.toPerson('speech_failed');
    return this.host.ask(this.host.keying() ? PHRASES.keyTheRest : PHRASES.numberSilence);
  }

  dateHeard({ entities }: Understanding): Promise<BotTurn> | BotTurn {
    return this.check(
      entities.dateOfBirth ??
        entities.date ??
        (entities.digits ? keyedDate(entities.digits) : undefined),
    );
  }

  dateKeyed(entry: string): Promise<BotTurn> | BotTurn {
    return this.check(keyedDate(entry));
  }

  /** Silent at the date of birth: ask again, or for the rest of a date keyed halfway. */
  dateSilence(): BotTurn {
    if (this.host.failed() >= MAX_FAILURES) return this.host.toPerson('speech_failed');
    return this.host.ask(
      this.host.keying() ? PHRASES.keyTheRestOfDate : PHRASES.dateOfBirthSilence,
    );
  }

  private numberMissing(): BotTurn {
    if (this.host.failed() >= MAX_FAILURES) return this.host.toPerson('speech_failed');
    return this.host.ask(PHRASES.askNumberAgain);
  }

  private numberTaken(number: { customerNumber?: string; bgNumber?: string }): BotTurn {
    this.number = number;
    this.host.moveTo('verify-dob');
    return this.host.ask(PHRASES.askDateOfBirth);
  }

  private async check(dateOfBirth: string | undefined): Promise<BotTurn> {
    const host = this.host;
    if (!dateOfBirth) {
      if (host.failed() >= MAX_FAILURES) return host.toPerson('speech_failed');
      return host.ask(PHRASES.askDateOfBirthAgain);
    }
    let result: Awaited<ReturnType<typeof host.deps.verify>>;
    try {
      result = await host.deps.verify({ ...this.number, dateOfBirth });
    } catch {
      // The back office is down or slow: not the caller's fault, no attempt counted.
      return host.caseSystemDown();
    }
    if (result.verified) {
      this.caseRef = result.caseRef;
      host.outcome.verified = true;
      const intent = this.pendingIntent;
      this.pendingIntent = null;
      if (intent) {
        const answer = await host.answerFromCase(result.caseRef, intent);
        return { ...answer, say: `${PHRASES.verified} ${answer.say}` };
      }
      host.moveTo('open');
      return host.ask(`${PHRASES.verified} ${PHRASES.openQuestion}`);
    }
    if (result.locked) {
      // Locked after failed attempts in earlier calls: no check was made. The
      // same words as a wrong date of birth, then a person (day) or a callback
      // (night) — never whether the number exists or is locked.
      const next = host.toPerson('verification_failed');
      return { ...next, say: `${PHRASES.notConfirmed} ${next.say}` };
    }
    this.attempts++;
    // The same words whether the number exists or not: nothing is disclosed.
    if (this.attempts >= MAX_VERIFY_ATTEMPTS) return host.toPerson('verification_failed');
    host.moveTo('verify-number');
    return host.ask(PHRASES.verifyFailed);
  }
}
