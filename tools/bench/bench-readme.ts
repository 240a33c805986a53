/** `npm run bench:readme`: regenerates the README's performance section from bench/results/latest.json. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './results';
import { updateReadme } from './readme';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const results = JSON.parse(readFileSync(join(root, 'bench/results/latest.json'), 'utf8')) as BenchResults;
if (!updateReadme(join(root, 'README.md'), results)) {
  console.error('README.md has no <!-- bench:begin --> / <!-- bench:end --> markers');
  process.exit(1);
}
console.log('README.md performance section regenerated from bench/results/latest.json');
