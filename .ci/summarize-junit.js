// Prints "Tests: N passed, M failed" from a JUnit XML report written by jest-junit.
const fs = require('fs');
const xml = fs.readFileSync(process.argv[2], 'utf8');
const root = /<testsuites\b[^>]*>/.exec(xml);
const attr = (name) => Number((new RegExp(`${name}="(\\d+)"`).exec(root ? root[0] : '') || [0, 0])[1]);
const total = attr('tests');
const failed = attr('failures') + attr('errors');
const skipped = (xml.match(/<skipped\s*\/>/g) || []).length;
console.log(`Tests: ${total - failed - skipped} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
