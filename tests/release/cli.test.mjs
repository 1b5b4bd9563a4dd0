// The npm release as an admin installs it: `npm install` of the tarball in an empty folder with no
// network, then `wxcc-sfdc` (the Rust CLI compiled to WebAssembly, run by Node) through the same
// table as the native CLI (tests/cli/cases.json), printing the same bytes with the same exit
// codes. Needs ./scripts/release first (RELEASE_TGZ=path chooses another tarball) and, for the
// byte comparison, the native CLI in target/debug (WXCC_SFDC_NATIVE=path chooses another).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const version = /^version = "([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))?.[1];
const tarball = process.env.RELEASE_TGZ ?? join(root, `dist/wxcc-sfdc-adapter-${version}.tgz`);
const native = process.env.WXCC_SFDC_NATIVE ?? join(root, "target/debug/wxcc-sfdc");
const table = JSON.parse(readFileSync(join(root, "tests/cli/cases.json"), "utf8")).cases;

let folder;
let bin;
let pkg;

function run(command, args, cwd, env = {}) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

// npm may not reach any registry: one that refuses every connection, and --offline.
const NO_NETWORK = { npm_config_registry: "http://127.0.0.1:9/", npm_config_offline: "true" };

describe("the npm release", () => {
  before(() => {
    assert.ok(existsSync(tarball), `${tarball} is missing: run ./scripts/release first`);
    folder = mkdtempSync(join(tmpdir(), "wxcc-release-"));
    const r = run("npm", ["install", "--no-audit", "--no-fund", tarball], folder, NO_NETWORK);
    assert.equal(r.status, 0, `npm install of the tarball, offline:\n${r.stdout}${r.stderr}`);
    bin = join(folder, "node_modules/.bin/wxcc-sfdc");
    pkg = join(folder, "node_modules/wxcc-sfdc-adapter");
  });
  after(() => folder && rmSync(folder, { recursive: true, force: true }));

  test("installs with no other package and holds what the admin guide names", () => {
    const lock = JSON.parse(readFileSync(join(folder, "package-lock.json"), "utf8"));
    assert.deepEqual(Object.keys(lock.packages).filter((p) => p !== ""), ["node_modules/wxcc-sfdc-adapter"]);
    for (const file of [
      "widget/widget.js",
      "widget/widget.wasm",
      "widget/manifest.json",
      "layouts/wxcc-sfdc-desktop-layout.json",
      "layouts/wxcc-sfdc-callcenter.xml",
      "salesforce/sfdx-project.json",
      "salesforce/force-app/main/default/classes/WxccCtiService.cls",
      "docs/admin-guide.md",
      "docs/hosting/_headers",
      "README.md",
      "CHANGELOG.md",
    ]) {
      assert.ok(existsSync(join(pkg, file)), `the package holds ${file}`);
    }
    const meta = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    assert.equal(meta.version, version);
    assert.equal(meta.engines.node, ">=18");
  });

  test("the widget manifest gives the version and the SRI hash of each hosted file", () => {
    const manifest = JSON.parse(readFileSync(join(pkg, "widget/manifest.json"), "utf8"));
    assert.equal(manifest.version, version);
    for (const name of ["widget.js", "widget.wasm"]) {
      const bytes = readFileSync(join(pkg, "widget", name));
      const sri = `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
      assert.equal(manifest.files[name].integrity, sri, name);
      assert.equal(manifest.files[name].bytes, bytes.length, name);
    }
  });

  test("npx wxcc-sfdc validate: 0 on the vendor reference, non-zero with the native diagnostics on a broken file", () => {
    const good = join(root, "tests/fixtures/reference/cisco-legacy-callcenter-definition.xml");
    const ok = run("npx", ["--offline", "wxcc-sfdc", "validate", good], folder, NO_NETWORK);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /0 error\(s\), 0 warning\(s\)/);
    const broken = join(root, "tests/fixtures/config/not-boolean.xml");
    const bad = run("npx", ["--offline", "wxcc-sfdc", "validate", broken], folder, NO_NETWORK);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /error: `reqUseApi` must be true or false/);
    if (existsSync(native)) {
      const theirs = run(native, ["validate", broken], folder);
      assert.equal(bad.stdout, theirs.stdout);
      assert.equal(bad.status, theirs.status);
    }
  });

  for (const c of table) {
    test(`CLI table: ${c.name}`, () => {
      const got = run(bin, c.args, root);
      assert.equal(got.status, c.exit, `exit code\n${got.stdout}\n${got.stderr}`);
      for (const want of c.stdout ?? []) assert.ok(got.stdout.includes(want), `stdout lacks ${want}:\n${got.stdout}`);
      for (const want of c.stderr ?? []) assert.ok(got.stderr.includes(want), `stderr lacks ${want}:\n${got.stderr}`);
      if (existsSync(native)) {
        const theirs = run(native, c.args, root);
        assert.equal(got.stdout, theirs.stdout, "the same stdout as the native CLI");
        assert.equal(got.stderr, theirs.stderr, "the same stderr as the native CLI");
        assert.equal(got.status, theirs.status, "the same exit code as the native CLI");
      }
    });
  }
});
