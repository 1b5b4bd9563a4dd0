// The Salesforce metadata we ship (salesforce/, SFDX source format): Apex parsed with a real Apex
// parser, the classes and methods of docs/contracts.md, every metadata file against its expected
// shape, and the Omni-Channel bridge's behaviour with a fake component.
// Run: node --test tests/salesforce/ (finds this file by its .test.mjs name)
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, basename } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { ApexParserFactory, ApexErrorListener } from "@apexdevtools/apex-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";

const root = fileURLToPath(new URL("../../", import.meta.url));
const sfdx = join(root, "salesforce");
const source = join(sfdx, "force-app", "main", "default");
const METADATA_NS = "http://soap.sforce.com/2006/04/metadata";

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const files = walk(source);
const rel = (path) => relative(root, path);
const read = (path) => readFileSync(path, "utf8");

const project = JSON.parse(read(join(sfdx, "sfdx-project.json")));
const API_VERSION = project.sourceApiVersion;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  // Elements that may repeat are always arrays.
  isArray: (name) =>
    ["lightningMessageFields", "classAccesses", "aura:handler", "aura:attribute", "design:attribute"].includes(name),
});

/** Parses a metadata XML file: well-formed, exactly one root element. */
function parseXml(path) {
  const text = read(path);
  const valid = XMLValidator.validate(text);
  assert.equal(valid, true, `${rel(path)} is not well-formed XML: ${JSON.stringify(valid.err ?? valid)}`);
  const doc = xml.parse(text);
  const roots = Object.keys(doc).filter((k) => k !== "?xml");
  assert.equal(roots.length, 1, `${rel(path)} must have one root element, found ${roots.join(", ")}`);
  return { name: roots[0], node: doc[roots[0]] };
}

function expectRoot(path, rootName, { namespace = true } = {}) {
  const { name, node } = parseXml(path);
  assert.equal(name, rootName, `${rel(path)}: root element`);
  if (namespace) {
    assert.equal(node["@xmlns"], METADATA_NS, `${rel(path)}: xmlns`);
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// The contract: Apex classes, their methods and parameters; message channel fields.

const contracts = read(join(root, "docs", "contracts.md"));

/** `| \`Class.method\` | params | returns |` rows of the Apex table. */
function contractApex() {
  const section = contracts.split("## Apex")[1]?.split("\n## ")[0] ?? "";
  const methods = [];
  for (const line of section.split("\n")) {
    const m = line.match(/^\|\s*`(\w+)\.(\w+)`\s*\|([^|]*)\|/);
    if (!m) continue;
    const params = [...m[3].matchAll(/`(\w+)=/g)].map((p) => p[1]);
    methods.push({ cls: m[1], method: m[2], params });
  }
  return methods;
}

/** Fields of the message channel table, plus `source` and `type` that every message has. */
function contractChannelFields() {
  const section = contracts.split("## Omni-Channel message channel")[1] ?? "";
  const fields = new Set(["source", "type"]);
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 5 || !/^(adapter|bridge)$/.test(cells[1])) continue;
    for (const f of cells[3].matchAll(/`(\w+)\??`/g)) fields.add(f[1]);
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Apex

class CollectingListener extends ApexErrorListener {
  errors = [];
  apexSyntaxError(line, column, msg) {
    this.errors.push(`${line}:${column} ${msg}`);
  }
}

function parseApex(path) {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(read(path), listener);
  const unit = parser.compilationUnit();
  return { unit, errors: listener.errors };
}

const modifiers = (list) => list.map((m) => m.getText().toLowerCase());

/** The top-level class of a file: its name, modifiers, methods with modifiers and parameters. */
function describeClass(path) {
  const { unit, errors } = parseApex(path);
  assert.deepEqual(errors, [], `${rel(path)} has syntax errors`);
  const type = unit.typeDeclaration();
  const cls = type.classDeclaration();
  assert.ok(cls, `${rel(path)} declares no class`);
  const methods = [];
  for (const decl of cls.classBody().classBodyDeclaration_list()) {
    const method = decl.memberDeclaration()?.methodDeclaration();
    if (!method) continue;
    const params = method.formalParameters().formalParameterList()?.formalParameter_list() ?? [];
    methods.push({
      name: method.id().getText(),
      modifiers: modifiers(decl.modifier_list()),
      returns: method.VOID() ? "void" : method.typeRef().getText(),
      params: params.map((p) => ({ type: p.typeRef().getText(), name: p.id().getText() })),
    });
  }
  return { name: cls.id().getText(), modifiers: modifiers(type.modifier_list()), methods };
}

const apexFiles = files.filter((f) => f.endsWith(".cls"));

describe("Apex", () => {
  test("there are Apex classes to check", () => {
    assert.ok(apexFiles.length >= 4, `found ${apexFiles.map(rel).join(", ")}`);
  });

  for (const path of apexFiles) {
    test(`${basename(path)} parses without syntax errors`, () => {
      const { errors } = parseApex(path);
      assert.deepEqual(errors, []);
    });
  }

  test("the parser rejects broken Apex (the check is not vacuous)", () => {
    const listener = new CollectingListener();
    const { parser } = ApexParserFactory.createLexerAndParser("global class X { webService static String f( { }", listener);
    parser.compilationUnit();
    assert.ok(listener.errors.length > 0);
  });

  const contract = contractApex();
  test("docs/contracts.md lists the Apex methods", () => {
    assert.ok(contract.length >= 3, JSON.stringify(contract));
  });

  for (const { cls, method, params } of contract) {
    test(`${cls}.${method} exists and runApex can call it with (${params.join(", ")})`, () => {
      const path = join(source, "classes", `${cls}.cls`);
      assert.ok(existsSync(path), `${rel(path)} is missing`);
      const described = describeClass(path);
      assert.equal(described.name, cls, "class name = file name");
      // Open CTI runApex calls webService methods, which live in global classes.
      assert.ok(described.modifiers.includes("global"), `${cls} must be global`);
      const found = described.methods.filter((m) => m.name === method);
      assert.equal(found.length, 1, `${cls}.${method} declared ${found.length} times`);
      const [m] = found;
      assert.ok(m.modifiers.includes("webservice") && m.modifiers.includes("static"), `${m.modifiers}`);
      assert.equal(m.returns, "String", "runApex returns the method's String");
      assert.deepEqual(
        m.params,
        params.map((name) => ({ type: "String", name })),
        "parameters are Strings named as in methodParams",
      );
    });
  }

  for (const path of apexFiles.filter((f) => !f.endsWith("Test.cls"))) {
    const cls = basename(path, ".cls");
    test(`${cls} has an Apex test class with test methods`, () => {
      const testPath = join(source, "classes", `${cls}Test.cls`);
      assert.ok(existsSync(testPath), `${rel(testPath)} is missing`);
      const text = read(testPath);
      const described = describeClass(testPath);
      assert.equal(described.name, `${cls}Test`);
      assert.match(text, /^\s*@IsTest\s+private\s+class/im, "test classes are @IsTest private");
      const tests = described.methods.filter((m) => m.modifiers.includes("@istest"));
      assert.ok(tests.length >= 2, `${described.name} has ${tests.length} @IsTest methods`);
      assert.ok(text.includes(`${cls}.`), `${described.name} calls ${cls}`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Metadata shapes

/** Shape checks by kind of file; a file no kind matches fails the test. */
const shapes = [
  {
    kind: "Apex class",
    match: (p) => p.endsWith(".cls"),
    check: (p) => assert.ok(existsSync(`${p}-meta.xml`), `${rel(p)} has no -meta.xml`),
  },
  {
    kind: "Apex class metadata",
    match: (p) => p.endsWith(".cls-meta.xml"),
    check: (p) => {
      const node = expectRoot(p, "ApexClass");
      assert.equal(node.apiVersion, API_VERSION, "apiVersion = sourceApiVersion");
      assert.equal(node.status, "Active");
      assert.ok(existsSync(p.replace(/-meta\.xml$/, "")), "the class beside it");
    },
  },
  {
    kind: "Lightning message channel",
    match: (p) => p.endsWith(".messageChannel-meta.xml"),
    check: (p) => {
      const node = expectRoot(p, "LightningMessageChannel");
      assert.equal(basename(p), "WxccOmniSync.messageChannel-meta.xml");
      assert.equal(node.masterLabel, "WxccOmniSync");
      assert.equal(node.isExposed, "true", "the softphone (Open CTI) can only use exposed channels");
      assert.ok(node.description, "description");
      const fields = node.lightningMessageFields.map((f) => f.fieldName);
      assert.equal(new Set(fields).size, fields.length, "no field twice");
      assert.deepEqual(new Set(fields), contractChannelFields(), "fields of docs/contracts.md");
      for (const f of node.lightningMessageFields) assert.ok(f.description, `${f.fieldName} has a description`);
    },
  },
  {
    kind: "permission set",
    match: (p) => p.endsWith(".permissionset-meta.xml"),
    check: (p) => {
      const node = expectRoot(p, "PermissionSet");
      assert.ok(node.label, "label");
      assert.equal(node.hasActivationRequired, "false");
      const granted = node.classAccesses.filter((a) => a.enabled === "true").map((a) => a.apexClass);
      const runApex = apexFiles.map((f) => basename(f, ".cls")).filter((c) => !c.endsWith("Test"));
      assert.deepEqual(new Set(granted), new Set(runApex), "grants exactly the non-test Apex classes");
      for (const cls of granted) assert.ok(existsSync(join(source, "classes", `${cls}.cls`)), cls);
    },
  },
  {
    kind: "Aura bundle metadata",
    match: (p) => p.endsWith(".cmp-meta.xml"),
    check: (p) => {
      const node = expectRoot(p, "AuraDefinitionBundle");
      assert.equal(node.apiVersion, API_VERSION);
      assert.ok(node.description, "description");
    },
  },
  {
    kind: "Aura component",
    match: (p) => p.endsWith(".cmp"),
    check: (p) => checkBridgeMarkup(p),
  },
  {
    kind: "Aura design",
    match: (p) => p.endsWith(".design"),
    check: (p) => {
      const node = expectRoot(p, "design:component", { namespace: false });
      const cmp = expectRoot(p.replace(/\.design$/, ".cmp"), "aura:component", { namespace: false });
      const globals = cmp["aura:attribute"].filter((a) => a["@access"] === "global").map((a) => a["@name"]);
      for (const attr of node["design:attribute"] ?? []) {
        assert.ok(globals.includes(attr["@name"]), `design attribute ${attr["@name"]} is a global aura:attribute`);
        assert.ok(attr["@label"], "label");
      }
    },
  },
  {
    kind: "Aura controller or helper",
    match: (p) => /aura\/\w+\/\w+(Controller|Helper)\.js$/.test(p),
    check: (p) => {
      const obj = loadAuraObject(p);
      assert.equal(typeof obj, "object", `${rel(p)} is one object literal`);
      for (const [name, value] of Object.entries(obj)) {
        if (p.endsWith("Controller.js")) assert.equal(typeof value, "function", `${name} is an action`);
      }
    },
  },
];

function shapeOf(path) {
  return shapes.find((s) => s.match(path));
}

function loadAuraObject(path) {
  // An Aura controller/helper is one parenthesised object literal.
  return new vm.Script(read(path), { filename: path }).runInNewContext({});
}

function checkBridgeMarkup(path) {
  const cmp = expectRoot(path, "aura:component", { namespace: false });
  assert.equal(basename(path), "WxccOmniBridge.cmp");
  assert.match(cmp["@implements"], /lightning:backgroundUtilityItem/, "a utility item that loads with the app");
  assert.equal(cmp["@access"], "global");
  const toolkit = cmp["lightning:omniToolkitAPI"];
  assert.ok(toolkit && toolkit["@aura:id"] === "omniToolkit", "lightning:omniToolkitAPI aura:id=omniToolkit");
  const channel = cmp["lightning:messageChannel"];
  assert.ok(channel, "lightning:messageChannel is a direct child of aura:component");
  assert.equal(channel["@type"], "WxccOmniSync__c");
  assert.equal(channel["@scope"], "APPLICATION", "receive messages wherever the softphone is");
  assert.equal(channel["@aura:id"], "wxccOmniSync");
  const handlers = Object.fromEntries(cmp["aura:handler"].map((h) => [h["@event"], h["@action"]]));
  for (const event of [
    "lightning:omniChannelStatusChanged",
    "lightning:omniChannelWorkAccepted",
    "lightning:omniChannelWorkClosed",
    "lightning:omniChannelLogout",
  ]) {
    assert.ok(handlers[event], `handles ${event}`);
  }
  const controller = loadAuraObject(path.replace(/\.cmp$/, "Controller.js"));
  const actions = [channel["@onMessage"], ...Object.values(handlers)];
  for (const action of actions) {
    const m = /^\{!\s*c\.(\w+)\s*\}$/.exec(action ?? "");
    assert.ok(m, `action ${action} is {!c.name}`);
    assert.equal(typeof controller[m[1]], "function", `controller has ${m[1]}`);
  }
}

describe("metadata", () => {
  test("sfdx-project.json is an SFDX project with force-app as its default package", () => {
    assert.match(API_VERSION, /^\d{2}\.0$/);
    const dirs = project.packageDirectories;
    assert.ok(dirs.some((d) => d.path === "force-app" && d.default === true), JSON.stringify(dirs));
    assert.ok(existsSync(join(sfdx, "force-app", "main", "default")));
  });

  test("the files of the contract are there", () => {
    for (const path of [
      "messageChannels/WxccOmniSync.messageChannel-meta.xml",
      "aura/WxccOmniBridge/WxccOmniBridge.cmp",
      "aura/WxccOmniBridge/WxccOmniBridge.cmp-meta.xml",
      "aura/WxccOmniBridge/WxccOmniBridgeController.js",
      "aura/WxccOmniBridge/WxccOmniBridgeHelper.js",
      "aura/WxccOmniBridge/WxccOmniBridge.design",
      "classes/sfdcOmniChannel.cls",
      "classes/WxccCtiService.cls",
    ]) {
      assert.ok(existsSync(join(source, path)), path);
    }
    const sets = files.filter((f) => f.endsWith(".permissionset-meta.xml"));
    assert.equal(sets.length, 1, "one permission set");
  });

  for (const path of files) {
    test(`${rel(path)} has the shape of its kind`, () => {
      const shape = shapeOf(path);
      assert.ok(shape?.check, `no shape check for ${rel(path)}: add one to tests/salesforce/check.mjs`);
      shape.check(path);
    });
  }

  test("a file of the wrong shape is caught (the checks are not vacuous)", () => {
    const node = xml.parse(`<ApexClass xmlns="${METADATA_NS}"><apiVersion>1.0</apiVersion></ApexClass>`).ApexClass;
    assert.notEqual(node.apiVersion, API_VERSION);
    assert.notEqual(XMLValidator.validate("<a><b></a>"), true);
  });
});

// ---------------------------------------------------------------------------------------------
// The Omni-Channel bridge, run with a fake component, toolkit and message channel.

const bundle = join(source, "aura", "WxccOmniBridge");

/** A controlled promise: the test decides when the toolkit answers. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function makeBridge() {
  const context = { $A: { getCallback: (fn) => fn }, console, Date, JSON, Object };
  const controller = new vm.Script(read(join(bundle, "WxccOmniBridgeController.js"))).runInNewContext(context);
  const helper = new vm.Script(read(join(bundle, "WxccOmniBridgeHelper.js"))).runInNewContext(context);
  const published = [];
  const calls = [];
  const pending = { set: [], get: [], logout: [] };
  const attributes = { "v.debug": false, "v.state": null };
  const toolkit = {
    setServicePresenceStatus: (args) => {
      calls.push(["setServicePresenceStatus", JSON.parse(JSON.stringify(args))]); // out of the vm realm
      const d = deferred();
      pending.set.push(d);
      return d.promise;
    },
    getServicePresenceStatusId: () => {
      calls.push(["getServicePresenceStatusId"]);
      const d = deferred();
      pending.get.push(d);
      return d.promise;
    },
    logout: () => {
      calls.push(["logout"]);
      const d = deferred();
      pending.logout.push(d);
      return d.promise;
    },
  };
  const component = {
    get: (name) => attributes[name],
    set: (name, value) => {
      attributes[name] = value;
    },
    find: (id) =>
      ({
        omniToolkit: toolkit,
        wxccOmniSync: { publish: (message) => published.push(JSON.parse(JSON.stringify(message))) },
      })[id],
  };
  const event = (params) => ({ getParam: (name) => params[name] });
  const message = (params) => controller.onMessage(component, event(params), helper);
  const fire = (action, params = {}) => controller[action](component, event(params), helper);
  const settle = () => new Promise((r) => setImmediate(r));
  return { helper, published, calls, pending, message, fire, settle };
}

const AVAILABLE_15 = "0N5xx0000004CSO";
const AVAILABLE_18 = "0N5xx0000004CSOCA2";
const BUSY_18 = "0N5xx0000004D3UCAU";

describe("WxccOmniBridge", () => {
  test("Ids are compared in their 18-character form", () => {
    const { helper } = makeBridge();
    assert.equal(helper.to18("0015000000Gv7qJ"), "0015000000Gv7qJAAR");
    assert.equal(helper.to18(AVAILABLE_15), AVAILABLE_18);
    assert.equal(helper.to18(AVAILABLE_18), AVAILABLE_18);
    assert.equal(helper.to18(undefined), "");
  });

  test("setStatus answers once with its requestId when the toolkit answers first", async () => {
    const b = makeBridge();
    b.message({ source: "adapter", type: "setStatus", statusId: BUSY_18, requestId: "r1" });
    assert.deepEqual(b.calls, [["setServicePresenceStatus", { statusId: BUSY_18 }]]);
    b.pending.set[0].resolve({ statusId: BUSY_18.slice(0, 15), statusName: "Busy" });
    await b.settle();
    // Then Omni-Channel's own event for the same change: not reported again.
    b.fire("onStatusChanged", { statusId: BUSY_18.slice(0, 15), statusName: "Busy" });
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: BUSY_18, statusName: "Busy", requestId: "r1" },
    ]);
  });

  test("setStatus answers once with its requestId when the Omni-Channel event comes first", async () => {
    const b = makeBridge();
    b.message({ source: "adapter", type: "setStatus", statusId: BUSY_18, requestId: "r2" });
    b.fire("onStatusChanged", { statusId: BUSY_18.slice(0, 15), statusName: "Busy" });
    b.pending.set[0].resolve({ statusId: BUSY_18, statusName: "Busy" });
    await b.settle();
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: BUSY_18, statusName: "Busy", requestId: "r2" },
    ]);
  });

  test("a status the agent chooses is reported without a requestId", () => {
    const b = makeBridge();
    b.fire("onStatusChanged", { statusId: AVAILABLE_15, statusName: "Available" });
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: AVAILABLE_18, statusName: "Available" },
    ]);
  });

  test("a failed setStatus answers with the status the agent still has", async () => {
    const b = makeBridge();
    b.message({ source: "adapter", type: "setStatus", statusId: BUSY_18, requestId: "r3" });
    b.pending.set[0].reject(new Error("no access to that status"));
    await b.settle();
    assert.deepEqual(b.calls.at(-1), ["getServicePresenceStatusId"]);
    b.pending.get[0].resolve({ statusId: AVAILABLE_15, statusName: "Available" });
    await b.settle();
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: AVAILABLE_18, statusName: "Available", requestId: "r3" },
    ]);
  });

  test("getStatus answers with the current status, or none when not logged in", async () => {
    const b = makeBridge();
    b.message({ source: "adapter", type: "getStatus", requestId: "g1" });
    b.pending.get[0].resolve({ statusId: AVAILABLE_15, statusName: "Available" });
    b.message({ source: "adapter", type: "getStatus", requestId: "g2" });
    b.pending.get[1].reject(new Error("not logged in"));
    await b.settle();
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: AVAILABLE_18, statusName: "Available", requestId: "g1" },
      { source: "bridge", type: "statusChanged", statusId: "", statusName: "", requestId: "g2" },
    ]);
  });

  test("setStatus with no status logs out of Omni-Channel", async () => {
    const b = makeBridge();
    b.message({ source: "adapter", type: "setStatus", statusId: "", requestId: "o1" });
    assert.deepEqual(b.calls, [["logout"]]);
    b.pending.logout[0].resolve();
    await b.settle();
    b.fire("onLogout");
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: "", statusName: "", requestId: "o1" },
      { source: "bridge", type: "loggedOut" },
    ]);
  });

  test("work accepted and closed are passed on with their ids", () => {
    const b = makeBridge();
    b.fire("onWorkAccepted", { workId: "0Bz1", workItemId: "500A" });
    b.fire("onWorkClosed", { workId: "0Bz1", workItemId: "500A" });
    assert.deepEqual(b.published, [
      { source: "bridge", type: "workAccepted", workId: "0Bz1", workItemId: "500A" },
      { source: "bridge", type: "workClosed", workId: "0Bz1", workItemId: "500A" },
    ]);
  });

  test("the bridge ignores its own messages and unknown senders", () => {
    const b = makeBridge();
    b.message({ source: "bridge", type: "setStatus", statusId: BUSY_18, requestId: "x" });
    b.message({ type: "getStatus", requestId: "y" });
    assert.deepEqual(b.calls, []);
    assert.deepEqual(b.published, []);
  });

  test("login success reports the status once even when a status event follows", async () => {
    const b = makeBridge();
    b.fire("onLoginSuccess", { statusId: AVAILABLE_15 });
    b.pending.get[0].resolve({ statusId: AVAILABLE_15, statusName: "Available" });
    await b.settle();
    b.fire("onStatusChanged", { statusId: AVAILABLE_15, statusName: "Available" });
    assert.deepEqual(b.published, [
      { source: "bridge", type: "statusChanged", statusId: AVAILABLE_18, statusName: "Available" },
    ]);
  });
});
