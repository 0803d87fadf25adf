// Writes the README's Python blocks, in order, into one module: the first block is the whole tour
// and later ones continue it, as the TypeScript blocks do. pyright then checks it against the
// generated Python bindings (task bindings).
const fs = require('fs');
const path = require('path');

const [readme, out] = process.argv.slice(2);
const blocks = [...fs.readFileSync(readme, 'utf8').matchAll(/^```python\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
if (blocks.length === 0) {
  console.error(`${readme} has no \`\`\`python block: the Python tour is what this checks`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, blocks.join('\n'));
console.log(`${blocks.length} Python block(s) of ${readme} in ${out}`);
