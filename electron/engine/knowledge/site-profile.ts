/**
 * The site profile: one job centre's own details (name, address, opening
 * hours, phone numbers, upload portal). The knowledge articles are written
 * once for every office and carry these through placeholders such as
 * `{{office.openingHours}}`, so an office adapts the bot by editing one JSON
 * file instead of sixty articles.
 *
 * Values that the voice speaks come in two forms where the written form would
 * read badly aloud: `openingHours` for the screen ("Mo–Fr 8–12 Uhr") and
 * `openingHoursSpoken` for the ear ("montags bis freitags von acht bis zwölf
 * Uhr"). Phone numbers get their spoken form (digit by digit, a pause between
 * groups) derived, unless the profile gives one.
 */
import fs from 'node:fs';
import { z } from 'zod';

/** The sixteen Länder, by their usual two-letter codes (holidays differ). */
export const FEDERAL_STATES = {
  BW: 'Baden-Württemberg',
  BY: 'Bayern',
  BE: 'Berlin',
  BB: 'Brandenburg',
  HB: 'Bremen',
  HH: 'Hamburg',
  HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern',
  NI: 'Niedersachsen',
  NW: 'Nordrhein-Westfalen',
  RP: 'Rheinland-Pfalz',
  SL: 'Saarland',
  SN: 'Sachsen',
  ST: 'Sachsen-Anhalt',
  SH: 'Schleswig-Holstein',
  TH: 'Thüringen',
} as const;

export type FederalState = keyof typeof FEDERAL_STATES;

const text = z.string().trim().min(1);
/** Digits with the usual separators; a leading + for international form. */
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 /-]*[0-9]$/, 'a phone number: digits, spaces, "/" or "-"');
const spokenPhone = text.optional().describe('How the voice reads the number; derived if absent.');

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const timeRange = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/,
    'a time range "HH:MM-HH:MM", e.g. "08:00-12:00"',
  )
  .refine((range) => {
    const [from, to] = range.split('-').map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
    return from! < to!;
  }, 'the range must end after it starts');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('de-DE', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const siteProfileSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9-]+$/, 'kebab-case id'),
    /** True for demo data: the app can warn before it goes live with it. */
    fictitious: z.boolean().default(false),
    office: z
      .object({
        name: text.describe('Written name, e.g. "Jobcenter Musterstadt".'),
        state: z.enum(Object.keys(FEDERAL_STATES) as [FederalState, ...FederalState[]]),
        address: text.describe('Visitors’ address in one line, for the screen.'),
        addressSpoken: text,
        postalAddress: text.describe('Where letters go, in one line.'),
        openingHours: text,
        openingHoursSpoken: text,
        phone: phone.describe('The hotline.'),
        phoneSpoken: spokenPhone,
        urgentPhone: phone.describe('Line for emergencies (no money, eviction) in office hours.'),
        urgentPhoneSpoken: spokenPhone,
        email: z.email(),
        website: z.url(),
        /** Where to go at once in an emergency (e.g. the front desk without appointment). */
        urgentHelp: text,
        urgentHelpSpoken: text,
      })
      .strict(),
    portal: z
      .object({
        name: text.describe('What the voice calls the upload portal.'),
        url: z.url(),
      })
      .strict(),
    service: z
      .object({
        timeZone: z
          .string()
          .refine(isTimeZone, 'an IANA time zone such as "Europe/Berlin"')
          .default('Europe/Berlin'),
        hours: z
          .partialRecord(weekday, z.array(timeRange).max(6))
          .describe(
            'When people answer the phone; outside these hours (and on public holidays) the bot runs alone.',
          ),
      })
      .strict()
      .default({
        timeZone: 'Europe/Berlin',
        hours: {
          mon: ['08:00-16:00'],
          tue: ['08:00-16:00'],
          wed: ['08:00-16:00'],
          thu: ['08:00-18:00'],
          fri: ['08:00-12:00'],
        },
      })
      .describe('Phone service hours: the schedule of day and night (bot-only) mode.'),
  })
  .strict();

export type SiteProfileInput = z.input<typeof siteProfileSchema>;
export type SiteProfile = z.output<typeof siteProfileSchema>;

/** A profile that cannot be read or fails the schema; names the file and fields. */
export class SiteProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteProfileError';
  }
}

/** Validates parsed JSON; `origin` (usually the file) appears in errors. */
export function parseSiteProfile(data: unknown, origin = 'site profile'): SiteProfile {
  const result = siteProfileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new SiteProfileError(`${origin}: invalid site profile: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Reads and validates a site profile JSON file. */
export function loadSiteProfile(file: string): SiteProfile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SiteProfileError(`${file}: cannot read site profile: ${(error as Error).message}`);
  }
  return parseSiteProfile(data, file);
}

/**
 * A phone number as the voice should read it: every digit on its own, a
 * comma (a short pause) between the groups the number was written in.
 * "0123 4567 100" → "0 1 2 3, 4 5 6 7, 1 0 0".
 */
export function spokenPhoneNumber(written: string): string {
  return written
    .replace(/^\+/, 'plus ')
    .split(/[ /-]+/)
    .filter((group) => group !== '')
    .map((group) => (group === 'plus' ? group : [...group].join(' ')))
    .join(', ')
    .replace('plus,', 'plus');
}

/**
 * Every placeholder value of a profile, keyed as the articles write them
 * (`office.openingHours`, `portal.name`, ...), with derived values added:
 * spoken phone numbers and `office.stateName`.
 */
export function placeholderValues(profile: SiteProfile): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  const walk = (prefix: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key !== '$schema') walk(prefix ? `${prefix}.${key}` : key, child);
      }
      return;
    }
    values.set(prefix, String(value));
  };
  walk('', profile);
  const { office } = profile;
  values.set('office.phoneSpoken', office.phoneSpoken ?? spokenPhoneNumber(office.phone));
  values.set(
    'office.urgentPhoneSpoken',
    office.urgentPhoneSpoken ?? spokenPhoneNumber(office.urgentPhone),
  );
  values.set('office.stateName', FEDERAL_STATES[office.state]);
  return values;
}

/** The schema as JSON Schema, for editors that validate the profile file. */
export function siteProfileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(siteProfileSchema, { io: 'input' }) as Record<string, unknown>;
}
