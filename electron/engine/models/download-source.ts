/**
 * What a download installs: a catalog model by id (its URL, size and
 * SHA-256 from catalog.ts), or any model given with its URL and a mandatory
 * SHA-256. Unverified downloads are refused: a catalog entry without a known
 * hash needs the hash from the caller.
 */
import { findCatalogModel } from './catalog';
import { ModelError } from './model-error';
import { checkId, normalizeSha256 } from './model-ids';

/** A download from outside the catalog: the hash is mandatory. */
export interface DownloadSpec {
  id: string;
  url: string;
  sha256: string;
  /** Exact zip size, when known: lets a wrong file fail before it is fetched. */
  sizeBytes?: number;
}

export interface ResolvedDownload {
  id: string;
  url: string;
  /** Expected SHA-256 (lower-case hex). */
  sha256: string;
  /** Exact zip size when known (a catalog entry without a caller's hash). */
  expectedBytes: number | null;
  maxUnpackedBytes: number;
}

/**
 * The download for `source`; `override` is a caller's expected SHA-256 (it
 * replaces or supplies the catalog's), `maxUnpackedBytes` the manager's limit.
 */
export function resolveDownload(
  source: string | DownloadSpec,
  override: string | undefined,
  maxUnpackedBytes: number,
): ResolvedDownload {
  const unverified = (id: string): ModelError =>
    new ModelError(
      'unverified',
      `No SHA-256 is known for ${id}; pass the expected hash to download it.`,
      { params: { id } },
    );
  if (typeof source === 'string') {
    const entry = findCatalogModel(source);
    if (!entry) {
      throw new ModelError('unknown_model', `${source} is not in the model catalog.`, {
        params: { id: source },
      });
    }
    const sha256 = normalizeSha256(override ?? entry.sha256);
    if (sha256 === null) throw unverified(entry.id);
    return {
      id: entry.id,
      url: entry.url,
      sha256,
      // A caller-supplied hash may belong to a re-published zip of another size.
      expectedBytes: override === undefined ? entry.sizeBytes : null,
      maxUnpackedBytes: Math.min(entry.maxUnpackedBytes, maxUnpackedBytes),
    };
  }
  checkId(source.id);
  const sha256 = normalizeSha256(override ?? source.sha256);
  if (sha256 === null) throw unverified(source.id);
  return {
    id: source.id,
    url: source.url,
    sha256,
    expectedBytes: source.sizeBytes ?? null,
    maxUnpackedBytes,
  };
}
