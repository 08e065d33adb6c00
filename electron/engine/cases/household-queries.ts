/**
 * What the embedded store reads about one verified household, inside the
 * transaction that wrote the read's audit row (embedded-case-system.ts).
 * Dates are the household's as a German office counts them: "today" is
 * today in Germany.
 */
import type { SqlExecutor } from '../store/db/sql-database';
import {
  CaseAccessError,
  type AppointmentInfo,
  type ApplicationInfo,
  type BenefitPeriod,
  type CaseContext,
  type CaseworkerInfo,
  type ContactNote,
  type HouseholdMember,
  type NextPayment,
} from './case-system';

export class HouseholdQueries {
  constructor(
    private readonly tx: SqlExecutor,
    private readonly household: string,
    private readonly now: () => Date,
  ) {}

  /**
   * The caseworker's picture of a verified caller: the person who verified
   * (`memberId`; null: the applicant), the household and everything the
   * screen shows, read in one go.
   */
  async context(memberId: string | null): Promise<CaseContext> {
    const [head] = await this.tx.query<{ bg_number: string }>(
      'SELECT bg_number FROM households WHERE id = $1',
      [this.household],
    );
    const people = await this.tx.query<{
      id: string;
      first_name: string;
      last_name: string;
      date_of_birth: string;
      member_role: string;
      customer_number: string | null;
    }>(
      `SELECT id, first_name, last_name, date_of_birth, member_role, customer_number
       FROM members WHERE household_id = $1 ORDER BY seq`,
      [this.household],
    );
    const person = (row: (typeof people)[number]): HouseholdMember => ({
      firstName: row.first_name,
      lastName: row.last_name,
      dateOfBirth: row.date_of_birth,
      role: row.member_role as HouseholdMember['role'],
    });
    const clientRow =
      people.find((p) => p.id === memberId) ??
      people.find((p) => p.member_role === 'applicant') ??
      people[0];
    if (!head || !clientRow) throw new CaseAccessError('the verified case no longer exists');
    return {
      caseId: this.household,
      bgNumber: head.bg_number,
      client: {
        ...person(clientRow),
        ...(clientRow.customer_number ? { customerNumber: clientRow.customer_number } : {}),
      },
      members: people.map(person),
      benefitPeriod: await this.benefitPeriod(),
      nextPayment: await this.nextPayment(),
      applications: await this.applications(),
      appointments: await this.appointments(10),
      notes: await this.contactNotes(10),
      caseworker: await this.caseworker(),
    };
  }

  async nextPayment(): Promise<NextPayment | null> {
    const rows = await this.tx.query<{ pay_date: string; amount_cents: number; for_month: string }>(
      `SELECT pay_date, amount_cents, for_month FROM payments
       WHERE household_id = $1 AND pay_date >= $2 ORDER BY pay_date LIMIT 1`,
      [this.household, this.today().date],
    );
    const row = rows[0];
    return row
      ? { date: row.pay_date, amountCents: Number(row.amount_cents), forMonth: row.for_month }
      : null;
  }

  async applications(): Promise<ApplicationInfo[]> {
    const rows = await this.tx.query<{
      id: string;
      application_type: string;
      received_date: string;
      status: string;
    }>(
      `SELECT id, application_type, received_date, status FROM applications
       WHERE household_id = $1 ORDER BY received_date DESC, id`,
      [this.household],
    );
    const result: ApplicationInfo[] = [];
    for (const row of rows) {
      const documents = await this.tx.query<{ document: string }>(
        'SELECT document FROM missing_documents WHERE application_id = $1 ORDER BY seq',
        [row.id],
      );
      result.push({
        type: row.application_type as ApplicationInfo['type'],
        receivedDate: row.received_date,
        status: row.status as ApplicationInfo['status'],
        missingDocuments: documents.map((d) => d.document),
      });
    }
    return result;
  }

  /** Appointments from now on, soonest first. */
  async appointments(limit: number): Promise<AppointmentInfo[]> {
    const { date, time } = this.today();
    const rows = await this.tx.query<{
      appointment_date: string;
      appointment_time: string;
      kind: string;
      place: string | null;
      phone: string | null;
      topic: string;
    }>(
      `SELECT appointment_date, appointment_time, kind, place, phone, topic FROM appointments
       WHERE household_id = $1
         AND (appointment_date > $2 OR (appointment_date = $2 AND appointment_time >= $3))
       ORDER BY appointment_date, appointment_time LIMIT $4`,
      [this.household, date, time, limit],
    );
    return rows.map((row) => ({
      date: row.appointment_date,
      time: row.appointment_time,
      kind: row.kind as AppointmentInfo['kind'],
      ...(row.place ? { place: row.place } : {}),
      ...(row.phone ? { phone: row.phone } : {}),
      topic: row.topic,
    }));
  }

  async caseworker(): Promise<CaseworkerInfo | null> {
    const rows = await this.tx.query<{
      caseworker_name: string | null;
      caseworker_team: string | null;
      caseworker_phone: string | null;
    }>('SELECT caseworker_name, caseworker_team, caseworker_phone FROM households WHERE id = $1', [
      this.household,
    ]);
    const row = rows[0];
    if (!row?.caseworker_name) return null;
    return {
      name: row.caseworker_name,
      team: row.caseworker_team ?? '',
      phone: row.caseworker_phone ?? '',
    };
  }

  async members(): Promise<HouseholdMember[]> {
    const rows = await this.tx.query<{
      first_name: string;
      last_name: string;
      date_of_birth: string;
      member_role: string;
    }>(
      `SELECT first_name, last_name, date_of_birth, member_role FROM members
       WHERE household_id = $1 ORDER BY seq`,
      [this.household],
    );
    return rows.map((r) => ({
      firstName: r.first_name,
      lastName: r.last_name,
      dateOfBirth: r.date_of_birth,
      role: r.member_role as HouseholdMember['role'],
    }));
  }

  async benefitPeriod(): Promise<BenefitPeriod | null> {
    const rows = await this.tx.query<{ benefit_start: string | null; benefit_end: string | null }>(
      'SELECT benefit_start, benefit_end FROM households WHERE id = $1',
      [this.household],
    );
    const row = rows[0];
    return row?.benefit_start && row.benefit_end
      ? { start: row.benefit_start, end: row.benefit_end }
      : null;
  }

  /** Newest first; `capped` is the caller's bounded limit. */
  async contactNotes(capped: number): Promise<ContactNote[]> {
    const rows = await this.tx.query<{
      id: string;
      created_at: string;
      author: string;
      channel: string;
      body: string;
    }>(
      `SELECT id, created_at, author, channel, body FROM contact_notes
       WHERE household_id = $1 ORDER BY created_at DESC, id LIMIT $2`,
      [this.household, capped],
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.created_at,
      author: r.author,
      channel: r.channel as ContactNote['channel'],
      text: r.body,
    }));
  }

  /** Today in Germany, as the callers count days. */
  private today(): { date: string; time: string } {
    const parts = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(this.now());
    const [date = '', time = ''] = parts.split(' ');
    return { date, time: time.slice(0, 5) };
  }
}
