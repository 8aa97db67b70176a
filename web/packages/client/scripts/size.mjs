// Prints the size of the package bundled for browsers (esbuild, minified, ESM) and gzipped; fails over 15 KB.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

const LIMIT = 15 * 1024;
const result = await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
});
const code = result.outputFiles[0].contents;
const gz = gzipSync(code, { level: 9 }).length;
console.log(`@parley/client: ${code.length} bytes minified, ${gz} bytes gzipped (limit ${LIMIT})`);
if (gz > LIMIT) {
  console.error('over the size budget');
  process.exit(1);
}
