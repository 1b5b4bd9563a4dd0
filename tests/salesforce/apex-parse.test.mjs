// Our Apex parsed offline by Salesforce's own parser (jorje), as shipped in prettier-plugin-apex:
// a native build of its apex-ast-serializer comes from the npm package
// @prettier-apex/apex-ast-serializer-linux-x64 (no JVM). Without that package the plugin falls
// back to the same serializer on Java (Debian's JDK), about 0.4 s a file instead of ~15 ms.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import * as apexPlugin from "prettier-plugin-apex";

const root = fileURLToPath(new URL("../../", import.meta.url));
const forceApp = join(root, "salesforce/force-app");

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const apexFiles = walk(forceApp).filter((f) => f.endsWith(".cls") || f.endsWith(".trigger"));

/** Parses (and prints) one Apex file with jorje; rejects with jorje's message on a syntax error. */
function parse(path) {
  return prettier.format(readFileSync(path, "utf8"), {
    parser: "apex",
    plugins: [apexPlugin],
    filepath: path,
    apexStandaloneParser: "native",
  });
}

describe("Apex syntax (Salesforce's jorje parser)", () => {
  test("there are Apex classes and triggers to parse", () => {
    assert.ok(apexFiles.length >= 4, `found ${apexFiles.map((f) => relative(root, f)).join(", ")}`);
  });

  for (const path of apexFiles) {
    test(`${relative(root, path)} parses`, async () => {
      await parse(path);
    });
  }

  for (const [problem, plant, error] of [
    [
      "a missing semicolon",
      (s) => s.replace("return JSON.serialize(statuses);", "return JSON.serialize(statuses)"),
      /Missing ';' at '\}'/,
    ],
    ["an unclosed brace", (s) => s.replace(/\}\s*$/, "\n"), /Expecting '\}' but was: '<EOF>'/],
  ]) {
    test(`${problem} is rejected (the check can fail)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "wxcc-apex-parse-"));
      try {
        const source = readFileSync(join(forceApp, "main/default/classes/sfdcOmniChannel.cls"), "utf8");
        const broken = plant(source);
        assert.notEqual(broken, source, "the planted error needs the line it changes");
        const copy = join(dir, "sfdcOmniChannel.cls");
        writeFileSync(copy, broken);
        await assert.rejects(parse(copy), error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
