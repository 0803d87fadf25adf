// Prints "Tests: N passed, M failed" from the JUnit XML reports written by jest-junit (one per jest run).
const fs = require('fs');
let total = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const xml = fs.readFileSync(file, 'utf8');
  const root = /<testsuites\b[^>]*>/.exec(xml);
  const attr = (name) => Number((new RegExp(`${name}="(\\d+)"`).exec(root ? root[0] : '') || [0, 0])[1]);
  total += attr('tests');
  failed += attr('failures') + attr('errors');
  skipped += (xml.match(/<skipped\s*\/>/g) || []).length;
}
console.log(`Tests: ${total - failed - skipped} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
