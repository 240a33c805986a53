/**
 * Checks a request's bytes where the generated decoder cannot (docs/api.md, Errors):
 *   - an int64 beyond 2^53-1 makes ts-proto's decoder throw, which grpc-js would answer with INTERNAL "Error
 *     deserializing request"; the guard answers INVALID_ARGUMENT naming the field instead;
 *   - a google.protobuf.Timestamp with nanos outside 0..999,999,999 (or seconds outside 0001..9999) would be
 *     silently folded into another instant by the decoder; the guard refuses it.
 * It reads the wire format with the contract's own descriptors (embedded in @allot/contracts), so no field list
 * is kept by hand. Only requests that hold a Timestamp are scanned before decoding; others only when decoding fails.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { descriptorSets } from '@allot/contracts';
import { domainError, type DomainError } from '@allot/domain';

/** A request the guard refused: handlers answer INVALID_ARGUMENT with its error before anything else. */
export class RejectedRequest {
  constructor(readonly error: DomainError) {}
}

interface FieldInfo {
  readonly name: string;
  readonly type: number;
  readonly typeName: string;
  readonly repeated: boolean;
}
interface Tables {
  /** Full message name (.credits.v1.X) -> field number -> field. */
  readonly messages: Map<string, Map<number, FieldInfo>>;
  /** Method path (/credits.v1.AdminService/CreateTenant) -> full request message name. */
  readonly requests: Map<string, string>;
}
const LABEL_REPEATED = 3;

// FieldDescriptorProto.Type values.
const TYPE_INT64 = 3;
const TYPE_UINT64 = 4;
const TYPE_MESSAGE = 11;
const TYPE_FIXED64 = 6;
const TYPE_SFIXED64 = 16;
const TYPE_SINT64 = 18;
const TIMESTAMP = '.google.protobuf.Timestamp';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SECONDS = BigInt(Date.parse('0001-01-01T00:00:00Z') / 1000);
const MAX_SECONDS = BigInt(Date.parse('9999-12-31T23:59:59Z') / 1000);

interface DescriptorJson {
  file?: Array<{ package?: string; messageType?: MessageJson[]; service?: ServiceJson[] }>;
}
interface MessageJson {
  name?: string;
  field?: Array<{ name?: string; number?: number; type?: number; typeName?: string; label?: number }>;
  nestedType?: MessageJson[];
}
interface ServiceJson {
  name?: string;
  method?: Array<{ name?: string; inputType?: string }>;
}

function buildTables(): Tables {
  const messages: Tables['messages'] = new Map();
  const requests: Tables['requests'] = new Map();
  const add = (prefix: string, m: MessageJson): void => {
    const full = `${prefix}.${m.name ?? ''}`;
    const fields = (m.field ?? []).map((f): [number, FieldInfo] => [
      f.number ?? 0,
      { name: f.name ?? '', type: f.type ?? 0, typeName: f.typeName ?? '', repeated: f.label === LABEL_REPEATED },
    ]);
    messages.set(full, new Map(fields));
    for (const nested of m.nestedType ?? []) add(full, nested);
  };
  for (const set of descriptorSets) {
    const decoded = descriptor.FileDescriptorSet.toObject(descriptor.FileDescriptorSet.decode(Buffer.from(set, 'base64')), { enums: Number, longs: Number }) as DescriptorJson;
    for (const file of decoded.file ?? []) {
      const pkg = file.package ? `.${file.package}` : '';
      for (const m of file.messageType ?? []) add(pkg, m);
      for (const service of file.service ?? []) {
        for (const method of service.method ?? []) requests.set(`/${pkg.slice(1)}.${service.name ?? ''}/${method.name ?? ''}`, method.inputType ?? '');
      }
    }
  }
  return { messages, requests };
}

let cached: Tables | undefined;
const tables = (): Tables => (cached ??= buildTables());

class Reader {
  at = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buf[this.at++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
    throw new Error('varint too long');
  }
  fixed64(): bigint {
    if (this.at + 8 > this.buf.length) throw new Error('truncated fixed64');
    const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.at, 8).readBigUInt64LE();
    this.at += 8;
    return v;
  }
}

const asSigned64 = (v: bigint): bigint => (v >= 1n << 63n ? v - (1n << 64n) : v);
const zigzag = (v: bigint): bigint => (v & 1n ? -((v + 1n) >> 1n) : v >> 1n);
const invalid = (field: string, code: string, message: string): DomainError => domainError('INVALID_ARGUMENT', code, message, field);

/** The first violation in an encoded message of the given type, or null (also null for bytes it cannot parse). */
export function wireViolation(typeName: string, bytes: Uint8Array): DomainError | null {
  try {
    return scan(typeName, bytes, '');
  } catch {
    // Malformed bytes are the decoder's to report.
    return null;
  }
}

function scan(typeName: string, bytes: Uint8Array, path: string): DomainError | null {
  const fields = tables().messages.get(typeName);
  const r = new Reader(bytes);
  const counts = new Map<number, number>();
  let seconds = 0n;
  let nanos = 0n;
  while (r.at < bytes.length) {
    const key = r.varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    const info = fields?.get(number);
    const index = counts.get(number) ?? 0;
    counts.set(number, index + 1);
    const name = info === undefined ? `#${number}` : info.name;
    const field = `${path === '' ? name : `${path}.${name}`}${info?.repeated ? `[${index}]` : ''}`;
    if (wire === 0) {
      const raw = r.varint();
      if (typeName === TIMESTAMP) {
        if (number === 1) seconds = asSigned64(raw);
        if (number === 2) nanos = asSigned64(raw);
        continue;
      }
      const value = info?.type === TYPE_SINT64 ? zigzag(raw) : info?.type === TYPE_UINT64 ? raw : asSigned64(raw);
      if ((info?.type === TYPE_INT64 || info?.type === TYPE_UINT64 || info?.type === TYPE_SINT64) && (value > MAX_SAFE || value < -MAX_SAFE)) {
        return invalid(field, 'REQUEST.NUMBER_OUT_OF_RANGE', `${field} is ${String(value).slice(0, 24)}, beyond 2^53-1 (the largest whole number accepted)`);
      }
    } else if (wire === 1) {
      const raw = r.fixed64();
      const value = info?.type === TYPE_SFIXED64 ? asSigned64(raw) : raw;
      if ((info?.type === TYPE_FIXED64 || info?.type === TYPE_SFIXED64) && (value > MAX_SAFE || value < -MAX_SAFE)) {
        return invalid(field, 'REQUEST.NUMBER_OUT_OF_RANGE', `${field} is beyond 2^53-1 (the largest whole number accepted)`);
      }
    } else if (wire === 2) {
      const length = Number(r.varint());
      const inner = bytes.subarray(r.at, r.at + length);
      r.at += length;
      if (info?.type === TYPE_MESSAGE) {
        const bad = scan(info.typeName, inner, field);
        if (bad !== null) return bad;
      }
    } else if (wire === 5) {
      r.at += 4;
    } else {
      return null;
    }
  }
  if (typeName === TIMESTAMP) {
    if (nanos < 0n || nanos > 999_999_999n) return invalid(path, 'REQUEST.TIME_OUT_OF_RANGE', `${path}.nanos must be 0..999999999, got ${nanos}`);
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return invalid(path, 'REQUEST.TIME_OUT_OF_RANGE', `${path} must be a time between 0001-01-01 and 9999-12-31`);
  }
  return null;
}

function containsTimestamp(typeName: string, seen = new Set<string>()): boolean {
  if (typeName === TIMESTAMP) return true;
  if (seen.has(typeName)) return false;
  seen.add(typeName);
  for (const f of tables().messages.get(typeName)?.values() ?? []) if (f.type === TYPE_MESSAGE && containsTimestamp(f.typeName, seen)) return true;
  return false;
}

/**
 * The service definition with every request decoder guarded: a refused request arrives at the handler as a
 * RejectedRequest (see admitCall), never as a decoding failure.
 */
export function guardServiceDefinition(definition: ServiceDefinition): ServiceDefinition {
  const guarded: Record<string, ServiceDefinition[string]> = {};
  for (const [method, def] of Object.entries(definition)) {
    const typeName = tables().requests.get(def.path);
    if (typeName === undefined) {
      guarded[method] = def;
      continue;
    }
    const scanFirst = containsTimestamp(typeName);
    const decode = def.requestDeserialize;
    guarded[method] = {
      ...def,
      requestDeserialize: (bytes: Buffer) => {
        if (scanFirst) {
          const bad = wireViolation(typeName, bytes);
          if (bad !== null) return new RejectedRequest(bad);
        }
        try {
          return decode(bytes);
        } catch {
          // Bytes that are not this message at all (a client sending garbage): refused like any bad request.
          const bad = wireViolation(typeName, bytes);
          return new RejectedRequest(bad ?? domainError('INVALID_ARGUMENT', 'REQUEST.MALFORMED', `the request is not a valid ${typeName.slice(1)} message (${bytes.length} bytes)`));
        }
      },
    };
  }
  return guarded as ServiceDefinition;
}
