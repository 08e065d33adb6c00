/**
 * Which case system the desk uses: the embedded store in the data folder (the
 * default, demo households on the first start), or an office's own system
 * over HTTP when IT sets it up through the environment:
 *
 *   LOTSE_CASE_SYSTEM_URL         base URL of the bridge, e.g.
 *                                 https://fachverfahren.example/lotse/v1; https://
 *                                 required, http:// only on the loopback interface
 *                                 (127.0.0.0/8, ::1, localhost)
 *   LOTSE_CASE_SYSTEM_TOKEN       bearer token for the bridge (optional)
 *   LOTSE_CASE_SYSTEM_TIMEOUT_MS  per request attempt, 100–60000 (default 3000)
 *
 * A bad setting is an error that names the variable: the engine must not
 * quietly fall back to demo data when an office meant its own system. It
 * carries a reason of the contract (case_system_url_insecure for plain http
 * to another machine, case_system_config_invalid for the rest) with the
 * variable, so the screen can say what IT has to fix.
 */
import type { ErrorParams, ReasonedError } from '../../contract';
import type { ScopedLogger } from '../log/logger';
import { EngineKeys } from '../store/engine-keys';
import { AuditJournal } from './audit-journal';
import { isSecureCaseSystemUrl } from './case-api-client';
import { EmbeddedCaseSystem } from './embedded-case-system';
import { HttpCaseSystem } from './http-case-system';

/**
 * Ports that fetch refuses to connect to (the WHATWG fetch "bad port" list,
 * which Node's fetch applies): a bridge on one of them would only ever be
 * "unreachable", so the setting is refused with a clear message instead.
 */
const FETCH_BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

export class CaseSystemConfigError extends Error implements ReasonedError {
  readonly params: ErrorParams;

  constructor(
    readonly variable: string,
    message: string,
    readonly reason:
      'case_system_config_invalid' | 'case_system_url_insecure' = 'case_system_config_invalid',
  ) {
    super(`${variable}: ${message}`);
    this.name = 'CaseSystemConfigError';
    this.params = { variable };
  }
}

export interface HttpCaseSystemConfig {
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
}

/** The HTTP connector's settings from the environment; undefined: use the embedded store. */
export function caseSystemConfigFromEnv(
  env: Record<string, string | undefined>,
): HttpCaseSystemConfig | undefined {
  const raw = env.LOTSE_CASE_SYSTEM_URL?.trim();
  const token = env.LOTSE_CASE_SYSTEM_TOKEN?.trim();
  const timeout = env.LOTSE_CASE_SYSTEM_TIMEOUT_MS?.trim();
  if (!raw) {
    for (const name of ['LOTSE_CASE_SYSTEM_TOKEN', 'LOTSE_CASE_SYSTEM_TIMEOUT_MS'] as const) {
      if (env[name]?.trim()) {
        throw new CaseSystemConfigError(
          name,
          'is set, but LOTSE_CASE_SYSTEM_URL is not: set the URL of the case system as well, ' +
            'or unset it to use the embedded store',
        );
      }
    }
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_URL',
      `"${raw}" is not a URL (expected e.g. https://fachverfahren.example/lotse/v1)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_URL',
      `scheme "${url.protocol.replace(/:$/, '')}" is not supported: use https://`,
    );
  }
  if (!isSecureCaseSystemUrl(url)) {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_URL',
      `must use https:// ("${url.origin}" would send case data and the token unencrypted); ` +
        'http:// is accepted only for a bridge on this machine (127.0.0.1, ::1, localhost)',
      'case_system_url_insecure',
    );
  }
  if (url.username || url.password) {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_URL',
      'must not contain a user name or password: put the token in LOTSE_CASE_SYSTEM_TOKEN',
    );
  }
  if (url.port && FETCH_BLOCKED_PORTS.has(Number(url.port))) {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_URL',
      `port ${url.port} is blocked for HTTP clients (fetch "bad port", e.g. SIP's 5060): ` +
        'run the bridge on another port',
    );
  }
  if (url.search || url.hash) {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_URL',
      'must not contain a query (?…) or fragment (#…): give the base URL only',
    );
  }
  if (token !== undefined && token !== '' && !/^[\x21-\x7e]+$/.test(token)) {
    throw new CaseSystemConfigError(
      'LOTSE_CASE_SYSTEM_TOKEN',
      'must be printable ASCII without spaces (it is sent as a bearer token)',
    );
  }
  let timeoutMs: number | undefined;
  if (timeout) {
    timeoutMs = Number(timeout);
    if (!/^\d+$/.test(timeout) || timeoutMs < 100 || timeoutMs > 60_000) {
      throw new CaseSystemConfigError(
        'LOTSE_CASE_SYSTEM_TIMEOUT_MS',
        `"${timeout}" is not a whole number of milliseconds between 100 and 60000`,
      );
    }
  }
  return {
    baseUrl: url.href,
    ...(token ? { token } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

export interface OpenCaseSystemOptions {
  /** The engine's data folder (the embedded store and the desk's audit journal live there). */
  dataDir: string;
  /**
   * The engine's key: PIN hashes of the embedded store, and (derived, its
   * 'audit' key) the hash chain of the audit log or the desk's journal.
   */
  key: Buffer;
  log?: ScopedLogger;
  /** Usually process.env. */
  env: Record<string, string | undefined>;
  /**
   * The desk's audit journal when the caller keeps one already (the engine:
   * one instance for case reads and deletions, closed by its owner). Without
   * it the connector opens its own and closes it with itself.
   */
  auditJournal?: () => Promise<AuditJournal>;
}

/**
 * The embedded store by default, the HTTP connector when configured (see the
 * top of this file). The embedded store's extras (the practice call's demo
 * caller) are there when `instanceof EmbeddedCaseSystem`.
 */
export async function openCaseSystem(
  options: OpenCaseSystemOptions,
): Promise<EmbeddedCaseSystem | HttpCaseSystem> {
  const config = caseSystemConfigFromEnv(options.env);
  const auditKey = new EngineKeys(options.key).key('audit');
  if (!config) {
    return EmbeddedCaseSystem.open({
      dataDir: options.dataDir,
      pinKey: options.key,
      auditKey,
      // A store that cannot be opened takes its audit log with it: never a fresh one instead.
      onDamaged: 'fail',
      ...(options.log ? { log: options.log } : {}),
    });
  }
  const auditLog = options.auditJournal
    ? await options.auditJournal()
    : await AuditJournal.open({
        dataDir: options.dataDir,
        key: auditKey,
        ...(options.log ? { log: options.log } : {}),
      });
  const system = new HttpCaseSystem({
    ...config,
    auditLog,
    closeAuditLog: !options.auditJournal,
    ...(options.log ? { log: options.log } : {}),
  });
  options.log?.info(
    `case system: ${system.system} (HTTP connector, timeout ${config.timeoutMs ?? 3000} ms, ` +
      `${config.token ? 'with' : 'without'} token); desk audit journal in ${auditLog.location}`,
  );
  return system;
}
