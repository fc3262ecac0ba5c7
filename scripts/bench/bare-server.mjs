// The baseline for the API Gateway emulator: one bundled handler behind a
// bare node:http server, in its own process (as the emulated API is), given a
// fixed proxy event with the caller's claims. Prints its URL on stdout.
// argv: <bundled handler module>; env: the function's environment plus
// BENCH_EVENT (the event as JSON).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const event = JSON.parse(process.env.BENCH_EVENT);
delete process.env.BENCH_EVENT;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', async () => {
    try {
      const out = await handler({ ...event, requestContext: { ...event.requestContext, requestId: randomUUID() } });
      res.writeHead(out.statusCode, out.headers).end(out.body);
    } catch (err) {
      res.writeHead(502, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: String(err) }));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
