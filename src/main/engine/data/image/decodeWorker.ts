// Entry of an image-decode worker thread (its own bundle in the app, next to index.js): see decodePool.ts.
import { parentPort } from 'node:worker_threads';
import { replyOf, type DecodeRequest } from './decodeJob';

parentPort!.on('message', (req: DecodeRequest) => {
  const reply = replyOf(req);
  parentPort!.postMessage(reply, reply.ok ? [reply.result.data.buffer as ArrayBuffer] : []);
});
