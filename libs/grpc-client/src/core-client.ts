import {
  credentials,
  Metadata,
  makeGenericClientConstructor,
  type Client,
  type ClientReadableStream,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import {
  AdminServiceService,
  ConsumptionServiceService,
  ReportingServiceService,
  AlertServiceService,
  MaintenanceServiceService,
  RpcStatus,
  BadRequest,
} from '@allot/contracts';

/** Per-call options. */
export interface CallOptions {
  /** Milliseconds before the call fails with DEADLINE_EXCEEDED. @defaultValue 10000 */
  readonly timeoutMs?: number;
  /** Extra request metadata, e.g. `x-allot-actor` / `x-allot-channel` for the core's audit. */
  readonly headers?: Readonly<Record<string, string>>;
}

type MethodDef = {
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: never) => Buffer;
  responseDeserialize: (value: Buffer) => unknown;
};

type RequestOf<M> = M extends { requestSerialize: (value: infer Req) => Buffer } ? Req : never;
type ResponseOf<M> = M extends { responseDeserialize: (value: Buffer) => infer Res } ? Res : never;

/** A service as promise-returning methods (unary) and readable streams (server streaming). */
export type PromiseClient<D> = {
  [K in keyof D]: D[K] extends { responseStream: true }
    ? (request: RequestOf<D[K]>, options?: CallOptions) => ClientReadableStream<ResponseOf<D[K]>>
    : (request: RequestOf<D[K]>, options?: CallOptions) => Promise<ResponseOf<D[K]>>;
};

/** A failed core call, with the gRPC code, the field a BadRequest named, and the message for people. */
export class CoreCallError extends Error {
  override readonly name = 'CoreCallError';
  constructor(
    readonly code: number,
    readonly details: string,
    readonly field: string | undefined,
    readonly method: string,
  ) {
    super(`${method}: ${details}`);
  }
}

/** Turns a grpc-js ServiceError into a CoreCallError, decoding google.rpc.BadRequest when present. */
export function toCoreCallError(error: ServiceError, method: string): CoreCallError {
  let field: string | undefined;
  const raw = error.metadata?.get('grpc-status-details-bin')[0];
  if (raw instanceof Buffer) {
    try {
      const st = RpcStatus.decode(raw);
      for (const any of st.details) {
        if (any.typeUrl.endsWith('google.rpc.BadRequest')) {
          field = BadRequest.decode(any.value).fieldViolations[0]?.field;
        }
      }
    } catch {
      /* details are optional; the message still says what went wrong */
    }
  }
  return new CoreCallError(error.code, error.details, field, method);
}

function promiseClient<D extends ServiceDefinition>(
  definition: D,
  address: string,
  metadata: () => Metadata,
  channelOptions: Record<string, unknown>,
): { client: Client; api: PromiseClient<D> } {
  const Ctor = makeGenericClientConstructor(definition, 'Service');
  const client = new Ctor(address, credentials.createInsecure(), channelOptions);
  const api: Record<string, unknown> = {};
  const untyped = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, def] of Object.entries(definition) as Array<[string, MethodDef]>) {
    const method = untyped[name]?.bind(client);
    if (!method) continue;
    const deadline = (options?: CallOptions): Date => new Date(Date.now() + (options?.timeoutMs ?? 10_000));
    const path = (def as unknown as { path: string }).path;
    const metadataFor = (options?: CallOptions): Metadata => {
      const m = metadata();
      for (const [key, value] of Object.entries(options?.headers ?? {})) m.set(key, value);
      return m;
    };
    api[name] = def.responseStream
      ? (request: unknown, options?: CallOptions) =>
          method(request, metadataFor(options), options?.timeoutMs ? { deadline: deadline(options) } : {})
      : (request: unknown, options?: CallOptions) =>
          new Promise((resolve, reject) => {
            method(request, metadataFor(options), { deadline: deadline(options) }, (error: ServiceError | null, response: unknown) =>
              error ? reject(toCoreCallError(error, path)) : resolve(response),
            );
          });
  }
  return { client, api: api as PromiseClient<D> };
}

export interface CoreClientOptions {
  /** host:port of the credit core. */
  readonly address: string;
  /** API key sent as `authorization: Bearer <key>`. */
  readonly apiKey: string;
}

/** Clients for every service of the credit core, sharing one channel configuration. */
export interface CoreClient {
  readonly admin: PromiseClient<typeof AdminServiceService>;
  readonly consumption: PromiseClient<typeof ConsumptionServiceService>;
  readonly reporting: PromiseClient<typeof ReportingServiceService>;
  readonly alerts: PromiseClient<typeof AlertServiceService>;
  readonly maintenance: PromiseClient<typeof MaintenanceServiceService>;
  close(): void;
}

export function createCoreClient(options: CoreClientOptions): CoreClient {
  const metadata = (): Metadata => {
    const m = new Metadata();
    m.set('authorization', `Bearer ${options.apiKey}`);
    return m;
  };
  const channelOptions = { 'grpc.keepalive_time_ms': 30_000, 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
  const admin = promiseClient(AdminServiceService, options.address, metadata, channelOptions);
  const consumption = promiseClient(ConsumptionServiceService, options.address, metadata, channelOptions);
  const reporting = promiseClient(ReportingServiceService, options.address, metadata, channelOptions);
  const alerts = promiseClient(AlertServiceService, options.address, metadata, channelOptions);
  const maintenance = promiseClient(MaintenanceServiceService, options.address, metadata, channelOptions);
  return {
    admin: admin.api,
    consumption: consumption.api,
    reporting: reporting.api,
    alerts: alerts.api,
    maintenance: maintenance.api,
    close: () => {
      for (const c of [admin, consumption, reporting, alerts, maintenance]) c.client.close();
    },
  };
}
