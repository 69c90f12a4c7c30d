import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do with an answer the upstream gave: pass it on now, later, or never (its asker is gone). */
export type Gate = (relay: () => void) => void;

export interface GateProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy to `upstream` for one raidsync process: every answer goes through `gate`, which the test uses
 * to hold a process right after a write has landed upstream (while it holds the lock), or to kill it there.
 */
export async function startGateProxy(upstream: string, gate: Gate): Promise<GateProxy> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const target = new URL(incoming.url ?? '/', upstream);
    const forwarded = request(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () =>
        gate(() => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(Buffer.concat(chunks));
        }),
      );
    });
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
