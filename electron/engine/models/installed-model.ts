/**
 * An installed speech model as the manager reports it, and the record it
 * keeps beside the model's files (models/<id>/.lotse-model.json): where the
 * model came from, its SHA-256 and whether that was checked, its sample rate
 * and size. A folder copied in by hand has no record and is described from
 * its files.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { findCatalogModel, type CatalogModel } from './catalog';
import { measureFolder, readModelSampleRate } from './model-folder';

const META_FILE = '.lotse-model.json';

export const modelSourceSchema = z.enum(['download', 'zip', 'folder', 'unknown']);
export type ModelSource = z.infer<typeof modelSourceSchema>;

export interface InstalledModel {
  id: string;
  /** Absolute path of the model folder: what the speech engine passes to vosk_model_new. */
  path: string;
  sizeBytes: number;
  /** From conf/mfcc.conf; null when it cannot be read. */
  sampleRate: number | null;
  /** ISO 8601. */
  installedAt: string;
  active: boolean;
  source: ModelSource;
  /** SHA-256 of the zip it came from (null for folder imports and unknown origins). */
  sha256: string | null;
  /** True when that SHA-256 was compared with an expected value before installing. */
  verified: boolean;
  catalog: CatalogModel | null;
}

/** The record beside the model's files. */
const metaSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  installedAt: z.string(),
  source: modelSourceSchema,
  origin: z.string().nullable(),
  sha256: z.string().nullable(),
  verified: z.boolean(),
  sampleRate: z.number(),
  sizeBytes: z.number(),
});
export type ModelMeta = z.infer<typeof metaSchema>;

/** Writes the record into a model folder (before it is renamed into place). */
export async function writeModelMeta(folder: string, meta: ModelMeta): Promise<void> {
  await fsp.writeFile(path.join(folder, META_FILE), JSON.stringify(meta, null, 2) + '\n');
}

/** What is installed in `folder` (models/<id>): from its record, or, copied in by hand, from the files. */
export async function describeInstalled(
  folder: string,
  id: string,
  activeId: string | null,
): Promise<InstalledModel> {
  let meta: ModelMeta | null = null;
  try {
    meta = metaSchema.parse(JSON.parse(await fsp.readFile(path.join(folder, META_FILE), 'utf8')));
  } catch {
    // Copied in by hand: describe what is there.
  }
  let sampleRate: number | null = meta?.sampleRate ?? null;
  if (meta === null) {
    sampleRate = await readModelSampleRate(folder).catch(() => null);
    if (sampleRate !== null && Number.isNaN(sampleRate)) sampleRate = null;
  }
  let sizeBytes = meta?.sizeBytes ?? 0;
  if (meta === null) sizeBytes = (await measureFolder(folder).catch(() => null))?.sizeBytes ?? 0;
  const installedAt = meta?.installedAt ?? (await fsp.stat(folder)).mtime.toISOString();
  return {
    id,
    path: folder,
    sizeBytes,
    sampleRate,
    installedAt,
    active: id === activeId,
    source: meta?.source ?? 'unknown',
    sha256: meta?.sha256 ?? null,
    verified: meta?.verified ?? false,
    catalog: findCatalogModel(id) ?? null,
  };
}
