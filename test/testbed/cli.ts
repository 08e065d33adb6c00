/**
 * `npm run testbed`: starts the loopback SIP test bed by hand, for trying the
 * app as a user would (README). Kamailio on 127.0.0.1 – SIP over WebSocket on
 * :8080 (what the app's default settings point at), plain SIP on :5060.
 * Ctrl-C stops it.
 *
 *   npm run testbed [-- --ws-port 8080 --sip-port 5060]
 */
import { parseArgs } from 'node:util';
import { kamailioAvailable, startKamailio } from './kamailio';

const { values } = parseArgs({
  options: {
    'ws-port': { type: 'string', default: '8080' },
    'sip-port': { type: 'string', default: '5060' },
  },
});

if (!kamailioAvailable()) {
  console.error('Kamailio is not installed: apt-get install kamailio kamailio-websocket-modules');
  process.exit(1);
}
const kamailio = await startKamailio({
  wsPort: Number(values['ws-port']),
  sipPort: Number(values['sip-port']),
});
console.log(`Test bed running (Kamailio, loopback only):
  SIP over WebSocket: ${kamailio.wsUrl}
  SIP (UDP/TCP):      sip:127.0.0.1:${kamailio.sipPort}
  Any user may register at domain 127.0.0.1; users starting with "refused" get 403.
Press Ctrl-C to stop.`);
const stop = async () => {
  await kamailio.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
