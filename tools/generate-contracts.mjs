// Generates TypeScript for the gRPC contract (proto/) and for google.rpc error details
// (from the google-proto-files package) into libs/contracts/src/gen. Generated code is not committed.
import { execFileSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'libs/contracts/src/gen');
const buf = join(root, 'node_modules/.bin/buf');
const template = join(root, 'proto/buf.gen.yaml');
const googleProtos = join(root, 'node_modules/google-proto-files');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const run = (args) => execFileSync(buf, args, { cwd: root, stdio: 'inherit' });
run(['lint', 'proto']);
run(['generate', 'proto', '--template', template]);
run([
  'generate', googleProtos, '--template', template,
  '--path', join(googleProtos, 'google/rpc/status.proto'),
  '--path', join(googleProtos, 'google/rpc/error_details.proto'),
]);
// Descriptor sets for server reflection (grpcurl): the contract and grpc.health.v1, with their imports.
run(['build', 'proto', '-o', join(out, 'credits.binpb')]);
run(['build', join(root, 'node_modules/grpc-health-check/proto'), '-o', join(out, 'health.binpb')]);
// google.rpc error details, so grpcurl can decode the BadRequest carried by INVALID_ARGUMENT.
run(['build', googleProtos, '--path', join(googleProtos, 'google/rpc/error_details.proto'), '-o', join(out, 'rpc.binpb')]);
console.log('contracts generated in libs/contracts/src/gen');
