// A fake speech worker for SpeechService's fault tests (never used by the
// app): it speaks the worker's protocol without libvosk and misbehaves the
// way LOTSE_FAKE_WORKER says:
//
//   env            reports its environment (as a 'log' message), then works
//   garbage-once   the first incarnation (LOTSE_FAKE_WORKER_MARK does not
//                  exist yet: it creates it) sends a message that does not fit
//                  the protocol after 'ready'; later ones work
//   crash-after-ready  says 'ready', then dies 30 ms later (a crash loop)
//
// Working means: 'ready' on 'load', 'pong' on 'ping', 'closed' on 'close'.
import fs from 'node:fs';

const mode = process.env.LOTSE_FAKE_WORKER ?? '';
const send = (message) => {
  if (process.connected) process.send(message);
};

process.on('message', (message) => {
  if (message.type === 'load') {
    if (mode === 'env') {
      send({ type: 'log', level: 'info', message: `env ${JSON.stringify(process.env)}` });
    }
    send({ type: 'ready', modelLoadMs: 1, libraryPath: 'fake', grammarSupported: true });
    if (mode === 'garbage-once') {
      const mark = process.env.LOTSE_FAKE_WORKER_MARK ?? '';
      if (mark && !fs.existsSync(mark)) {
        fs.writeFileSync(mark, String(process.pid));
        // A final whose text is a number and whose times are missing.
        setTimeout(() => send({ type: 'final', streamId: 's', text: 42 }), 30);
      }
    }
    if (mode === 'crash-after-ready') setTimeout(() => process.exit(3), 30);
    return;
  }
  if (message.type === 'ping') send({ type: 'pong', seq: message.seq });
  else if (message.type === 'close') send({ type: 'closed', streamId: message.streamId });
});
process.on('disconnect', () => process.exit(0));
