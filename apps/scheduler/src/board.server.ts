import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import type { Queues } from './queues';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export interface BoardServer {
  /** http://host:port/ of the Bull Board page. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves Bull Board (every queue of the scheduler) on host:port; port 0 picks a free one. */
export async function startBoardServer(queues: Queues, host: string, port: number): Promise<BoardServer> {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: Object.values(queues).map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    // @bull-board/express pins its own copy of @bull-board/api (a patch apart); the shapes match at run
    // time but the private fields make TypeScript see two types.
    serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    options: { uiConfig: { boardTitle: 'Allot scheduler' } },
  });
  const app = express();
  app.use('/', serverAdapter.getRouter());
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
