const fs = require('fs');
const { input, lines, entry } = require(require('path').join(__dirname, 'store.js'));

const key = input('key');
if (process.env.STATE_hit === 'true') {
  console.log(`Cache hit occurred on the primary key ${key}, not saving cache.`);
} else {
  const dest = entry(key);
  lines(input('path')).forEach((p, i) => {
    if (fs.existsSync(p)) fs.cpSync(p, `${dest}/${i}`, { recursive: true });
  });
  console.log(`Cache saved with key: ${key}`);
}
