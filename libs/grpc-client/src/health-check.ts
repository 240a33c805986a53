import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

type HealthClient = {
  check(req: { service: string }, opts: { deadline: Date }, cb: (e: ServiceError | null, r?: { status: string }) => void): void;
  close(): void;
};

/** Calls grpc.health.v1.Health/Check; resolves to the status name ('SERVING', ...). */
export async function checkHealth(address: string, service = '', timeoutMs = 2_000): Promise<string> {
  const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String })) as unknown as {
    grpc: { health: { v1: { Health: new (addr: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
  };
  const client = new pkg.grpc.health.v1.Health(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) =>
      client.check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (e, r) =>
        e ? reject(e) : resolve(r?.status ?? 'UNKNOWN'),
      ),
    );
  } finally {
    client.close();
  }
}

/** Waits until the server at address answers SERVING, or throws after timeoutMs. */
export async function waitForServing(address: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      last = await checkHealth(address);
      if (last === 'SERVING') return;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gRPC server at ${address} not SERVING after ${timeoutMs} ms (last: ${last})`);
}
