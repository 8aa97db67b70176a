// Prints the JavaScript of the app's first load (what index.html references, and what those modules import
// statically), gzipped. Run after `npm run build`.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
const seen = new Set();
const queue = [...entries];
while (queue.length) {
  const f = queue.shift();
  if (seen.has(f)) continue;
  seen.add(f);
  const code = readFileSync(join(dist, f), 'utf8');
  // static imports only (dynamic import() chunks, like oidc-client-ts, load later and only when needed)
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"()]*?from\s*)?["']\.?\/?([^"']+\.js)["']/g)) {
    const dep = join(dirname(f), m[1]).replace(/^\.\//, '');
    queue.push(dep.startsWith('assets/') ? dep : `assets/${m[1].replace(/^.*\//, '')}`);
  }
}
let raw = 0;
let gz = 0;
for (const f of seen) {
  const buf = readFileSync(join(dist, f));
  raw += buf.length;
  gz += gzipSync(buf, { level: 9 }).length;
  console.log(`${f}: ${(buf.length / 1024).toFixed(1)} KB, ${(gzipSync(buf, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`);
}
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
console.log(`first load: ${seen.size} file(s), ${(raw / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped (limit 200 KB); ${all.length} JS file(s) in all`);
if (gz > 200 * 1024) process.exit(1);
