// The real action (actions/dependency-review-action, dist/index.js) reads the pull request's
// base and head SHAs from the event, calls GET /repos/{repo}/dependency-graph/compare/{base}...{head}
// and fails on added packages whose vulnerabilities reach fail-on-severity.
const fs = require('fs');

const input = (name) => process.env[`INPUT_${name.toUpperCase()}`] || '';
const fail = (message) => { console.log(`::error::${message}`); process.exit(1); };
const ORDER = ['low', 'moderate', 'high', 'critical'];

async function main() {
  if (process.env.GITHUB_EVENT_NAME !== 'pull_request') {
    fail(`This run was triggered by the "${process.env.GITHUB_EVENT_NAME}" event, which is unsupported.`);
  }
  const event = JSON.parse(fs.readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'));
  const base = input('base-ref') || event.pull_request?.base?.sha;
  const head = input('head-ref') || event.pull_request?.head?.sha;
  if (!base || !head) fail('Both a base ref and head ref must be provided');
  const threshold = input('fail-on-severity') || 'low';
  if (!ORDER.includes(threshold)) fail(`Invalid fail-on-severity: ${threshold}`);
  const url = `${process.env.GITHUB_API_URL}/repos/${process.env.GITHUB_REPOSITORY}/dependency-graph/compare/${base}...${head}`;
  const resp = await fetch(url, {
    headers: {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${input('repo-token')}`,
      'X-GitHub-Api-Version': '2022-11-28',
    },
  });
  if (!resp.ok) fail(`Dependency review could not obtain dependency data: HTTP ${resp.status}`);
  const changes = await resp.json();
  const bad = changes.filter((c) => c.change_type === 'added').flatMap((c) =>
    (c.vulnerabilities || [])
      .filter((v) => ORDER.indexOf(v.severity) >= ORDER.indexOf(threshold))
      .map((v) => `${c.name}@${c.version} – ${v.advisory_ghsa_id} (${v.severity})`));
  console.log(`Dependency review: ${changes.length} change(s), ${bad.length} vulnerable at ${threshold} or above`);
  bad.forEach((line) => console.log(line));
  if (bad.length) fail('Dependency review detected vulnerable packages.');
}

main().catch((err) => fail(String(err)));
