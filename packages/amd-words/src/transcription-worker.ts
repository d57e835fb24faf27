// The transcriber's worker thread: loads Moonshine tiny once, then serves the host's requests one
// at a time, so the model's JavaScript (upsampling, the soft-max and beam bookkeeping of every
// decoder step) never runs on the host's event loop. Built to dist/transcription-worker.{js,cjs}
// and started by `MoonshineTranscriber` (moonshine-transcriber.ts) with the path of its own build.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { MoonshineDecoder } from './moonshine-decoder';
import {
  type DecoderMethod,
  type DecoderMethods,
  type DecoderSettings,
  type FromWorker,
  serialiseFailure,
  type ToWorker,
} from './worker-protocol';

/** Each request the worker serves, mapped to the decoder method that answers it. */
const DECODER_METHODS: {
  readonly [M in DecoderMethod]: (decoder: MoonshineDecoder, params: DecoderMethods[M]['params']) => Promise<DecoderMethods[M]['result']>;
} = {
  transcribe: (decoder, { samples }) => decoder.transcribe(samples),
  scorePhrases: (decoder, { samples, phrases }) => decoder.scorePhrases(samples, phrases), // issue-17 f2
};

/** Load the model, say so, then answer requests in order until told to close. Nothing thrown escapes. */
async function serve(port: MessagePort, settings: DecoderSettings): Promise<void> {
  const post = (message: FromWorker) => port.postMessage(message);
  let decoder: MoonshineDecoder;
  try {
    decoder = await MoonshineDecoder.load(settings);
  } catch (error) {
    post({ kind: 'failed', failure: serialiseFailure(error) });
    process.exit(1); // ends this thread only
  }
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    queue = queue.then(async () => {
      if (message.kind === 'close') {
        await decoder.release().catch(() => undefined);
        process.exit(0); // ends this thread only
      }
      try {
        const handler = DECODER_METHODS[message.method] as (decoder: MoonshineDecoder, params: unknown) => Promise<unknown>;
        post({ kind: 'reply', id: message.id, result: await handler(decoder, message.params) });
      } catch (error) {
        post({ kind: 'failed', id: message.id, failure: serialiseFailure(error) });
      }
    });
  });
  post({ kind: 'ready' });
}

if (parentPort) void serve(parentPort, workerData as DecoderSettings);
