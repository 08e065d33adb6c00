/**
 * suggest (ranking): how long the caseworker's suggestions take on a big
 * knowledge base. Builds the index over 5,000 generated German articles
 * (generate-knowledge.ts), then replays generated calls – bot, caller and
 * agent segments – and ranks after every final segment, as the engine does,
 * half of the calls with a verified caller's case. Also times the search box.
 *
 * Env: LOTSE_BENCH_ARTICLES (default 5000), LOTSE_BENCH_RANKINGS (default 400).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { CaseContext } from '../../../electron/engine/cases/case-system';
import { SuggestionRanker } from '../../../electron/engine/knowledge/suggestions';
import { progress } from '../report';
import { generateCalls, generateKnowledge } from './generate-knowledge';

type Report = (bench: string, metric: string, value: number, unit: string) => void;

const ARTICLES = Number(process.env.LOTSE_BENCH_ARTICLES ?? 5000);
const RANKINGS = Number(process.env.LOTSE_BENCH_RANKINGS ?? 400);
const WARM_UP = 60;
const SEARCHES = 300;

const CASE: CaseContext = {
  caseId: 'bench',
  bgNumber: '12345BG0000001',
  client: {
    firstName: 'Erika',
    lastName: 'Beispiel',
    dateOfBirth: '1980-04-12',
    role: 'applicant',
  },
  members: [],
  benefitPeriod: { start: '2026-06-01', end: '2026-11-30' },
  nextPayment: { date: '2026-12-01', amountCents: 101320, forMonth: '2026-12' },
  applications: [
    {
      type: 'continuation_application',
      receivedDate: '2026-11-03',
      status: 'documents_missing',
      missingDocuments: ['Kontoauszüge'],
    },
  ],
  appointments: [
    { date: '2026-12-02', time: '10:30', kind: 'in_person', place: 'Raum 1.02', topic: 'Beratung' },
  ],
  notes: [],
  caseworker: null,
};

/** A full garbage collection, so the heap figure is the index and not the build's garbage. */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

function summary(report: Report, metric: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  report('suggest', `${metric}_median`, percentile(sorted, 50), 'ms');
  report('suggest', `${metric}_p95`, percentile(sorted, 95), 'ms');
  report('suggest', `${metric}_max`, sorted[sorted.length - 1] ?? NaN, 'ms');
}

export async function runRanking(report: Report): Promise<void> {
  progress(`suggest: generating ${ARTICLES} articles`);
  let started = performance.now();
  const articles = generateKnowledge(ARTICLES);
  report('suggest', 'generate_ms', performance.now() - started, 'ms');

  const gc = collector();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const ranker = new SuggestionRanker(articles);
  report('suggest', 'index_build_ms', performance.now() - started, 'ms');
  gc();
  // The index, the article objects it keeps and the word caches.
  report('suggest', 'index_heap_mb', (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20, 'MB');
  report('suggest', 'articles', ARTICLES, 'count');
  report('suggest', 'index_terms', ranker.index.termCount, 'count');

  const calls = generateCalls(Math.ceil((RANKINGS + WARM_UP) / 8) + 10);
  const times: number[] = [];
  let done = 0;
  let windowWords = 0;
  let matched = 0;
  for (const [n, call] of calls.entries()) {
    const verified = n % 2 === 0;
    for (let end = 1; end <= call.segments.length; end++) {
      if (done >= RANKINGS + WARM_UP) break;
      const segments = call.segments.slice(0, end);
      // The NLU knows the concern once the caller has said it.
      const intent = end >= 2 ? call.intent : null;
      const t0 = performance.now();
      const list = ranker.rank({
        segments,
        intent,
        caseContext: verified && end >= 4 ? CASE : null,
      });
      const elapsed = performance.now() - t0;
      done++;
      if (done > WARM_UP) {
        times.push(elapsed);
        windowWords += segments.reduce((sum, s) => sum + s.text.split(/\s+/).length, 0);
        if (list[0]?.articleId.includes(call.intent.replace(/_/g, '-'))) matched++;
      }
    }
    // Let the event loop breathe between calls, as the engine would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  report('suggest', 'rankings', times.length, 'count');
  summary(report, 'rank', times);
  report('suggest', 'rank_transcript_words_mean', windowWords / Math.max(1, times.length), 'words');
  report('suggest', 'rank_top1_intent_share', (100 * matched) / Math.max(1, times.length), '%');

  const queries = [
    'Nebenkostenabrechnung',
    'Miete erhöht',
    'Krankmeldungen',
    'Widerspruch Frist',
    'Kontoausz',
    'Weiterbewilligungsantrag stellen',
    'Termin versch',
    'Heizkosten Nachzahlung',
    'Wiederspruch',
    'Bildungsgutschein',
  ];
  const searchTimes: number[] = [];
  for (let i = 0; i < SEARCHES + 30; i++) {
    const query = queries[i % queries.length] as string;
    const t0 = performance.now();
    ranker.search(query);
    if (i >= 30) searchTimes.push(performance.now() - t0);
  }
  summary(report, 'search', searchTimes);
}
