/**
 * What rtpengine relayed in a call, from its ng "query" command: the RTP
 * packets it received from the WebRTC side (the app's microphone on its way
 * to the plain-RTP phone). A far end that only records what it hears
 * (baresip) can be read after the call alone; this says meanwhile that
 * audio has gone its way, and how much.
 */
import { expect } from '@playwright/test';
import type { Rtpengine } from '../../testbed/rtpengine';
import type { LotsePage } from './lotse-page';

interface QueryStream {
  flags?: string[];
  stats?: { packets?: number };
}
interface QueryMedia {
  protocol?: string;
  streams?: QueryStream[];
}

/** RTP packets rtpengine received from the WebRTC leg of `callId` (the SIP Call-ID). */
export async function packetsFromWebRtc(rtpengine: Rtpengine, callId: string): Promise<number> {
  const reply = await rtpengine.ng({ command: 'query', 'call-id': callId });
  const tags = (reply.tags ?? {}) as Record<string, { medias?: QueryMedia[] }>;
  let packets = 0;
  for (const tag of Object.values(tags))
    for (const media of tag.medias ?? [])
      if (media.protocol?.startsWith('UDP/TLS/RTP'))
        for (const stream of media.streams ?? [])
          if (stream.flags?.includes('RTP')) packets += stream.stats?.packets ?? 0;
  return packets;
}

/**
 * Waits until rtpengine has relayed `seconds` more of the app's audio in its
 * foreground call (20 ms packets: 50 a second), however long a loaded
 * machine takes for it.
 */
export async function expectAppAudioRelayed(
  rtpengine: Rtpengine,
  app: LotsePage,
  seconds: number,
): Promise<void> {
  const callId = (await app.callState.getAttribute('data-call-id')) ?? '';
  const from = await packetsFromWebRtc(rtpengine, callId);
  await expect
    .poll(() => packetsFromWebRtc(rtpengine, callId), {
      timeout: 15_000 + seconds * 1000,
      message: `rtpengine relays ${seconds} s of the app's audio`,
    })
    .toBeGreaterThanOrEqual(from + seconds * 50);
}
