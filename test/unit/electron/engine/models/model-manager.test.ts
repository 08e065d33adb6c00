import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Logger, type LogEntry } from '../../../../../electron/engine/log/logger';
import { findCatalogModel, MODEL_CATALOG } from '../../../../../electron/engine/models/catalog';
import type { DownloadProgress } from '../../../../../electron/engine/models/download-to-file';
import { errorReasonSchema, type ModelErrorCode } from '../../../../../electron/contract';
import { ModelError } from '../../../../../electron/engine/models/model-error';
import {
  ModelManager,
  type ModelLimits,
} from '../../../../../electron/engine/models/model-manager';
import { checkEntryName } from '../../../../../electron/engine/models/safe-unzip';
import {
  modelFiles,
  modelZip,
  sha256,
  treeHash,
  writeModelFolder,
  zipBuffer,
  type ModelFolderOptions,
  type ZipEntry,
} from './model-fixture';

// ── a real HTTP server on 127.0.0.1 whose routes each test sets ────────────

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Route>();
const hits = new Map<string, number>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const route = routes.get(url);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Serves `data` with Content-Length, in `chunks` pieces with a pause between them. */
function serveZip(route: string, data: Buffer, chunks = 4, pauseMs = 15): string {
  routes.set(route, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': data.length });
    void (async () => {
      const size = Math.ceil(data.length / chunks);
      for (let at = 0; at < data.length; at += size) {
        if (res.destroyed) return;
        res.write(data.subarray(at, at + size));
        await sleep(pauseMs);
      }
      res.end();
    })();
  });
  return base + route;
}

// ── per-test data folder with one installed, active model ("base") ─────────

let tmp: string;
let dataDir: string;
/** Where zips and folders to import come from (a USB stick, say). */
let incoming: string;
let logs: LogEntry[];
let logger: Logger;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-models-'));
  dataDir = path.join(tmp, 'data');
  incoming = path.join(tmp, 'in');
  fs.mkdirSync(incoming);
  logs = [];
  logger = new Logger({ stderr: false });
  logger.addSink((e) => logs.push(e));
  routes.clear();
  hits.clear();
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function manager(limits: Partial<ModelLimits> = {}, fetchImpl?: typeof fetch): ModelManager {
  return new ModelManager({ dataDir, log: logger.scope('models'), limits, fetch: fetchImpl });
}

/** Installs and activates "base" from a folder, and returns the manager and its tree hash. */
async function withBaseModel(
  limits: Partial<ModelLimits> = {},
  fetchImpl?: typeof fetch,
): Promise<{ models: ModelManager; baseHash: string }> {
  const models = manager(limits, fetchImpl);
  const source = writeModelFolder(path.join(incoming, 'base'), { marker: 'base' });
  await models.importFolder(source, { activate: true });
  expect(models.activeId()).toBe('base');
  return { models, baseHash: treeHash(path.join(dataDir, 'models', 'base')) };
}

async function expectModelError(
  promise: Promise<unknown>,
  code: ModelErrorCode,
): Promise<ModelError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).code).toBe(code);
  expect((error as ModelError).message.length).toBeGreaterThan(10);
  // The screen words the error from its reason (the contract's list), in German and English.
  expect(errorReasonSchema.safeParse((error as ModelError).reason).success).toBe(true);
  return error as ModelError;
}

/** After any failure: base still active and byte-identical, nothing else installed, no work folders left. */
async function expectUntouched(models: ModelManager, baseHash: string): Promise<void> {
  const modelsDir = path.join(dataDir, 'models');
  expect(models.activeId()).toBe('base');
  expect(models.active()).toBe(path.join(modelsDir, 'base'));
  expect(treeHash(path.join(modelsDir, 'base'))).toBe(baseHash);
  expect(fs.readdirSync(modelsDir).sort()).toEqual(['active.json', 'base']);
  const listing = await models.list();
  expect(listing.installed.map((m) => m.id)).toEqual(['base']);
  // nothing escaped the models folder either
  expect(fs.readdirSync(tmp).sort()).toEqual(['data', 'in']);
  expect(fs.readdirSync(dataDir)).toEqual(['models']);
}

function zipFile(name: string, data: Buffer): string {
  const file = path.join(incoming, name);
  fs.writeFileSync(file, data);
  return file;
}

// ── catalog ────────────────────────────────────────────────────────────────

describe('catalog', () => {
  it('lists 16 kHz models with unique ids, https URLs named after the id, and well-formed hashes', () => {
    const ids = MODEL_CATALOG.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const model of MODEL_CATALOG) {
      expect(model.url).toBe(`https://alphacephei.com/vosk/models/${model.id}.zip`);
      expect(model.sampleRate).toBe(16000);
      expect(model.sha256 === null || /^[0-9a-f]{64}$/.test(model.sha256)).toBe(true);
      expect(model.sha256 === null || model.sha256Source !== null).toBe(true);
      expect(model.sizeBytes).toBeGreaterThan(1_000_000);
    }
    for (const language of ['de', 'uk', 'ru', 'tr', 'ar', 'en-US']) {
      expect(MODEL_CATALOG.some((m) => m.language === language)).toBe(true);
    }
    expect(findCatalogModel('vosk-model-small-de-0.15')?.wer).toEqual({
      'tuda-de': 13.75,
      podcast: 30.67,
    });
  });

  it('keeps sizes out of the titles: the screen shows the size once, in its own units', () => {
    for (const model of MODEL_CATALOG) {
      for (const title of [model.titleDe, model.titleEn]) {
        expect(title, model.id).not.toMatch(/\d\s*([kMG]i?B|[KMG]\b)/);
      }
    }
  });
});

// ── downloads ──────────────────────────────────────────────────────────────

describe('download', () => {
  it('streams, reports progress, verifies, installs and activates the first model', async () => {
    const models = manager();
    const zip = await modelZip({ top: 'vosk-model-test-0.1' });
    const url = serveZip('/model.zip', zip, 5);
    const events: DownloadProgress[] = [];
    const changes: (string | null)[] = [];
    models.onActiveChange((m) => changes.push(m?.id ?? null));

    const installed = await models.download(
      { id: 'test-model', url, sha256: sha256(zip).toUpperCase() },
      { onProgress: (p) => events.push(p) },
    );

    expect(installed).toMatchObject({
      id: 'test-model',
      path: path.join(dataDir, 'models', 'test-model'),
      sampleRate: 16000,
      active: true,
      source: 'download',
      sha256: sha256(zip),
      verified: true,
      catalog: null,
    });
    expect(installed.sizeBytes).toBeGreaterThan(2048);
    expect(Date.parse(installed.installedAt)).not.toBeNaN();
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toEqual({ receivedBytes: 0, totalBytes: zip.length });
    expect(events.at(-1)).toEqual({ receivedBytes: zip.length, totalBytes: zip.length });
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.receivedBytes).toBeGreaterThanOrEqual(events[i - 1]!.receivedBytes);
    }
    expect(models.active()).toBe(installed.path);
    expect(changes).toEqual(['test-model']);
    // the zip's top folder was stripped
    expect(fs.existsSync(path.join(installed.path, 'am', 'final.mdl'))).toBe(true);
    expect(fs.readdirSync(path.join(dataDir, 'models')).sort()).toEqual([
      'active.json',
      'test-model',
    ]);
    const listing = await models.list();
    expect(listing.installed.map((m) => m.id)).toEqual(['test-model']);
    expect(listing.catalog.find((c) => c.id === 'vosk-model-small-de-0.15')).toMatchObject({
      installed: false,
      active: false,
    });
  });

  it('keeps the active model when a second one is downloaded without activate, and switches with it', async () => {
    const { models } = await withBaseModel();
    const zip = await modelZip();
    const url = serveZip('/second.zip', zip);
    const second = await models.download({ id: 'second', url, sha256: sha256(zip) });
    expect(second.active).toBe(false);
    expect(models.activeId()).toBe('base');
    const third = await models.download(
      { id: 'third', url, sha256: sha256(zip) },
      { activate: true },
    );
    expect(third.active).toBe(true);
    expect(models.activeId()).toBe('third');
  });

  it('refuses a file whose SHA-256 differs', async () => {
    const { models, baseHash } = await withBaseModel();
    const zip = await modelZip();
    const url = serveZip('/model.zip', zip);
    const error = await expectModelError(
      models.download({ id: 'new', url, sha256: 'ab'.repeat(32) }, { activate: true }),
      'checksum',
    );
    expect(error.message).toContain(sha256(zip));
    await expectUntouched(models, baseHash);
    expect(logs.some((e) => e.level === 'warn' && e.message.includes('checksum'))).toBe(true);
  });

  it('reports a server that closes the connection half-way as incomplete', async () => {
    const { models, baseHash } = await withBaseModel();
    const zip = await modelZip();
    routes.set('/half.zip', (_req, res) => {
      res.writeHead(200, { 'content-length': zip.length });
      res.write(zip.subarray(0, zip.length >> 1), () => setTimeout(() => res.destroy(), 20));
    });
    await expectModelError(
      models.download(
        { id: 'new', url: `${base}/half.zip`, sha256: sha256(zip) },
        { activate: true },
      ),
      'incomplete',
    );
    await expectUntouched(models, baseHash);
  });

  it('reports a chunked download that breaks off as incomplete', async () => {
    const { models, baseHash } = await withBaseModel();
    const zip = await modelZip();
    routes.set('/chunked.zip', (_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(zip.subarray(0, 1000), () => setTimeout(() => res.destroy(), 20));
    });
    await expectModelError(
      models.download({ id: 'new', url: `${base}/chunked.zip`, sha256: sha256(zip) }),
      'incomplete',
    );
    await expectUntouched(models, baseHash);
  });

  it('reports a server error as a network problem', async () => {
    const { models, baseHash } = await withBaseModel();
    routes.set('/broken.zip', (_req, res) => res.writeHead(503).end('maintenance'));
    const error = await expectModelError(
      models.download({ id: 'new', url: `${base}/broken.zip`, sha256: 'ab'.repeat(32) }),
      'network',
    );
    expect(error.message).toContain('503');
    await expectUntouched(models, baseHash);
  });

  it('reports an unreachable server as a network problem', async () => {
    const { models, baseHash } = await withBaseModel();
    // a port that was just free: nothing listens there
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await expectModelError(
      models.download({
        id: 'new',
        url: `http://127.0.0.1:${port}/x.zip`,
        sha256: 'ab'.repeat(32),
      }),
      'network',
    );
    await expectUntouched(models, baseHash);
  });

  it('stops when the caller aborts mid-way', async () => {
    const { models, baseHash } = await withBaseModel();
    const zip = await modelZip();
    const url = serveZip('/slow.zip', zip, 20, 50);
    const controller = new AbortController();
    const promise = models.download(
      { id: 'new', url, sha256: sha256(zip) },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.receivedBytes > 0) controller.abort();
        },
      },
    );
    await expectModelError(promise, 'aborted');
    await expectUntouched(models, baseHash);
  });

  it('does not start when the signal is already aborted', async () => {
    const { models, baseHash } = await withBaseModel();
    serveZip('/never.zip', Buffer.from('x'));
    await expectModelError(
      models.download(
        { id: 'new', url: `${base}/never.zip`, sha256: 'ab'.repeat(32) },
        { signal: AbortSignal.abort() },
      ),
      'aborted',
    );
    expect(hits.get('/never.zip')).toBeUndefined();
    await expectUntouched(models, baseHash);
  });

  it('gives up on a server that stalls', async () => {
    const { models, baseHash } = await withBaseModel({ idleTimeoutMs: 200 });
    routes.set('/stall.zip', (_req, res) => {
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(Buffer.alloc(1000));
    });
    const error = await expectModelError(
      models.download({ id: 'new', url: `${base}/stall.zip`, sha256: 'ab'.repeat(32) }),
      'network',
    );
    expect(error.message).toMatch(/sent nothing/);
    await expectUntouched(models, baseHash);
  });

  it('refuses downloads larger than the limit, before and while receiving', async () => {
    const { models, baseHash } = await withBaseModel({ maxDownloadBytes: 10_000 });
    serveZip('/big.zip', Buffer.alloc(20_000));
    await expectModelError(
      models.download({ id: 'new', url: `${base}/big.zip`, sha256: 'ab'.repeat(32) }),
      'too_large',
    );
    routes.set('/big-chunked.zip', (_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.end(Buffer.alloc(20_000));
    });
    await expectModelError(
      models.download({ id: 'new', url: `${base}/big-chunked.zip`, sha256: 'ab'.repeat(32) }),
      'too_large',
    );
    await expectUntouched(models, baseHash);
  });

  it('refuses to download without an expected hash, without contacting the server', async () => {
    const { models, baseHash } = await withBaseModel();
    serveZip('/model.zip', await modelZip());
    await expectModelError(
      models.download({ id: 'new', url: `${base}/model.zip`, sha256: '' }),
      'unverified',
    );
    await expectModelError(
      models.download({ id: 'new', url: `${base}/model.zip`, sha256: 'not-a-hash' }),
      'unverified',
    );
    await expectModelError(models.download('vosk-model-does-not-exist'), 'unknown_model');
    expect(hits.size).toBe(0);
    await expectUntouched(models, baseHash);
  });

  it('checks a catalog download against the catalog size and hash, unless the caller supplies a hash', async () => {
    // The catalog URL points at alphacephei.com; this fetch sends the same
    // request to the local server instead (real HTTP, only the host differs).
    const viaLocal: typeof fetch = (input, init) => {
      const url = new URL(typeof input === 'string' ? input : (input as URL).toString());
      return fetch(`${base}${url.pathname}`, init);
    };
    const { models, baseHash } = await withBaseModel({}, viaLocal);
    const zip = await modelZip({ top: 'vosk-model-small-de-0.15' });
    serveZip('/vosk/models/vosk-model-small-de-0.15.zip', zip);

    const error = await expectModelError(models.download('vosk-model-small-de-0.15'), 'checksum');
    expect(error.message).toContain('46499967');
    await expectUntouched(models, baseHash);

    const installed = await models.download('vosk-model-small-de-0.15', { sha256: sha256(zip) });
    expect(installed.catalog?.id).toBe('vosk-model-small-de-0.15');
    expect(models.activeId()).toBe('base');
  });
});

// ── zips: offline import and the unpacking guards ─────────────────────────

describe('importZip', () => {
  it('installs a zip with one top folder under that folder name', async () => {
    const { models } = await withBaseModel();
    const file = zipFile('from-usb-stick.zip', await modelZip({ top: 'vosk-model-small-xx-0.1' }));
    const installed = await models.importZip(file);
    expect(installed).toMatchObject({
      id: 'vosk-model-small-xx-0.1',
      source: 'zip',
      verified: false,
      active: false,
      sampleRate: 16000,
    });
    const folder = path.join(dataDir, 'models', 'vosk-model-small-xx-0.1');
    expect(fs.readdirSync(folder).sort()).toEqual(['.lotse-model.json', 'am', 'conf', 'graph']);
  });

  it('installs a zip without a top folder under the zip name, or the id given', async () => {
    const { models } = await withBaseModel();
    const file = zipFile('my model (copy).zip', await modelZip({ top: null, graph: 'static' }));
    expect((await models.importZip(file)).id).toBe('my-model-copy-');
    expect((await models.importZip(file, { id: 'chosen' })).id).toBe('chosen');
    expect(fs.existsSync(path.join(dataDir, 'models', 'chosen', 'graph', 'HCLG.fst'))).toBe(true);
  });

  it('verifies a zip that carries a catalog file name against the catalog hash', async () => {
    const { models, baseHash } = await withBaseModel();
    const file = zipFile(
      'vosk-model-small-de-0.15.zip',
      await modelZip({ top: 'vosk-model-small-de-0.15' }),
    );
    await expectModelError(models.importZip(file, { activate: true }), 'checksum');
    await expectUntouched(models, baseHash);
  });

  it('verifies against a hash the caller gives', async () => {
    const { models, baseHash } = await withBaseModel();
    const data = await modelZip();
    const file = zipFile('model.zip', data);
    await expectModelError(models.importZip(file, { sha256: 'cd'.repeat(32) }), 'checksum');
    await expectModelError(models.importZip(file, { sha256: 'nonsense' }), 'unverified');
    await expectUntouched(models, baseHash);
    expect((await models.importZip(file, { sha256: sha256(data) })).verified).toBe(true);
  });

  it('rejects an entry named ../evil without writing it anywhere', async () => {
    const { models, baseHash } = await withBaseModel();
    const data = await zipBuffer(
      [
        { name: 'vosk-model-x/', directory: true },
        { name: 'vosk-model-x/conf/model.conf', data: Buffer.from('--x=1\n') },
        { name: 'QQQQQQQ', data: Buffer.from('evil') },
        { name: 'vosk-model-x/ZZZZZZZZZZZZZ', data: Buffer.from('evil') },
      ],
      { QQQQQQQ: '../evil', ZZZZZZZZZZZZZ: '../../../evil' },
    );
    const error = await expectModelError(models.importZip(zipFile('evil.zip', data)), 'traversal');
    expect(error.message).toContain('../evil');
    await expectUntouched(models, baseHash);
  });

  it('rejects absolute paths, drive letters and backslashes', async () => {
    const { models, baseHash } = await withBaseModel();
    const cases: Record<string, string> = {
      YYYYYYYYYYYYY: '/tmp/evil.txt',
      XXXXXXXXXXXXXXXX: 'C:/Windows/evil',
      WWWWWWWWWWWWWWWW: 'model\\..\\..\\evil',
    };
    for (const [placeholder, hostile] of Object.entries(cases)) {
      const padded = hostile.padEnd(placeholder.length, 'x').slice(0, placeholder.length);
      const data = await zipBuffer([{ name: placeholder, data: Buffer.from('evil') }], {
        [placeholder]: padded,
      });
      await expectModelError(
        models.importZip(zipFile(`hostile-${placeholder[0]}.zip`, data)),
        'traversal',
      );
    }
    await expectUntouched(models, baseHash);
    expect(fs.existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('rejects symbolic links in the zip', async () => {
    const { models, baseHash } = await withBaseModel();
    const entries = modelEntries();
    entries.push({
      name: 'vosk-model-x/graph/link',
      data: Buffer.from('/etc/passwd'),
      mode: 0o120777,
    });
    const file = zipFile('link.zip', await zipBuffer(entries));
    await expectModelError(models.importZip(file), 'traversal');
    await expectUntouched(models, baseHash);
  });

  it('rejects zips with too many files or too many bytes (zip bombs)', async () => {
    const { models, baseHash } = await withBaseModel({
      maxEntries: 8,
      maxUnpackedBytes: 1_000_000,
    });
    const many = Array.from({ length: 20 }, (_, i) => ({
      name: `f${i}.txt`,
      data: Buffer.from('x'),
    }));
    const manyFile = zipFile('many.zip', await zipBuffer(many));
    await expectModelError(models.importZip(manyFile), 'too_large');
    // 5 MB of zeros compresses to a few KB
    const bomb = zipFile(
      'bomb.zip',
      await zipBuffer([{ name: 'zeros.bin', data: Buffer.alloc(5_000_000) }]),
    );
    expect(fs.statSync(bomb).size).toBeLessThan(100_000);
    await expectModelError(models.importZip(bomb), 'too_large');
    await expectUntouched(models, baseHash);
  });

  it('reports a truncated zip as incomplete and a non-zip as invalid', async () => {
    const { models, baseHash } = await withBaseModel();
    const data = await modelZip();
    const cut = zipFile('cut.zip', data.subarray(0, Math.floor(data.length * 0.6)));
    await expectModelError(models.importZip(cut), 'incomplete');
    const text = zipFile('notes.zip', Buffer.from('this is not a zip file at all'));
    await expectModelError(models.importZip(text), 'invalid_zip');
    await expectModelError(models.importZip(path.join(incoming, 'missing.zip')), 'invalid_zip');
    await expectUntouched(models, baseHash);
  });

  it('rejects a model whose mfcc.conf says 8000 Hz', async () => {
    const { models, baseHash } = await withBaseModel();
    const file = zipFile('narrowband.zip', await modelZip({ sampleRate: 8000 }));
    const error = await expectModelError(
      models.importZip(file, { activate: true }),
      'wrong_sample_rate',
    );
    expect(error.message).toContain('8000');
    expect(error.params).toEqual({ sampleRate: 8000 });
    await expectUntouched(models, baseHash);
  });

  it('rejects a zip whose model lacks am/final.mdl', async () => {
    const { models, baseHash } = await withBaseModel();
    const file = zipFile('no-am.zip', await modelZip({ omit: ['am/final.mdl'] }));
    const error = await expectModelError(models.importZip(file), 'invalid_model');
    expect(error.message).toContain('am/final.mdl');
    await expectUntouched(models, baseHash);
  });
});

function modelEntries(options: ModelFolderOptions = {}): ZipEntry[] {
  return [...modelFiles(options)].map(([rel, data]) => ({ name: `vosk-model-x/${rel}`, data }));
}

describe('checkEntryName', () => {
  it.each([
    '../evil',
    'a/../../evil',
    '/etc/passwd',
    'C:/evil',
    'c:evil',
    'a\\b',
    '..\\evil',
    'a//b',
    './a',
    'a/\u0000b',
    'file:stream',
  ])('refuses %j', (name) => {
    expect(() => checkEntryName(name)).toThrowError(ModelError);
  });
  it.each(['vosk-model/am/final.mdl', 'graph/', 'a..b/c', 'conf/model.conf'])(
    'accepts %j',
    (name) => {
      expect(() => checkEntryName(name)).not.toThrow();
    },
  );
});

// ── folders and validation ─────────────────────────────────────────────────

describe('importFolder and validation', () => {
  it('copies a model folder, or a folder holding one, and leaves the source alone', async () => {
    const models = manager();
    const outer = path.join(incoming, 'usb');
    const source = writeModelFolder(path.join(outer, 'vosk-model-small-yy-0.2'), { ivector: true });
    const before = treeHash(outer);
    const installed = await models.importFolder(outer);
    expect(installed).toMatchObject({
      id: 'vosk-model-small-yy-0.2',
      source: 'folder',
      active: true,
    });
    expect(treeHash(outer)).toBe(before);
    expect(fs.readFileSync(path.join(installed.path, 'am', 'final.mdl'))).toEqual(
      fs.readFileSync(path.join(source, 'am', 'final.mdl')),
    );
  });

  it('rejects a folder missing am/final.mdl', async () => {
    const { models, baseHash } = await withBaseModel();
    const source = writeModelFolder(path.join(incoming, 'broken'), { omit: ['am/final.mdl'] });
    const error = await expectModelError(
      models.importFolder(source, { activate: true }),
      'invalid_model',
    );
    expect(error.message).toContain('am/final.mdl is missing');
    expect(error.params).toEqual({ file: 'am/final.mdl', problem: 'missing' });
    await expectUntouched(models, baseHash);
  });

  it.each<[string, ModelFolderOptions, (dir: string) => void, ModelErrorCode, RegExp]>([
    ['no graph', { omit: ['graph/HCLr.fst', 'graph/Gr.fst'] }, () => {}, 'invalid_model', /graph/],
    [
      'Gr.fst without HCLr.fst',
      { omit: ['graph/HCLr.fst'] },
      () => {},
      'invalid_model',
      /HCLr\.fst is missing/,
    ],
    [
      'empty model.conf',
      {},
      (d) => fs.writeFileSync(path.join(d, 'conf/model.conf'), ''),
      'invalid_model',
      /model\.conf is empty/,
    ],
    [
      'no mfcc.conf',
      { omit: ['conf/mfcc.conf'] },
      () => {},
      'invalid_model',
      /mfcc\.conf is missing/,
    ],
    [
      'not a Kaldi model',
      {},
      (d) => fs.writeFileSync(path.join(d, 'am/final.mdl'), 'hello'),
      'invalid_model',
      /TransitionModel/,
    ],
    [
      'truncated FST',
      {},
      (d) => {
        const f = path.join(d, 'graph/HCLr.fst');
        fs.truncateSync(f, fs.statSync(f).size - 100);
      },
      'invalid_model',
      /truncated/,
    ],
    [
      'not an FST',
      {},
      (d) => fs.writeFileSync(path.join(d, 'graph/Gr.fst'), 'text'),
      'invalid_model',
      /OpenFst/,
    ],
    [
      'ivector without final.dubm',
      { ivector: true },
      (d) => fs.rmSync(path.join(d, 'ivector/final.dubm')),
      'invalid_model',
      /final\.dubm/,
    ],
    ['8 kHz', { sampleRate: 8000 }, () => {}, 'wrong_sample_rate', /8000 Hz/],
    [
      'rate changed on a later line',
      {},
      (d) =>
        fs.appendFileSync(
          path.join(d, 'conf/mfcc.conf'),
          '--sample-frequency = 8000 # telephone\n',
        ),
      'wrong_sample_rate',
      /8000/,
    ],
  ])('rejects a model with %s', async (_name, options, damage, code, pattern) => {
    const { models, baseHash } = await withBaseModel();
    const source = writeModelFolder(path.join(incoming, 'candidate'), options);
    damage(source);
    const error = await expectModelError(models.importFolder(source, { activate: true }), code);
    expect(error.message).toMatch(pattern);
    await expectUntouched(models, baseHash);
  });

  it('accepts an mfcc.conf without --sample-frequency (Kaldi default 16000) and a static graph', async () => {
    const models = manager();
    const source = writeModelFolder(path.join(incoming, 'plain'), {
      sampleRate: null,
      graph: 'static',
    });
    expect((await models.importFolder(source)).sampleRate).toBe(16000);
  });

  it('rejects a folder containing a symbolic link', async () => {
    const { models, baseHash } = await withBaseModel();
    const source = writeModelFolder(path.join(incoming, 'linked'));
    fs.symlinkSync('/etc/passwd', path.join(source, 'graph', 'phones.txt'));
    await expectModelError(models.importFolder(source), 'traversal');
    await expectUntouched(models, baseHash);
  });
});

// ── choosing, replacing, removing ─────────────────────────────────────────

describe('setActive, replace and remove', () => {
  it('switches the active model atomically and tells listeners', async () => {
    const { models } = await withBaseModel();
    await models.importFolder(writeModelFolder(path.join(incoming, 'other')));
    const seen: (string | null)[] = [];
    models.onActiveChange((m) => seen.push(m?.path ?? null));
    await models.setActive('other');
    expect(models.active()).toBe(path.join(dataDir, 'models', 'other'));
    expect(seen).toEqual([path.join(dataDir, 'models', 'other')]);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dataDir, 'models', 'active.json'), 'utf8'));
    expect(onDisk).toMatchObject({ version: 1, id: 'other' });
    expect(fs.readdirSync(path.join(dataDir, 'models')).filter((n) => n.endsWith('.tmp'))).toEqual(
      [],
    );
    // survives a restart
    expect(manager().activeId()).toBe('other');
  });

  it('refuses to activate a model that is missing or was damaged by hand', async () => {
    const { models } = await withBaseModel();
    await expectModelError(models.setActive('nothing-here'), 'not_installed');
    await expectModelError(models.setActive('../base'), 'unknown_model');
    await models.importFolder(writeModelFolder(path.join(incoming, 'other')));
    fs.rmSync(path.join(dataDir, 'models', 'other', 'conf', 'mfcc.conf'));
    await expectModelError(models.setActive('other'), 'invalid_model');
    expect(models.activeId()).toBe('base');
  });

  it('replaces an installed model of the same id and keeps it active', async () => {
    const { models } = await withBaseModel();
    const seen: (string | null)[] = [];
    models.onActiveChange((m) => seen.push(m?.id ?? null));
    const newer = writeModelFolder(path.join(incoming, 'newer'), { marker: 'base-v2' });
    await models.importFolder(newer, { id: 'base' });
    expect(models.activeId()).toBe('base');
    expect(
      fs.readFileSync(path.join(dataDir, 'models', 'base', 'am', 'final.mdl')).includes('base-v2'),
    ).toBe(true);
    expect(seen).toEqual(['base']);
    expect(fs.readdirSync(path.join(dataDir, 'models')).sort()).toEqual(['active.json', 'base']);
  });

  it('removes a model, but not the active one', async () => {
    const { models, baseHash } = await withBaseModel();
    await models.importFolder(writeModelFolder(path.join(incoming, 'other')));
    await expectModelError(models.remove('base'), 'model_active');
    await models.remove('other');
    await expectModelError(models.remove('other'), 'not_installed');
    fs.rmSync(path.join(incoming, 'other'), { recursive: true });
    await expectUntouched(models, baseHash);
  });

  it('refuses two installs of the same id at once', async () => {
    const { models } = await withBaseModel();
    const zip = await modelZip();
    const url = serveZip('/slow.zip', zip, 10, 30);
    const first = models.download({ id: 'dup', url, sha256: sha256(zip) });
    await expectModelError(models.download({ id: 'dup', url, sha256: sha256(zip) }), 'busy');
    expect((await first).id).toBe('dup');
  });

  it('lists models copied in by hand and ignores work folders', async () => {
    const models = manager();
    writeModelFolder(path.join(dataDir, 'models', 'by-hand'));
    fs.mkdirSync(path.join(dataDir, 'models', '.staging', 'install-x'), { recursive: true });
    const listing = await models.list();
    expect(listing.installed).toHaveLength(1);
    expect(listing.installed[0]).toMatchObject({
      id: 'by-hand',
      source: 'unknown',
      sampleRate: 16000,
      active: false,
    });
    expect(listing.installed[0]!.sizeBytes).toBeGreaterThan(2048);
    expect(models.active()).toBeNull();
  });

  it('removes leftovers of an interrupted install when it starts', async () => {
    const modelsDir = path.join(dataDir, 'models');
    for (const dir of ['.partial', '.staging/install-abc/am', '.trash/old-123']) {
      fs.mkdirSync(path.join(modelsDir, dir), { recursive: true });
    }
    fs.writeFileSync(path.join(modelsDir, '.partial', 'x.zip'), 'half');
    fs.writeFileSync(path.join(modelsDir, 'active.json.abc.tmp'), '{');
    manager();
    expect(fs.readdirSync(modelsDir)).toEqual([]);
  });

  it('treats a damaged active.json as no active model', async () => {
    const { models } = await withBaseModel();
    fs.writeFileSync(path.join(dataDir, 'models', 'active.json'), '{"version":1,');
    expect(models.active()).toBeNull();
    expect(logs.some((e) => e.level === 'warn' && e.message.includes('active.json'))).toBe(true);
  });
});
