/**
 * What a reviewer sees per knowledge article: in how many calls agents marked
 * it helpful, not helpful, pinned, copied or used it, and how often saved
 * wrap-ups listed it as shown or used – counted per call, so a double click
 * does not count twice.
 */
import type { SqlExecutor, SqlRow } from '../store/db/sql-database';

export interface ArticleSummary {
  articleId: string;
  /** Calls in which the agent marked it helpful / not helpful. */
  helpful: number;
  notHelpful: number;
  pinned: number;
  copied: number;
  used: number;
  /** Saved wrap-ups that listed it as shown / used. */
  shownInWrapUps: number;
  usedInWrapUps: number;
  lastAt: string | null;
}

/**
 * Per article: in how many calls it was marked helpful, not helpful, pinned,
 * copied or used, and how often saved wrap-ups listed it as shown or used.
 * Counted per call, so a double click does not count twice. Most used first.
 */
export async function summarizeArticles(db: SqlExecutor): Promise<ArticleSummary[]> {
  const feedback = await db.query(
    `SELECT article_id,
       CAST(COUNT(DISTINCT CASE WHEN action = 'helpful' THEN call_id END) AS INTEGER) AS helpful,
       CAST(COUNT(DISTINCT CASE WHEN action = 'not_helpful' THEN call_id END) AS INTEGER) AS not_helpful,
       CAST(COUNT(DISTINCT CASE WHEN action = 'pinned' THEN call_id END) AS INTEGER) AS pinned,
       CAST(COUNT(DISTINCT CASE WHEN action = 'copied' THEN call_id END) AS INTEGER) AS copied,
       CAST(COUNT(DISTINCT CASE WHEN action = 'used' THEN call_id END) AS INTEGER) AS used,
       MAX(at) AS last_at
     FROM suggestion_feedback GROUP BY article_id`,
  );
  const wrapUps = await db.query(
    `SELECT a.article_id,
       CAST(SUM(CASE WHEN a.role = 'shown' THEN 1 ELSE 0 END) AS INTEGER) AS shown,
       CAST(SUM(CASE WHEN a.role = 'used' THEN 1 ELSE 0 END) AS INTEGER) AS used,
       MAX(w.at) AS last_at
     FROM wrap_up_articles a JOIN wrap_ups w ON w.id = a.wrap_up_id
     GROUP BY a.article_id`,
  );
  const byArticle = new Map<string, ArticleSummary>();
  const entry = (articleId: string): ArticleSummary => {
    let found = byArticle.get(articleId);
    if (!found) {
      found = {
        articleId,
        helpful: 0,
        notHelpful: 0,
        pinned: 0,
        copied: 0,
        used: 0,
        shownInWrapUps: 0,
        usedInWrapUps: 0,
        lastAt: null,
      };
      byArticle.set(articleId, found);
    }
    return found;
  };
  const later = (a: string | null, b: string | null): string | null =>
    a === null ? b : b === null ? a : a > b ? a : b;
  for (const row of feedback) {
    const item = entry(String(row.article_id));
    item.helpful = Number(row.helpful);
    item.notHelpful = Number(row.not_helpful);
    item.pinned = Number(row.pinned);
    item.copied = Number(row.copied);
    item.used = Number(row.used);
    item.lastAt = later(item.lastAt, text(row, 'last_at'));
  }
  for (const row of wrapUps) {
    const item = entry(String(row.article_id));
    item.shownInWrapUps = Number(row.shown);
    item.usedInWrapUps = Number(row.used);
    item.lastAt = later(item.lastAt, text(row, 'last_at'));
  }
  const weight = (a: ArticleSummary): number =>
    a.used + a.usedInWrapUps + a.copied + a.pinned + a.helpful + a.notHelpful;
  return [...byArticle.values()].sort(
    (a, b) => weight(b) - weight(a) || a.articleId.localeCompare(b.articleId),
  );
}

function text(row: SqlRow, key: string): string | null {
  const value = row[key];
  return value === null || value === undefined ? null : String(value);
}
