/**
 * `npm run testbed`: starts the loopback SIP test bed by hand, for trying the
 * app as a user would (README). Kamailio on 127.0.0.1 – SIP over WebSocket on
 * :8080 (what the app's default settings point at), plain SIP on :5060.
 * Ctrl-C stops it.
 *
 *   npm run testbed [-- --ws-port 8080 --sip-port 5060]
 *
 * `npm run testbed -- case-server [--port N] [--token T]`: the case-system
 * contract server (case-contract-server.ts) with demo households, for trying
 * the HTTP connector: LOTSE_CASE_SYSTEM_URL=<printed URL> npm run web
 */
import { parseArgs } from 'node:util';
import { kamailioAvailable, startKamailio } from './kamailio';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'ws-port': { type: 'string', default: '8080' },
    'sip-port': { type: 'string', default: '5060' },
    port: { type: 'string', default: '0' },
    token: { type: 'string' },
  },
});

if (positionals[0] === 'case-server') {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: "${values.port}" is not a port number (0–65535; 0 picks a free one)`);
    process.exit(1);
  }
  const { startCaseContractServer } = await import('./case-contract-server');
  const server = await startCaseContractServer({
    port,
    ...(values.token ? { token: values.token } : {}),
  });
  const caller = await server.cases.demoCaller();
  console.log(`Case-system contract server running (demo households, loopback only):
  URL:   ${server.url}
  Try:   LOTSE_CASE_SYSTEM_URL=${server.url}${values.token ? ` LOTSE_CASE_SYSTEM_TOKEN=${values.token}` : ''} npm run web${
    caller
      ? `
  Demo caller: customer number ${caller.customerNumber}, date of birth ${caller.dateOfBirth}`
      : ''
  }
  Contract: resources/api/case-system.openapi.json
Press Ctrl-C to stop.`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} else if (positionals.length > 0) {
  console.error(`unknown subcommand "${positionals[0]}" (known: case-server)`);
  process.exit(1);
} else {
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
}
