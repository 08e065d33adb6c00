/**
 * Which audio codecs an SDP offer names, so a call that cannot have audio is
 * refused with 488 and a clear reason instead of being "connected" in
 * silence. Static payload types (RFC 3551) count even without an rtpmap.
 */
const STATIC_PAYLOAD_TYPES: Record<number, string> = {
  0: 'PCMU',
  3: 'GSM',
  4: 'G723',
  5: 'DVI4',
  8: 'PCMA',
  9: 'G722',
  13: 'CN',
  15: 'G728',
  18: 'G729',
};

/** Not codecs that carry speech on their own. */
const NOT_SPEECH = new Set(['TELEPHONE-EVENT', 'CN', 'RED', 'ULPFEC', 'RTX']);

/** Codec names (upper case) of the first audio m= section; undefined if there is none. */
export function offeredAudioCodecs(sdp: string): string[] | undefined {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith('m=audio '));
  if (start < 0) return undefined;
  const mline = lines[start]?.split(' ') ?? [];
  // m=audio <port> <proto> <fmt> ...
  if (mline[1] === '0') return [];
  const payloadTypes = mline.slice(3).map(Number).filter(Number.isInteger);
  const rtpmap = new Map<number, string>();
  for (let i = start + 1; i < lines.length && !lines[i]?.startsWith('m='); i++) {
    const match = /^a=rtpmap:(\d+)\s+([^/\s]+)/.exec(lines[i] ?? '');
    if (match?.[1] && match[2]) rtpmap.set(Number(match[1]), match[2].toUpperCase());
  }
  return payloadTypes
    .map((pt) => rtpmap.get(pt) ?? STATIC_PAYLOAD_TYPES[pt] ?? `PT${pt}`)
    .filter((name) => !NOT_SPEECH.has(name));
}

/** Codec names the browser can send and receive (upper case, speech codecs only). */
export function supportedAudioCodecs(
  capabilities: { codecs: { mimeType: string }[] } | null | undefined,
): Set<string> {
  const names = (capabilities?.codecs ?? [])
    .map((codec) => codec.mimeType.replace(/^audio\//i, '').toUpperCase())
    .filter((name) => !NOT_SPEECH.has(name));
  // Every WebRTC endpoint must do G.711 (RFC 7874) and Opus.
  return new Set(names.length > 0 ? names : ['OPUS', 'PCMU', 'PCMA']);
}

/**
 * The speech codecs offered when none of them is one we can use ([]: no
 * audio offered at all), or undefined when the offer is fine.
 */
export function codecMismatch(sdp: string, supported: Set<string>): string[] | undefined {
  const offered = offeredAudioCodecs(sdp);
  if (offered === undefined) return undefined; // no SDP offer: sip.js negotiates in the answer
  if (offered.some((name) => supported.has(name))) return undefined;
  return offered;
}
