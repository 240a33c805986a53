/**
 * Bad requests generated from the contract's own descriptors: for every RPC, every string field (nested messages
 * and the first element of lists included) gets a NUL, a control character, DEL and an over-long value; every int64
 * field gets a value beyond 2^53-1; every Timestamp gets nanos out of range. Each case says which field the core
 * must name in its INVALID_ARGUMENT.
 */
import descriptor from 'protobufjs/ext/descriptor/index.js';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { Timestamp, descriptorSets } from '@allot/contracts';

interface FieldJson {
  name?: string;
  number?: number;
  type?: number;
  typeName?: string;
  label?: number;
  oneofIndex?: number;
  proto3Optional?: boolean;
}
interface MessageJson {
  name?: string;
  field?: FieldJson[];
  nestedType?: MessageJson[];
}
interface ServiceJson {
  name?: string;
  method?: Array<{ name?: string; inputType?: string; serverStreaming?: boolean }>;
}

const TYPE_STRING = 9;
const TYPE_INT64 = 3;
const TYPE_MESSAGE = 11;
const LABEL_REPEATED = 3;
const TIMESTAMP = '.google.protobuf.Timestamp';

export interface BadCase {
  /** Method path, e.g. /credits.v1.AdminService/CreateTenant */
  readonly path: string;
  readonly what: string;
  /** The request as the generated client takes it (camelCase), or raw bytes for what the encoder cannot write. */
  readonly request: Record<string, unknown> | Buffer;
  /** The wire field the refusal must name. */
  readonly field: string;
}

const messages = new Map<string, MessageJson>();
const services: Array<{ pkg: string; service: ServiceJson }> = [];
for (const set of descriptorSets) {
  const decoded = descriptor.FileDescriptorSet.toObject(descriptor.FileDescriptorSet.decode(Buffer.from(set, 'base64')), { enums: Number, longs: Number }) as {
    file?: Array<{ package?: string; messageType?: MessageJson[]; service?: ServiceJson[] }>;
  };
  for (const file of decoded.file ?? []) {
    const pkg = file.package ?? '';
    const add = (prefix: string, m: MessageJson): void => {
      const full = `${prefix}.${m.name ?? ''}`;
      messages.set(full, m);
      for (const n of m.nestedType ?? []) add(full, n);
    };
    for (const m of file.messageType ?? []) add(pkg ? `.${pkg}` : '', m);
    for (const service of file.service ?? []) if (pkg === 'credits.v1') services.push({ pkg, service });
  }
}

const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Puts value at a path of camelCase keys (["events", 0, "sourceId"]), creating missing lists and nested messages;
 * a new nested message gets its defaults from `types` (one per message level, outermost first).
 */
function setAt(target: Record<string, unknown>, keys: readonly (string | number)[], value: unknown, types: readonly string[]): void {
  let node: Record<string, unknown> | unknown[] = target;
  let level = 0;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    const next = keys[i + 1];
    const container = node as Record<string | number, unknown>;
    if (last) container[key] = value;
    else {
      if (typeof next === 'number') container[key] ??= [];
      else container[key] ??= defaultsOf(types[level] ?? '');
      if (typeof next !== 'number') level += 1;
      node = container[key] as Record<string, unknown>;
    }
  });
}

interface Leaf {
  readonly keys: ReadonlyArray<string | number>;
  readonly wire: string;
  readonly field: FieldJson;
  /** Message type of each nested level the leaf sits in (outermost first), to build a missing one with its defaults. */
  readonly types: readonly string[];
}

const TYPE_BOOL = 8;
const TYPE_ENUM = 14;

/** A nested message as the generated client expects it: every scalar at its default (the encoder needs them all). */
function defaultsOf(typeName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of messages.get(typeName)?.field ?? []) {
    const key = camel(f.name ?? '');
    if (f.label === LABEL_REPEATED) out[key] = [];
    else if (f.type === TYPE_MESSAGE || f.proto3Optional === true) out[key] = undefined;
    else if (f.type === TYPE_STRING) out[key] = '';
    else if (f.type === TYPE_BOOL) out[key] = false;
    else if (f.type === TYPE_ENUM || f.type !== undefined) out[key] = 0;
  }
  return out;
}

/** Every string, int64 and Timestamp leaf of a message, up to 3 levels deep. */
function leaves(typeName: string, keys: ReadonlyArray<string | number> = [], wire = '', depth = 0, types: readonly string[] = []): Leaf[] {
  const m = messages.get(typeName);
  if (m === undefined || depth > 3) return [];
  const out: Leaf[] = [];
  for (const f of m.field ?? []) {
    const name = f.name ?? '';
    const repeated = f.label === LABEL_REPEATED;
    const k = repeated ? [...keys, camel(name), 0] : [...keys, camel(name)];
    const w = `${wire === '' ? '' : `${wire}.`}${name}${repeated ? '[0]' : ''}`;
    if (f.type === TYPE_MESSAGE && f.typeName === TIMESTAMP) out.push({ keys: k, wire: w, field: f, types });
    else if (f.type === TYPE_MESSAGE && f.typeName !== undefined) out.push(...leaves(f.typeName, k, w, depth + 1, [...types, f.typeName]));
    else if (!repeated && (f.type === TYPE_STRING || f.type === TYPE_INT64)) out.push({ keys: k, wire: w, field: f, types });
  }
  return out;
}

/** Raw bytes: the encoded request followed by a Timestamp field with the given nanos (last value wins). */
function withBadNanos(encoded: Buffer, fieldNumber: number): Buffer {
  const ts = Buffer.from(Timestamp.encode({ seconds: Math.floor(Date.now() / 1000) - 60, nanos: 1_500_000_000 }).finish());
  return Buffer.concat([encoded, Buffer.from([(fieldNumber << 3) | 2, ts.length]), ts]);
}

/**
 * The generated corpus. base(path) gives a plausible request of a method (valid apart from the bad field);
 * definitions give the generated encoders.
 */
export function generatedBadCases(base: (path: string) => Record<string, unknown>, definitions: readonly ServiceDefinition[]): BadCase[] {
  const cases: BadCase[] = [];
  const encoderOf = (path: string): ((v: unknown) => Buffer) | undefined => {
    for (const d of definitions) for (const m of Object.values(d)) if (m.path === path) return m.requestSerialize as (v: unknown) => Buffer;
    return undefined;
  };
  for (const { pkg, service } of services) {
    for (const method of service.method ?? []) {
      const path = `/${pkg}.${service.name ?? ''}/${method.name ?? ''}`;
      for (const leaf of leaves(method.inputType ?? '')) {
        const variant = (what: string, value: unknown): void => {
          const request = structuredClone(base(path));
          setAt(request, leaf.keys, value, leaf.types);
          cases.push({ path, what: `${leaf.wire}: ${what}`, request, field: leaf.wire });
        };
        if (leaf.field.typeName === TIMESTAMP) {
          const encode = encoderOf(path);
          // Raw bytes only for a top-level Timestamp: its field number is the request's own.
          if (encode !== undefined && leaf.keys.length === 1) {
            cases.push({ path, what: `${leaf.wire}: nanos 1,500,000,000`, request: withBadNanos(encode(base(path)), leaf.field.number ?? 0), field: leaf.wire });
          }
        } else if (leaf.field.type === TYPE_STRING) {
          variant('NUL inside', 'ab\u0000cd');
          variant('a control character', 'bell\u0007');
          variant('DEL', 'del\u007f');
          variant('65,536 characters', 'x'.repeat(65_536));
        } else {
          variant('2^60', 2 ** 60);
        }
      }
    }
  }
  return cases;
}
