// Our Apex type-checked offline as Salesforce would compile it: the Apex language server
// (apex-ls, bundled in @salesforce/code-analyzer-pmd-engine, run on Debian's JDK) resolves every
// type, method, variable and field against Salesforce's standard SObjects. A misspelt field
// would otherwise first fail at deploy time in the customer's org.
//
// apex-ls stops checking Task fields as soon as the workspace has metadata of its own for Task
// (objects/Activity/fields/…, objects/Task/…): `found.WhatIdd` then passes. So the check runs on a
// copy of salesforce/ without those objects, where Task is Salesforce's standard Task. Our Apex does
// not name our activity fields (WxccQueue__c); if it ever must, it reads them dynamically
// (`fields=` of findTaskByCallObject) or this check needs another way to know them.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
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

/** Activity objects whose metadata in the workspace makes apex-ls lenient about Task fields. */
const ACTIVITY_OBJECTS = ["Activity", "Task", "Event"];

/**
 * Runs `body(workspace)` on a copy of salesforce/ without our activity objects (see the top of
 * this file); `edit(copy)` may plant a mistake first. The copy is removed afterwards.
 */
function onStrictCopy(body, edit = () => {}) {
  const copy = mkdtempSync(join(tmpdir(), "wxcc-apex-"));
  try {
    cpSync(join(root, "salesforce"), copy, { recursive: true });
    for (const object of ACTIVITY_OBJECTS) {
      rmSync(join(copy, "force-app/main/default/objects", object), { recursive: true, force: true });
    }
    edit(copy);
    return body(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe("Apex type check (apex-ls)", () => {
  test("our Apex has no unknown type, method, variable or field", () => {
    const { status, out } = onStrictCopy(check);
    assert.equal(status, 0, out);
    assert.equal(out.trim(), "", out);
  });

  test("a misspelt Task field is caught (the check can fail)", () => {
    const { status, out } = onStrictCopy(check, (copy) => {
      const cls = join(copy, "force-app/main/default/classes/WxccCtiService.cls");
      const source = readFileSync(cls, "utf8");
      assert.ok(source.includes("found.WhatId"), "the planted spelling mistake needs found.WhatId");
      writeFileSync(cls, source.replace("found.WhatId", "found.WhatIdd"));
    });
    assert.notEqual(status, 0, out);
    assert.match(out, /Unknown field 'WhatIdd' on SObject 'Schema\.Task'/);
  });

  test("the checked copy has all our Apex and none of the activity objects", () => {
    // What the copy drops is checked in check.test.mjs (custom field, report type, permission set).
    const objects = join(root, "salesforce/force-app/main/default/objects");
    onStrictCopy((copy) => {
      for (const object of ACTIVITY_OBJECTS) {
        assert.ok(!existsSync(join(copy, "force-app/main/default/objects", object)), object);
      }
      for (const cls of ["WxccCtiService.cls", "sfdcOmniChannel.cls"]) {
        assert.ok(existsSync(join(copy, "force-app/main/default/classes", cls)), cls);
      }
    });
    assert.ok(existsSync(join(objects, "Activity")), "the real salesforce/ keeps objects/Activity");
  });

  test("the SOQL runs in the agent's user mode", () => {
    for (const cls of ["WxccCtiService", "sfdcOmniChannel"]) {
      const source = readFileSync(join(root, `salesforce/force-app/main/default/classes/${cls}.cls`), "utf8");
      assert.match(source, /WITH USER_MODE/, cls);
    }
  });
});
