// A fake web-mode engine for WebSupervisor's tests (never used by the app):
// takes the supervisor's web-init, listens on its port on 127.0.0.1 and
// answers GET /token with the token it was given and its pid. FAKE_ENGINE_FAIL=1: dies at once.
import http from 'node:http';

if (process.env.FAKE_ENGINE_FAIL === '1') process.exit(7);
process.on('message', (message) => {
  if (message?.t !== 'web-init') return;
  const server = http.createServer((request, response) => {
    response.end(
      JSON.stringify({ token: message.token, pid: process.pid, role: process.env.LOTSE_WEB_ROLE }),
    );
  });
  server.listen(message.port, '127.0.0.1', () => {
    process.send({ t: 'listening', port: server.address().port });
  });
});
process.on('disconnect', () => process.exit(0));
