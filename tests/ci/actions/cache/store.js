// The cache folder: one sub-folder per key (URI-encoded), one numbered copy per path.
const fs = require('fs');
const path = require('path');

const root = process.env.SHIPYARD_ACT_CACHE;
if (!root) throw new Error('the act harness sets SHIPYARD_ACT_CACHE');
const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] || '';
const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);
const entry = (key) => path.join(root, encodeURIComponent(key));

function find(key, prefixes) {
  if (fs.existsSync(entry(key))) return { key, exact: true };
  const all = fs.existsSync(root) ? fs.readdirSync(root).map(decodeURIComponent) : [];
  for (const prefix of prefixes) {
    const found = all
      .filter((k) => k.startsWith(prefix))
      .sort((a, b) => fs.statSync(entry(b)).mtimeMs - fs.statSync(entry(a)).mtimeMs);
    if (found.length) return { key: found[0], exact: false };
  }
  return null;
}

module.exports = { root, input, lines, entry, find };
