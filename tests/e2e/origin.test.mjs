// The loader's early origin check (www/widget/src/origin.js) against Rust's (src/origin.rs, the
// widget's isTrustedConsoleOrigin): the same answer for every origin tried, so the loader never
// starts loading Open CTI from an origin the adapter then refuses. Runs in Node against the built
// widget (www/widget/pkg, ./scripts/build-widget); no browser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoDir } from './harness.mjs';

const rs = readFileSync(join(repoDir, 'src', 'origin.rs'), 'utf8');
const start = rs.indexOf('const SALESFORCE_SUFFIXES');
const SUFFIXES = [...rs.slice(start, rs.indexOf('];', start)).matchAll(/"(\.[a-z.-]+)"/g)].map((m) => m[1]);
globalThis.__SALESFORCE_SUFFIXES__ = SUFFIXES; // what www/widget/build.mjs defines
const { earlyTrusted } = await import(join(repoDir, 'www', 'widget', 'src', 'origin.js'));
const glue = await import(join(repoDir, 'www', 'widget', 'pkg', 'widget.js'));
glue.initSync({ module: readFileSync(join(repoDir, 'www', 'widget', 'pkg', 'widget_bg.wasm')) });

/** Origins an attacker or a typo could give, around every Salesforce domain. */
function corpus() {
  const hosts = ['acme.my', 'acme--c.vf', 'a', '', 'evil.example', 'acme.my.salesforce.com.evil', 'ACME.MY', 'ac me', 'acme_1', 'acme.', '.', 'user@acme.my', 'acme.my/x', 'acmé.my'];
  const out = new Set(['', 'https://', 'https://:443', 'javascript://acme.my.salesforce.com', 'https://acme.my.salesforce.com:', 'null']);
  for (const scheme of ['https', 'http', 'HTTPS', 'wss', 'file']) {
    for (const base of hosts) {
      for (const suffix of [...SUFFIXES, '', '.com', SUFFIXES[0].toUpperCase(), `${SUFFIXES[0]}.`]) {
        for (const port of ['', ':443', ':8443', ':99999', ':123456', ':', ':8a', ':0']) {
          const host = base + suffix;
          out.add(`${scheme}://${host}${port}`);
          out.add(`${scheme}://${suffix.replace(/^\./, '')}${port}`);
        }
      }
    }
  }
  return [...out];
}

test('the loader trusts exactly the origins the adapter trusts', () => {
  const extras = ['', 'http://127.0.0.1:8080', ' https://evil.example , http://127.0.0.1:8080 ', ',,'];
  let trusted = 0;
  let tried = 0;
  for (const origin of corpus()) {
    for (const page of ['https:', 'http:']) {
      for (const extra of extras) {
        const rust = glue.isTrustedConsoleOrigin(origin, extra, page);
        assert.equal(earlyTrusted(origin, extra, page), rust, `${origin} (extra ${JSON.stringify(extra)}, page ${page}): Rust says ${rust}`);
        trusted += rust ? 1 : 0;
        tried += 1;
      }
    }
  }
  assert.ok(trusted > 100 && tried - trusted > 1000, `${trusted} trusted of ${tried}: the corpus covers both answers`);
  assert.equal(earlyTrusted('http://127.0.0.1:8080', 'http://127.0.0.1:8080', 'http:'), true);
  assert.equal(earlyTrusted('https://evil.example.com', '', 'https:'), false);
});
