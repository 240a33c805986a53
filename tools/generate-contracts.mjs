// Generates TypeScript for the gRPC contract (proto/) and for google.rpc error details (from the
// google-proto-files package) into libs/contracts/src/gen, plus descriptor sets for server reflection.
// Generated code is not committed. Output is built in a scratch folder and swapped in only when it changed, so a
// running core or test reading the generated files never sees them half-written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'libs/contracts/src/gen');
const base = join(root, 'tmp', `contracts-${process.pid}`);
const fresh = join(base, 'libs/contracts/src/gen');
const buf = join(root, 'node_modules/.bin/buf');
const template = join(root, 'proto/buf.gen.yaml');
const googleProtos = join(root, 'node_modules/google-proto-files');

const run = (args) => execFileSync(buf, args, { cwd: root, stdio: 'inherit' });
const listFiles = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => statSync(join(dir, f)).isFile())
        .sort()
    : [];
const sameTree = (a, b) => {
  const fa = listFiles(a);
  const fb = listFiles(b);
  return fa.length === fb.length && fa.every((f, i) => f === fb[i] && readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
};

rmSync(base, { recursive: true, force: true });
mkdirSync(fresh, { recursive: true });
try {
  run(['lint', 'proto']);
  run(['generate', 'proto', '--template', template, '-o', base]);
  run([
    'generate', googleProtos, '--template', template, '-o', base,
    '--path', join(googleProtos, 'google/rpc/status.proto'),
    '--path', join(googleProtos, 'google/rpc/error_details.proto'),
  ]);
  // Descriptor sets for server reflection (grpcurl): the contract, grpc.health.v1 and google.rpc error details.
  run(['build', 'proto', '-o', join(fresh, 'credits.binpb')]);
  run(['build', join(root, 'node_modules/grpc-health-check/proto'), '-o', join(fresh, 'health.binpb')]);
  run(['build', googleProtos, '--path', join(googleProtos, 'google/rpc/error_details.proto'), '-o', join(fresh, 'rpc.binpb')]);
  if (sameTree(fresh, out)) {
    console.log(`contracts up to date in ${relative(root, out)}`);
  } else {
    const old = `${out}.old-${process.pid}`;
    if (existsSync(out)) renameSync(out, old);
    renameSync(fresh, out);
    rmSync(old, { recursive: true, force: true });
    console.log(`contracts generated in ${relative(root, out)}`);
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
