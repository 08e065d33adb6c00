/**
 * Deterministic demo households for training calls, demos and tests: the same
 * seed and reference date give the same households, byte for byte, so a
 * trainer can print the numbers and a test can name a case.
 *
 * Everything is clearly fictitious:
 *   - surnames are invented words (Beispielmann, Musterfeld, …), the office
 *     is "Jobcenter Musterstadt (fiktiv)";
 *   - customer numbers (Kundennummer) have the form `99<m>D<nnnnn>`: "99",
 *     the member's position 0–9, the letter D (demo), the household serial
 *     10001…; e.g. "990D10001" is the applicant of household 1 – accepted by
 *     the store's format (3 digits, 1 letter, 5–6 digits);
 *   - BG numbers have the form `99999BG00<nnnnn>`, e.g. "99999BG0010001";
 *   - PINs are 6 random digits, unique within the set;
 *   - phone numbers are in 030 23125 000–999, a Berlin block set aside for
 *     fiction (caller IDs 000–799, caseworkers 900–999).
 *
 * Amounts follow the Regelbedarfe 2025 (unchanged for 2026): single adult
 * 563 €, partners 506 € each, 18–24 in the parents' household 451 €, 14–17
 * 471 €, 6–13 390 €, 0–5 357 €; plus housing costs; minus child benefit
 * (255 € in 2025, 259 € from 2026) counted for each child, and for some
 * households earned income. Money is paid monthly in advance (§ 42 SGB II):
 * on the last working day on or before the 1st of the month.
 */
import { seededRandom as random } from '../util/seeded-random';
import type { CaseRecordInput } from './case-record';

export const DEMO_SEED = 4242;
export const DEMO_HOUSEHOLDS = 200;

const SURNAMES = [
  'Beispielmann',
  'Musterfeld',
  'Probstein',
  'Erfundel',
  'Platzhalter',
  'Fiktivski',
  'Demowitz',
  'Testhuber',
  'Scheinberg',
  'Attrappke',
  'Modellbauer',
  'Vorlagner',
  'Musterova',
  'Beispielçi',
  'Probandt',
  'Annahmer',
  'Ersatzmann',
  'Dummyck',
  'Schablonski',
  'Entwurfner',
  'Übungsrath',
  'Simulanek',
  'Kulissen',
  'Fantasiewicz',
];
const FIRST_NAMES = [
  'Anna',
  'Mehmet',
  'Olena',
  'Jonas',
  'Fatma',
  'Lukas',
  'Maria',
  'Ahmad',
  'Sabine',
  'Dmytro',
  'Leonie',
  'Thomas',
  'Aylin',
  'Piotr',
  'Nadia',
  'Kevin',
  'Ines',
  'Yusuf',
  'Greta',
  'Samir',
  'Elif',
  'Noah',
  'Mia',
  'Emil',
  'Lina',
  'Ben',
  'Zeynep',
  'Paul',
];
const CASEWORKERS = [
  { name: 'Frau Erika Beispiel', team: 'Team Leistung 1' },
  { name: 'Herr Max Musterfeld', team: 'Team Leistung 1' },
  { name: 'Frau Petra Probstein', team: 'Team Leistung 2' },
  { name: 'Herr Ömer Vorlagner', team: 'Team Leistung 2' },
  { name: 'Frau Jana Erfundel', team: 'Team Leistung 3' },
  { name: 'Herr Ivan Platzhalter', team: 'Team Markt und Integration' },
  { name: 'Frau Hanna Testhuber', team: 'Team Markt und Integration' },
  { name: 'Herr Karl Demowitz', team: 'Team U25' },
];
const MISSING_DOCUMENTS = [
  'Kontoauszüge der letzten drei Monate',
  'Mietbescheinigung',
  'Nebenkostenabrechnung',
  'Einkommensbescheinigung',
  'Schulbescheinigung',
  'Kopie des Personalausweises',
  'Nachweis Kindergeld',
];
const NOTE_TEXTS = [
  'Anrufer fragte nach dem Zahltermin; Auskunft erteilt.',
  'Unterlagen per Post eingegangen, an Leistungsteam weitergeleitet.',
  'Rückruf gewünscht wegen Weiterbewilligungsantrag.',
  'Termin telefonisch bestätigt.',
  'Hinweis auf fehlende Mietbescheinigung gegeben.',
  'Adressänderung angekündigt, Formular zugesandt.',
];
const OFFICE = 'Jobcenter Musterstadt (fiktiv), Beispielweg 12';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

/** Last working day on or before the 1st (weekends, 1 January and 1 May skipped). */
export function paymentDate(year: number, month: number): string {
  let day = utc(year, month, 1);
  const holiday = (d: Date) =>
    d.getUTCDate() === 1 && (d.getUTCMonth() === 0 || d.getUTCMonth() === 4);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6 || holiday(day)) day = addDays(day, -1);
  return iso(day);
}

function ageOn(dateOfBirth: string, on: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age -= 1;
  return age;
}

/** Monthly Regelbedarf in euros for one member (RBS 1–6, 2025/2026). */
function standardNeed(age: number, role: string, adults: number): number {
  if (role === 'applicant' || role === 'partner') return adults > 1 ? 506 : 563;
  if (age >= 18) return 451;
  if (age >= 14) return 471;
  if (age >= 6) return 390;
  return 357;
}

export interface DemoOptions {
  seed?: number;
  households?: number;
  /** The reference "today": periods, payments and appointments are placed around it. */
  asOf: Date;
}

export function generateDemoHouseholds(options: DemoOptions): CaseRecordInput[] {
  const rand = random(options.seed ?? DEMO_SEED);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const asOf = utc(
    options.asOf.getUTCFullYear(),
    options.asOf.getUTCMonth(),
    options.asOf.getUTCDate(),
  );
  const count = Math.min(options.households ?? DEMO_HOUSEHOLDS, 800);
  const pins = new Set<string>();
  const records: CaseRecordInput[] = [];

  for (let i = 0; i < count; i++) {
    const serial = 10001 + i;
    const surname = pick(SURNAMES);
    const shape = rand();
    const adults = shape < 0.65 ? 1 : 2;
    const children = shape < 0.45 ? 0 : shape < 0.65 ? int(1, 3) : shape < 0.75 ? 0 : int(1, 4);
    const applicantBirth = utc(int(1962, 2004), int(0, 11), int(1, 28));
    const members: NonNullable<CaseRecordInput['members']> = [
      {
        firstName: pick(FIRST_NAMES),
        lastName: surname,
        dateOfBirth: iso(applicantBirth),
        role: 'applicant',
      },
    ];
    if (adults === 2) {
      const birth = addDays(applicantBirth, int(-2500, 2500));
      members.push({
        firstName: pick(FIRST_NAMES),
        lastName: surname,
        dateOfBirth: iso(birth),
        role: 'partner',
      });
    }
    for (let c = 0; c < children; c++) {
      // Children in a Bedarfsgemeinschaft are under 25 (§ 7 (3) No. 4 SGB II).
      const latest = asOf.getUTCFullYear() - 1;
      const earliest = Math.min(
        latest,
        Math.max(applicantBirth.getUTCFullYear() + 18, latest - 23),
      );
      const birth = utc(int(earliest, latest), int(0, 11), int(1, 28));
      members.push({
        firstName: pick(FIRST_NAMES),
        lastName: surname,
        dateOfBirth: iso(birth),
        role: 'child',
      });
    }
    // Customer numbers for everyone able to work (15+), the ones who can verify.
    members.forEach((member, position) => {
      if (ageOn(member.dateOfBirth, asOf) >= 15)
        member.customerNumber = `99${position}D${pad(serial, 5)}`;
    });

    let pin: string;
    do pin = pad(int(0, 999_999), 6);
    while (pins.has(pin));
    pins.add(pin);

    const caseworker = pick(CASEWORKERS);
    const caseworkerIndex = CASEWORKERS.indexOf(caseworker);
    const caseworkerPhone = `+493023125${900 + caseworkerIndex}`;

    // A 12-month benefit period that is running today (§ 41 (3) SGB II).
    const startMonth = utc(asOf.getUTCFullYear(), asOf.getUTCMonth() - int(0, 11), 1);
    const end = addDays(utc(startMonth.getUTCFullYear(), startMonth.getUTCMonth() + 12, 1), -1);
    const daysLeft = (end.getTime() - asOf.getTime()) / 86_400_000;

    const rent = int(330, 520) + 90 * (members.length - 1) + int(60, 140);
    const earned = rand() < 0.3 ? int(100, 600) : 0;
    const payments: NonNullable<CaseRecordInput['payments']> = [];
    for (let k = 0; k < 12; k++) {
      const month = utc(startMonth.getUTCFullYear(), startMonth.getUTCMonth() + k, 1);
      const paidOn = paymentDate(month.getUTCFullYear(), month.getUTCMonth());
      if (paidOn < iso(addDays(asOf, -70))) continue;
      const childBenefit = month.getUTCFullYear() >= 2026 ? 259 : 255;
      let euros = rent - earned;
      for (const member of members) {
        const age = ageOn(member.dateOfBirth, month);
        euros += standardNeed(age, member.role, adults);
        if (member.role === 'child' && age < 25) euros -= childBenefit;
      }
      payments.push({
        date: paidOn,
        amountCents: Math.max(0, euros) * 100 + int(0, 1) * 50,
        forMonth: iso(month).slice(0, 7),
      });
    }

    const applications: NonNullable<CaseRecordInput['applications']> = [
      {
        type: 'first_application',
        receivedDate: iso(addDays(startMonth, -int(10, 40))),
        status: 'decided',
        missingDocuments: [],
      },
    ];
    if (daysLeft < 62) {
      const status = pick(['received', 'in_review', 'documents_missing'] as const);
      applications.push({
        type: 'continuation_application',
        receivedDate: iso(addDays(asOf, -int(1, 20))),
        status,
        missingDocuments:
          status === 'documents_missing'
            ? [pick(MISSING_DOCUMENTS), pick(MISSING_DOCUMENTS)].filter(
                (d, n, all) => all.indexOf(d) === n,
              )
            : [],
      });
    } else if (rand() < 0.15) {
      applications.push({
        type: pick(['change_application', 'one_off_need'] as const),
        receivedDate: iso(addDays(asOf, -int(3, 40))),
        status: 'documents_missing',
        missingDocuments: [pick(MISSING_DOCUMENTS)],
      });
    }

    const appointments: NonNullable<CaseRecordInput['appointments']> = [];
    if (rand() < 0.4) {
      const inPerson = rand() < 0.6;
      appointments.push({
        date: iso(addDays(asOf, int(1, 30))),
        time: `${pad(int(8, 15), 2)}:${pick(['00', '30'])}`,
        kind: inPerson ? 'in_person' : 'phone',
        ...(inPerson
          ? { place: `${OFFICE}, Raum ${int(1, 3)}.${pad(int(1, 24), 2)}` }
          : { phone: caseworkerPhone }),
        topic: pick([
          'Beratungsgespräch',
          'Besprechung der Eingliederungsvereinbarung',
          'Vorsprache mit Unterlagen',
        ]),
      });
    }

    const notes: NonNullable<CaseRecordInput['notes']> = [];
    for (let n = int(0, 3); n > 0; n--) {
      notes.push({
        at:
          addDays(asOf, -int(1, 90)).toISOString().slice(0, 10) +
          `T${pad(int(7, 16), 2)}:${pad(int(0, 59), 2)}:00.000Z`,
        author: caseworker.name,
        channel: pick(['phone', 'letter', 'visit', 'email'] as const),
        text: pick(NOTE_TEXTS),
      });
    }

    records.push({
      id: `DEMO-${pad(i + 1, 4)}`,
      bgNumber: `99999BG00${pad(serial, 5)}`,
      pin,
      callerIds: rand() < 0.7 && i < 800 ? [`+493023125${pad(i, 3)}`] : [],
      members,
      caseworker: { name: caseworker.name, team: caseworker.team, phone: caseworkerPhone },
      benefitPeriod: { start: iso(startMonth), end: iso(end) },
      payments,
      applications,
      appointments,
      notes,
    });
  }
  return records;
}
