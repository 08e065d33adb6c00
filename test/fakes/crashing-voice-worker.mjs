// A voice thread that dies under its first sentence (as a thread that runs
// out of memory would) and, started again, answers each sentence with 20 ms
// of silence. The marker file says whether it has died before.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const marker = workerData.lingwareDirectory;
parentPort.on('message', (message) => {
  if (message.type !== 'speak') return;
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, 'died once');
    process.exit(7);
  }
  const pcm = new Int16Array(320);
  parentPort.postMessage({ type: 'pcm', id: message.id, pcm }, [pcm.buffer]);
});
parentPort.postMessage({ type: 'ready', sampleRate: 16000 });
