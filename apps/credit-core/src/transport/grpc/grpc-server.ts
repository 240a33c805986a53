import {
  Server,
  ServerCredentials,
  status,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type ServiceError,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { ReflectionService } from '@grpc/reflection';
import type { PackageDefinition } from '@grpc/proto-loader';
import { descriptorSets } from '@allot/contracts';
import { guardServiceDefinition } from './wire-guard';
import { OWNER_METADATA, isForwarded, runInCallScope, type OwnerForwarder } from './owner-forwarding';

/** One gRPC service and its (possibly partial) implementation. */
export interface ServiceBinding {
  /** Fully qualified name, e.g. credits.v1.AdminService (for health checking). */
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: Partial<UntypedServiceImplementation>;
}


/** A FileDescriptorSet is `repeated FileDescriptorProto file = 1`: returns each file's bytes untouched. */
function splitFileDescriptorSet(set: Buffer): Buffer[] {
  const files: Buffer[] = [];
  let at = 0;
  while (at < set.length) {
    const tag = set[at++];
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = set[at++] ?? 0;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    if (tag === 0x0a) files.push(set.subarray(at, at + length));
    at += length;
  }
  return files;
}

/**
 * Server reflection (so grpcurl can list and call), fed with the exact file descriptors buf built in
 * `npm run generate` (well-known types included). @grpc/reflection only reads `fileDescriptorProtos`, and
 * proto-loader's own conversion loses cross-file imports, so the files are handed over as buf wrote them.
 */
function reflectionService(): ReflectionService {
  const encoded = descriptorSets.flatMap((set) => splitFileDescriptorSet(Buffer.from(set, 'base64')));
  const definition = { descriptors: { fileDescriptorProtos: encoded } } as unknown as PackageDefinition;
  return new ReflectionService(definition);
}

/**
 * A unary handler that runs in its call's scope and, when it answers that another replica owns the tenant (an
 * error carrying x-allot-owner), forwards the whole call there once and answers with the owner's reply.
 */
function forwardingToOwner(given: handleUnaryCall<unknown, unknown>, def: ServiceDefinition[string], forwarder: OwnerForwarder): handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    runInCallScope({ metadata: call.metadata, deadline: call.getDeadline() }, () =>
      given(call, (error, value, trailer, flags) => {
        const owner = error?.metadata?.get(OWNER_METADATA)[0];
        if (error === null || error === undefined || typeof owner !== 'string' || isForwarded(call.metadata)) {
          callback(error, value, trailer, flags);
          return;
        }
        forwarder.unary(owner, def, call.request, call.metadata, call.getDeadline()).then(
          (res) => callback(null, res),
          (e: ServiceError) => callback(e),
        );
      }),
    );
  };
}

/** Methods a service does not implement answer UNIMPLEMENTED, saying which one. */
function withUnimplemented(binding: ServiceBinding, forwarder?: OwnerForwarder): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [method, def] of Object.entries(binding.definition)) {
    const given = binding.implementation[method];
    if (given) {
      impl[method] =
        forwarder === undefined || def.requestStream || def.responseStream ? given : forwardingToOwner(given as handleUnaryCall<unknown, unknown>, def, forwarder);
      continue;
    }
    const error = { code: status.UNIMPLEMENTED, details: `${def.path} is not implemented yet` };
    const streaming: handleServerStreamingCall<unknown, unknown> = (call) => call.emit('error', error);
    const unary: handleUnaryCall<unknown, unknown> = (_call, callback) => callback(error);
    impl[method] = def.responseStream ? streaming : unary;
  }
  return impl;
}

export interface RunningGrpcServer {
  readonly server: Server;
  readonly port: number;
  readonly health: HealthImplementation;
  /** Stops accepting calls, lets running ones finish for up to graceMs, then cuts the rest. */
  shutdown(graceMs?: number): Promise<void>;
}

/** Starts a gRPC server with the given services plus grpc.health.v1 and server reflection. */
export async function startGrpcServer(address: string, services: readonly ServiceBinding[], forwarder?: OwnerForwarder): Promise<RunningGrpcServer> {
  // gRPC's usual 4 MB: a full batch of 1,000 events is about 300 KB.
  const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  const statusMap: Record<string, 'SERVING' | 'NOT_SERVING'> = { '': 'NOT_SERVING' };
  for (const s of services) statusMap[s.name] = 'NOT_SERVING';
  const health = new HealthImplementation(statusMap);
  health.addToServer(server);
  reflectionService().addToServer(server);
  for (const s of services) server.addService(guardServiceDefinition(s.definition), withUnimplemented(s, forwarder));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(new Error(`cannot listen on ${address}: ${error.message}`)) : resolve(boundPort),
    ),
  );
  for (const name of Object.keys(statusMap)) health.setStatus(name, 'SERVING');
  return {
    server,
    port,
    health,
    shutdown: async (graceMs = 10_000) => {
      for (const name of Object.keys(statusMap)) health.setStatus(name, 'NOT_SERVING');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
