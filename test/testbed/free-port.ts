/**
 * Free ports on 127.0.0.1 for the test bed.
 *
 * Every daemon the tests start (Kamailio, rtpengine, static servers) gets a
 * port chosen at run time instead of a fixed 5060/8080: a left-over daemon from
 * a crashed run, a developer's own Kamailio or a parallel CI job must never
 * make a test talk to the wrong server. The OS picks the port (bind to 0); we
 * release it and hand the number on. The small race between release and the
 * daemon's bind is acceptable for tests.
 */
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

const HOST = '127.0.0.1';

/** Lets the OS choose a free TCP port on 127.0.0.1, then releases it. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('free-port: no TCP address from the OS'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

/** True when `port` can be bound for UDP on 127.0.0.1 right now. */
export function udpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: HOST, port, exclusive: true }, () => {
      socket.close(() => resolve(true));
    });
  });
}

/** True when `port` can be bound for TCP on 127.0.0.1 right now. */
export function tcpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: HOST, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * A port free for both TCP and UDP, as SIP listens on both with one number
 * (udp:127.0.0.1:P and tcp:127.0.0.1:P). The OS only guarantees the TCP side,
 * so the UDP side is checked and another port tried when it is taken.
 */
export async function freeTcpUdpPort(attempts = 20): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const port = await freeTcpPort();
    if (await udpPortIsFree(port)) return port;
  }
  throw new Error(`free-port: no port free for both TCP and UDP after ${attempts} attempts`);
}

/** A UDP port chosen by the OS (e.g. rtpengine's ng control socket). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.unref();
    socket.once('error', reject);
    socket.bind({ address: HOST, port: 0, exclusive: true }, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
