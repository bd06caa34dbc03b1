const fs = require('fs');
const { input, lines, entry, find } = require(require("path").join(__dirname, "store.js"));

const key = input('key');
const hit = find(key, lines(input('restore-keys')));
const paths = lines(input('path'));
if (hit) {
  paths.forEach((p, i) => {
    const src = `${entry(hit.key)}/${i}`;
    if (fs.existsSync(src)) fs.cpSync(src, p, { recursive: true });
  });
  console.log(`Cache restored from key: ${hit.key}`);
} else {
  console.log(`Cache not found for input keys: ${key}`);
}
fs.appendFileSync(process.env.GITHUB_OUTPUT, `cache-hit=${hit && hit.exact ? 'true' : 'false'}\n`);
fs.appendFileSync(process.env.GITHUB_STATE, `hit=${hit && hit.exact ? 'true' : 'false'}\n`);
