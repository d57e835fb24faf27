// SSE clients in their own process (so the server's memory is measured alone): opens
// `connections` raw HTTP streams to `url` with `cookie`, one in every `connections/silent`
// never reading after the response head. Prints `{"ready":…}` once all are open; on SIGTERM
// prints `{"bytesRead":…,"readersConnected":…}` and exits. Usage:
//   node sse-clients.mjs <port> <path> <cookie> <connections> <silent>
import { connect } from 'node:net';

const [port, path, cookie, connectionsArg, silentArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const silent = Number(silentArg);
const silentEvery = Math.round(connections / silent);
let bytesRead = 0;
const readers = [];

function open(read) {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let head = '';
    let done = false;
    socket.on('error', () => (done ? undefined : resolve({ socket, status: 0 })));
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`),
    );
    const onData = (chunk) => {
      bytesRead += chunk.length;
      if (done) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      done = true;
      const status = Number(head.slice(9, 12));
      if (!read && status === 200) {
        socket.off('data', onData);
        socket.pause();
      }
      resolve({ socket, status });
    };
    socket.on('data', onData);
  });
}

let accepted = 0;
for (let first = 0; first < connections; first += 25) {
  const batch = [];
  for (let i = first; i < Math.min(connections, first + 25); i++) {
    const quiet = i % silentEvery === 0 && i / silentEvery < silent;
    batch.push(open(!quiet).then((r) => ({ ...r, quiet })));
  }
  for (const { socket, status, quiet } of await Promise.all(batch)) {
    if (status === 200) accepted++;
    if (!quiet) readers.push(socket);
  }
}
process.stdout.write(`${JSON.stringify({ ready: accepted })}\n`);
// Stay until told to stop, even with no stream open (the baseline run).
const keepAlive = setInterval(() => {}, 60_000);
process.on('SIGTERM', () => {
  const readersConnected = readers.filter((s) => !s.destroyed && !s.closed && !s.readableEnded).length;
  clearInterval(keepAlive);
  process.stdout.write(`${JSON.stringify({ bytesRead, readersConnected })}\n`, () => process.exit(0));
});
