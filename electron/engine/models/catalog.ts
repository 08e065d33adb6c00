/**
 * The Vosk models Lotse knows by name: German for every call, and small models
 * for the other languages callers speak (Ukrainian, Russian, Turkish, Arabic,
 * English). The catalog is what the settings screen offers for download.
 *
 * Every entry carries the SHA-256 and byte size of the zip as published on
 * alphacephei.com, so a download is checked against a value fixed in our code,
 * not against whatever the server says. Alpha Cephei publishes no checksums on
 * its models page; the values below were collected from public sources that
 * downloaded the same URL independently and agree with each other (Git LFS
 * pointers of the Hugging Face mirrors rhasspy/vosk-models and
 * mychen76/vosk-models, whose LFS oid *is* the file's SHA-256, and the pinned
 * hashes in several unrelated open-source projects). `sha256Source` records
 * where each value came from. A wrong value can only make a download fail
 * with 'checksum' – it can never let a different file in.
 *
 * An entry with `sha256: null` (none today; kept for models added before their
 * hash is known) cannot be downloaded by id: ModelManager.download refuses it
 * with 'unverified' unless the caller passes an expected hash explicitly.
 *
 * Lotse feeds every recognizer 16 kHz audio (telephone audio is resampled up),
 * so only 16 kHz models belong here; the installer checks conf/mfcc.conf anyway.
 */

export interface CatalogModel {
  /** Folder name inside the zip and under <dataDir>/models/. */
  id: string;
  /** BCP-47 language tag of the callers this model is for. */
  language: string;
  /** Shown in the settings screen, beside the size (which the screen formats: never in the title). */
  titleDe: string;
  titleEn: string;
  url: string;
  /** Size of the zip in bytes. */
  sizeBytes: number;
  /** Lowercase hex SHA-256 of the zip, or null when no trustworthy value is known. */
  sha256: string | null;
  /** Where the SHA-256 was found (for the next person who has to check it). */
  sha256Source: string | null;
  sampleRate: 16000;
  /** Upper bound for the unpacked size: tighter than the global zip-bomb limit. */
  maxUnpackedBytes: number;
  /** Published word error rates, for the settings screen. */
  wer?: Readonly<Record<string, number>>;
  notes?: string;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BASE = 'https://alphacephei.com/vosk/models/';

const LFS_RHASSPY = 'Git LFS oid in huggingface.co/rhasspy/vosk-models (commit e7ac210)';
const LFS_MYCHEN = 'Git LFS oid in huggingface.co/mychen76/vosk-models';
const PINNED = 'pinned by several unrelated open-source projects with the same byte size';

export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: 'vosk-model-small-de-0.15',
    language: 'de',
    titleDe: 'Deutsch (klein, empfohlen)',
    titleEn: 'German (small, recommended)',
    url: `${BASE}vosk-model-small-de-0.15.zip`,
    sizeBytes: 46_499_967,
    sha256: 'b7e53c90b1f0a38456f4cd62b366ecd58803cd97cd42b06438e2c131713d5e43',
    sha256Source: `${PINNED} (size also listed by exteraGram's Vosk model list)`,
    sampleRate: 16000,
    maxUnpackedBytes: 512 * MiB,
    wer: { 'tuda-de': 13.75, podcast: 30.67 },
  },
  {
    id: 'vosk-model-de-0.21',
    language: 'de',
    titleDe: 'Deutsch (groß, braucht viel Arbeitsspeicher)',
    titleEn: 'German (large, needs a lot of memory)',
    url: `${BASE}vosk-model-de-0.21.zip`,
    sizeBytes: 2_031_717_803,
    sha256: '245060756f8d8394fc5b13639cf220b7620205795f30f37b6823878d4f603b2a',
    sha256Source: `${LFS_MYCHEN}; ${PINNED}`,
    sampleRate: 16000,
    maxUnpackedBytes: 6 * GiB,
    notes: 'Server-class model: several GB of RAM while loaded.',
  },
  {
    id: 'vosk-model-small-uk-v3-nano',
    language: 'uk',
    titleDe: 'Ukrainisch (klein)',
    titleEn: 'Ukrainian (small)',
    url: `${BASE}vosk-model-small-uk-v3-nano.zip`,
    sizeBytes: 77_622_640,
    sha256: 'd6b50be0a2d20f891720f3a83c98290bb2d396fd666142dbf716e8ad302f8233',
    sha256Source: `${LFS_MYCHEN}; one open-source project pins the same value`,
    sampleRate: 16000,
    maxUnpackedBytes: 512 * MiB,
  },
  {
    id: 'vosk-model-small-ru-0.22',
    language: 'ru',
    titleDe: 'Russisch (klein)',
    titleEn: 'Russian (small)',
    url: `${BASE}vosk-model-small-ru-0.22.zip`,
    sizeBytes: 46_236_750,
    sha256: '961d5ff98a17f4aa6de69864d0aa71fa5bac682301d2b5d17a3f24c5c99a46d4',
    sha256Source: `huggingface.co/ZOKHID/univoice-vosk (unchanged copy, same size); ${PINNED}`,
    sampleRate: 16000,
    maxUnpackedBytes: 512 * MiB,
  },
  {
    id: 'vosk-model-small-tr-0.3',
    language: 'tr',
    titleDe: 'Türkisch (klein)',
    titleEn: 'Turkish (small)',
    url: `${BASE}vosk-model-small-tr-0.3.zip`,
    sizeBytes: 36_855_784,
    sha256: '8c8d07cec1bce31add14967c16891c84152cdf76d391e33c08278119b9ea96e5',
    sha256Source: `${LFS_RHASSPY}; ${PINNED}`,
    sampleRate: 16000,
    maxUnpackedBytes: 512 * MiB,
  },
  {
    // Alpha Cephei has no small model for Modern Standard Arabic; the MGB-2
    // model is the smallest one (the small "ar-tn" model is Tunisian dialect).
    id: 'vosk-model-ar-mgb2-0.4',
    language: 'ar',
    titleDe: 'Arabisch (kein kleines Modell verfügbar)',
    titleEn: 'Arabic (no small model exists)',
    url: `${BASE}vosk-model-ar-mgb2-0.4.zip`,
    sizeBytes: 333_241_610,
    sha256: '357469ae1bb4d7a3810c9cd6b86d33bc135898dfc134e6df8bc2ddd28c5fe77a',
    sha256Source: `${LFS_RHASSPY}; ${PINNED}`,
    sampleRate: 16000,
    maxUnpackedBytes: 2 * GiB,
    notes: 'Modern Standard Arabic (MGB-2 broadcast news); dialects are recognised less well.',
  },
  {
    id: 'vosk-model-small-en-us-0.15',
    language: 'en-US',
    titleDe: 'Englisch (US, klein)',
    titleEn: 'English (US, small)',
    url: `${BASE}vosk-model-small-en-us-0.15.zip`,
    sizeBytes: 41_205_931,
    sha256: '30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498',
    sha256Source: `Git LFS oid in huggingface.co/rhasspy/vosk-models (commit 7a93adc); ${PINNED}`,
    sampleRate: 16000,
    maxUnpackedBytes: 512 * MiB,
  },
];

/** The model a fresh installation suggests first. */
export const DEFAULT_MODEL_ID = 'vosk-model-small-de-0.15';

export function findCatalogModel(id: string): CatalogModel | undefined {
  return MODEL_CATALOG.find((m) => m.id === id);
}
