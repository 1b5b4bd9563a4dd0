// Our Apex type-checked offline as Salesforce would compile it: the Apex language server
// (apex-ls, bundled in @salesforce/code-analyzer-pmd-engine, run on Debian's JDK) resolves every
// type, method, variable and field against Salesforce's standard SObjects. A misspelt field
// would otherwise first fail at deploy time in the customer's org.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const jars = join(root, "node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib/*");

/** apex-ls CheckForIssues on an SFDX workspace: {status, out}. */
function check(workspace) {
  const r = spawnSync("java", ["-cp", jars, "io.github.apexdevtools.apexls.CheckForIssues", "-n", "-d", "warnings", "-w", workspace], {
    encoding: "utf8",
    timeout: 240_000,
  });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

describe("Apex type check (apex-ls)", () => {
  test("our Apex has no unknown type, method, variable or field", () => {
    const { status, out } = check(join(root, "salesforce"));
    assert.equal(status, 0, out);
    assert.equal(out.trim(), "", out);
  });

  test("a misspelt Task field is caught (the check can fail)", () => {
    const copy = mkdtempSync(join(tmpdir(), "wxcc-apex-"));
    try {
      cpSync(join(root, "salesforce"), copy, { recursive: true });
      const cls = join(copy, "force-app/main/default/classes/WxccCtiService.cls");
      const source = readFileSync(cls, "utf8");
      assert.ok(source.includes("found.WhatId"), "the planted spelling mistake needs found.WhatId");
      writeFileSync(cls, source.replace("found.WhatId", "found.WhatIdd"));
      const { status, out } = check(copy);
      assert.notEqual(status, 0, out);
      assert.match(out, /Unknown field 'WhatIdd' on SObject 'Schema\.Task'/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test("the SOQL runs in the agent's user mode", () => {
    for (const cls of ["WxccCtiService", "sfdcOmniChannel"]) {
      const source = readFileSync(join(root, `salesforce/force-app/main/default/classes/${cls}.cls`), "utf8");
      assert.match(source, /WITH USER_MODE/, cls);
    }
  });
});
