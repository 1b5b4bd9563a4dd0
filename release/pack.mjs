// Writes the release's package.json and the widget's manifest (SRI hashes) into a staged
// package folder: node release/pack.mjs STAGE VERSION. Called by ./scripts/release.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const [stage, version] = process.argv.slice(2);
if (!stage || !version) {
  console.error('usage: node release/pack.mjs STAGE VERSION');
  process.exit(2);
}

// Subresource Integrity values (sha384, as browsers check them) of what an admin hosts, so a
// layout or a host can pin exactly these bytes.
const files = {};
for (const name of ['widget.js', 'widget.wasm']) {
  const bytes = await readFile(path.join(stage, 'widget', name));
  files[name] = { integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`, bytes: bytes.length };
}
const manifest = { name: 'wxcc-sfdc-adapter', version, files };
await writeFile(path.join(stage, 'widget', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const pkg = {
  name: 'wxcc-sfdc-adapter',
  version,
  description:
    'Webex Contact Center ↔ Salesforce Lightning (Open CTI) adapter: the agent widget to host, the ' +
    'desktop layout and call center definition, the Salesforce metadata, and the wxcc-sfdc admin CLI',
  license: 'Apache-2.0',
  type: 'module',
  bin: { 'wxcc-sfdc': 'bin/wxcc-sfdc.mjs' },
  engines: { node: '>=18' },
  files: ['bin/', 'cli/', 'widget/', 'layouts/', 'salesforce/', 'docs/', 'CHANGELOG.md'],
};
await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
