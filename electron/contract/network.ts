/**
 * Which addresses stay on this machine, for the rules about unencrypted
 * transports: a case system over plain http (refused off the loopback
 * interface, engine/cases/case-api-client.ts) and a SIP server over plain
 * ws:// (warned about in the settings and the engine's log: the SIP
 * password's digest, callers' numbers and names would cross the office
 * network readable by anyone on it).
 */

/**
 * True for a host name on the loopback interface: `localhost`, 127.0.0.0/8
 * and ::1. Takes URL.hostname (the WHATWG parser has already turned forms
 * like 127.1 or 2130706433 into 127.0.0.1, and [0::1] into [::1]).
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return parts !== null && parts.slice(1).every((p) => Number(p) <= 255) && parts[1] === '127';
}

/**
 * True when a SIP server address is plain `ws://` to a host off the
 * loopback interface (wss:// and a server on this machine are fine; an
 * address that is no URL at all is the form's own error, not this one).
 * Loopback by its usual names: localhost, 127.x.y.z, [::1].
 */
export function isUnencryptedRemoteSipServer(serverUrl: string): boolean {
  // The contract runs on both sides without DOM or Node types: the host by
  // pattern (after ws:// and any user part, up to the port or the path).
  const host = /^ws:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]+)/i.exec(serverUrl.trim())?.[1];
  return host !== undefined && !isLoopbackHostname(host);
}
