/**
 * Phrase rules for the two intents that must never be missed: crisis
 * (self-harm, suicidal thoughts, violence at home) and emergency (no money
 * for food, power, gas, water or heating cut off, eviction, homelessness).
 *
 * Why rules on top of a model: a statistical model is right most of the time
 * and wrong in ways no one predicts. A caller in crisis whom the bot sends to
 * the "appointment" menu is a harm no accuracy figure makes up for; a false
 * alarm costs a caseworker one short call. So these rules override the
 * classifier whenever they match, and they are written wide: "das bringt
 * mich noch um" about a waiting line will reach a human too, on purpose.
 *
 * The rules read folded text (lower case, ä → ae, ß → ss, punctuation gone;
 * see `foldText`) and allow the recogniser's spacing ("selbst mord"). Crisis
 * is checked before emergency: a caller who is hungry and suicidal needs the
 * crisis route.
 */
import { foldText } from './intent-text';
import type { UrgentIntent } from './intent-names';

export interface SafetyRule {
  id: string;
  intent: UrgentIntent;
  pattern: RegExp;
}

/**
 * The safety rules read at most this much text: enough for any real turn,
 * and it keeps a pasted 100 kB text from costing the regex engine time.
 */
export const MAX_SAFETY_CHARS = 20_000;

/** Partners and relatives a caller may be afraid of, as in "Angst vor meinem Mann". */
const PERSON =
  '(?:mann|ehemann|exmann|ex|frau|ehefrau|partner|partnerin|freund|freundin|lebensgefaehrten|lebensgefaehrtin|vater|mutter|sohn|bruder|stiefvater|schwager|nachbarn)';

export const SAFETY_RULES: readonly SafetyRule[] = [
  // --- crisis: suicidal thoughts and self-harm
  {
    id: 'suicide-word',
    intent: 'crisis',
    pattern: /\b(?:selbst ?mord|suizid|frei ?tod|lebensmuede)/,
  },
  {
    id: 'kill-oneself',
    intent: 'crisis',
    pattern: /\b(?:umbring\w*|umzubringen|bring(?:e|t)? (?:mich|sich) um|toeten|umgebracht)\b/,
  },
  {
    id: 'end-life',
    intent: 'crisis',
    pattern: /\b(?:das|mein|meinem|dem) leben (?:zu )?(?:nehmen|beenden|ein ende)/,
  },
  {
    id: 'not-live-anymore',
    intent: 'crisis',
    pattern:
      /\bnicht mehr (?:leben|weiter ?leben|da sein|da waere|da bin|aufwachen|existieren)\b|\bmich nicht mehr (?:gibt|gaebe|geben wuerde)\b|\b(?:an|ueber) (?:den|meinen) tod\b|\bwill nicht mehr\b(?! (?:warten|anrufen|zahlen))/,
  },
  {
    id: 'want-to-die',
    intent: 'crisis',
    pattern: /\b(?:sterben|tot sein|waer(?:e)? (?:ich )?(?:lieber )?tot|lieber tot)\b/,
  },
  {
    id: 'harm-oneself',
    intent: 'crisis',
    pattern:
      /\b(?:etwas|was|mir) an ?(?:zu )?tu(?:n|e)\b|\bantue\b|\btu(?:e|n)? mir (?:\w+ ){0,2}(?:etwas|was) an\b/,
  },
  {
    id: 'self-injury',
    intent: 'crisis',
    pattern:
      /\b(?:mich|mir) (?:selbst |selber )?(?:verletz\w*|weh)\b|\bverletze mich\b|\britz(?:e|en)? (?:mich|ich)\b|\bselbst ?verletz/,
  },
  {
    id: 'no-way-out',
    intent: 'crisis',
    pattern: /\bkeinen? (?:sinn|ausweg)(?: mehr)?\b|\bkein ausweg\b/,
  },
  {
    id: 'pills-bridge',
    intent: 'crisis',
    pattern:
      /\balle tabletten\b|\btabletten (?:gesammelt|schlucken)\b|\bbruecke\b.*\bspring|\bvor (?:den|einen) zug\b/,
  },
  {
    id: 'final-farewell',
    intent: 'crisis',
    pattern:
      /\bschluss (?:machen )?mit allem\b|\bmach(?:e)? schluss\b|\bniemand wuerde mich vermissen\b|\bkeiner wuerde mich vermissen\b/,
  },
  // --- crisis: violence and threats at home
  {
    id: 'violence',
    intent: 'crisis',
    pattern:
      /\b(?:schlaegt|geschlagen|verpruegel\w*|pruegel\w*|gewuergt|wuergt|misshandel\w*|vergewaltig\w*|gewalttaetig\w*)\b|\b(?:haeusliche )?gewalt\b/,
  },
  { id: 'threat', intent: 'crisis', pattern: /\bbedroh\w*|\bmit (?:einem|dem) messer\b|\bwaffe\b/ },
  {
    id: 'shelter',
    intent: 'crisis',
    pattern:
      /\bvor (?:meinem|meiner|ihm|ihr)(?: \w+)? (?:geflohen|gefluechtet|abgehauen|weggelaufen)\b|\bfrauenhaus\b|\beingesperrt\b|\bzu ?hause nicht sicher\b|\bin gefahr\b/,
  },
  {
    id: 'afraid-of-person',
    intent: 'crisis',
    pattern: new RegExp(`\\bangst vor (?:meinem|meiner|ihm|ihr) ?${PERSON}?\\b`),
  },
  // --- emergency: food
  {
    id: 'no-food',
    intent: 'emergency',
    pattern:
      /\bnichts (?:mehr )?zu essen\b|\bkein(?:e|en)? (?:essen|lebensmittel|brot|babynahrung|windeln|nahrung)\b|\bnichts (?:mehr )?gegessen\b|\bnichts (?:mehr )?(?:zu )?essen\b|\b(?:vorschuss|nichts|kein\w*)(?: \w+)? (?:fuer|zum) essen\b|\bkeine medikamente\b|\b(?:hunger|hungrig|verhungern|verhungert)\b|\bkuehlschrank (?:ist )?leer\b|\blebensmittel ?gutschein/,
  },
  {
    id: 'no-money-left',
    intent: 'emergency',
    pattern:
      /\b(?:habe|hab|haben) (?:jetzt )?(?:gar |ueberhaupt |absolut )?(?:keinen cent|keinen euro|kein geld|nichts) mehr\b(?! (?:bekommen|erhalten|gekriegt|ueberwiesen|von))|\bkein(?:en)? (?:geld|cent) (?:mehr )?(?:fuer|zum) (?:essen|lebensmittel|medikamente|windeln|einkaufen)|\b(?:pleite|mittellos)\b|\bnot ?(?:fall|lage)\b/,
  },
  // --- emergency: power, gas, water, heating
  {
    id: 'utility-cut',
    intent: 'emergency',
    pattern:
      /\b(?:strom|gas|wasser|heizung|gasversorgung|stromversorgung)\b(?: \w+){0,3} (?:abgestellt|abgeschaltet|gesperrt|abgedreht|eingestellt|weg|aus|sperren|abstellen|abschalten)\b|\b(?:strom|gas|wasser) ?sperre|\b(?:ohne|keinen|kein) (?:strom|gas|warmes wasser)\b|\bkeine heizung\b|\bheizung (?:geht|funktioniert) nicht\b|\b(?:sperren|abstellen|abschalten|abdrehen)\w* (?:\w+ ){0,3}(?:strom|gas|wasser|heizung)\b|\beiskalt\b|\bwir frieren\b|\bim kalten\b/,
  },
  // --- emergency: eviction, homelessness
  {
    id: 'eviction',
    intent: 'emergency',
    pattern:
      /\b(?:zwangs ?)?raeumung|\b(?:zwangs ?)?geraeumt\b|\b(?:obdachlos|wohnungslos)\w*|\bauf der strasse\b|\bkeine bleibe\b|\bkein dach\b|\bnot ?unterkunft\b|\b(?:raus ?geworfen|raus ?werfen|wirft mich raus|ausgesperrt)\b|\bkeine wohnung mehr\b|\braeumt\b|\baus der wohnung (?:ge)?worfen\b|\b(?:wissen|weiss) nicht wohin\b|\bohne wohnung\b/,
  },
];

export interface SafetyMatch {
  intent: UrgentIntent;
  /** Ids of every rule that matched, for the audit trail and the supervisor's alert. */
  rules: string[];
}

/** The urgent intent the rules find in `text` (crisis before emergency), or undefined. */
export function matchSafetyRules(text: string): SafetyMatch | undefined {
  const folded = ` ${foldText(text.slice(0, MAX_SAFETY_CHARS))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
  const hits = SAFETY_RULES.filter((rule) => rule.pattern.test(folded));
  const crisis = hits.filter((rule) => rule.intent === 'crisis');
  if (crisis.length > 0) return { intent: 'crisis', rules: crisis.map((rule) => rule.id) };
  if (hits.length > 0) return { intent: 'emergency', rules: hits.map((rule) => rule.id) };
  return undefined;
}
