// The Salesforce metadata we ship (salesforce/, SFDX source format): Apex parsed with a real Apex
// parser, the classes and methods of docs/contracts.md, every metadata file against its expected
// shape (elements and values the Metadata API defines, references between files: a report's
// columns are columns of its report type, a dashboard shows reports that are there, the permission
// set grants our fields), the call reports' content, and the Omni-Channel bridge's behaviour with a
// fake component.
// Run: node --test tests/salesforce/ (finds this file by its .test.mjs name)
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, basename } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { ApexParserFactory, ApexErrorListener } from "@apexdevtools/apex-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ELEMENTS, ENUMS, SINCE, STANDARD_FIELDS } from "./metadata-api.mjs";

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
    [
      "lightningMessageFields",
      "classAccesses",
      "fieldPermissions",
      "aura:handler",
      "aura:attribute",
      "design:attribute",
      "sections",
      "columns",
      "aggregateTypes",
      "criteriaItems",
      "groupingsDown",
      "groupingsAcross",
      "folderShares",
      "dashboardGridComponents",
      "groupingColumn",
      "chartSummary",
    ].includes(name),
});

/** Parses a metadata XML file (or `text` given for it): well-formed, exactly one root element. */
function parseXml(path, text = read(path)) {
  const valid = XMLValidator.validate(text);
  assert.equal(valid, true, `${rel(path)} is not well-formed XML: ${JSON.stringify(valid.err ?? valid)}`);
  const doc = xml.parse(text);
  const roots = Object.keys(doc).filter((k) => k !== "?xml");
  assert.equal(roots.length, 1, `${rel(path)} must have one root element, found ${roots.join(", ")}`);
  return { name: roots[0], node: doc[roots[0]] };
}

function expectRoot(path, rootName, { namespace = true, text } = {}) {
  const { name, node } = parseXml(path, text);
  assert.equal(name, rootName, `${rel(path)}: root element`);
  if (namespace) {
    assert.equal(node["@xmlns"], METADATA_NS, `${rel(path)}: xmlns`);
  }
  return node;
}

/** The child elements of `node` are elements of the Metadata API `type`, with the required ones. */
function expectElements(node, type, where) {
  const spec = ELEMENTS[type];
  assert.ok(spec, `no element list for ${type} in metadata-api.mjs`);
  assert.equal(typeof node, "object", `${where}: <${type}> has no elements`);
  const names = Object.keys(node).filter((k) => !k.startsWith("@"));
  for (const n of names) {
    assert.ok(spec.required.includes(n) || spec.optional.includes(n), `${where}: <${n}> is not an element of ${type}`);
  }
  for (const r of spec.required) assert.ok(names.includes(r), `${where}: ${type} needs <${r}>`);
}

/** `value` is one of the Metadata API enumeration `name`. */
function expectEnum(value, name, where) {
  assert.ok(
    ENUMS[name].includes(value),
    `${where}: ${JSON.stringify(value)} is not a ${name} (${ENUMS[name].join(", ")})`,
  );
}

/** The project's sourceApiVersion has the element `key` of SINCE. */
function expectSince(key, where) {
  assert.ok(
    Number(API_VERSION) >= SINCE[key],
    `${where}: ${key} needs API ${SINCE[key]}.0, sfdx-project.json says ${API_VERSION}`,
  );
}

const isBool = (v) => v === "true" || v === "false";
const isInt = (v) => /^\d+$/.test(v ?? "");
/** A developer name: letters, digits and single underscores, starting with a letter. */
const DEV_NAME = /^[A-Za-z](?!.*__)\w*[A-Za-z0-9]$/;

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
    check: (p) => checkPermissionSet(p),
  },
  {
    kind: "custom field",
    match: (p) => /\/objects\/\w+\/fields\/\w+\.field-meta\.xml$/.test(p),
    check: (p) => checkCustomField(p),
  },
  {
    kind: "custom report type",
    match: (p) => p.endsWith(".reportType-meta.xml"),
    check: (p) => checkReportType(p),
  },
  {
    kind: "report folder",
    match: (p) => p.endsWith(".reportFolder-meta.xml"),
    check: (p) => checkFolder(p, "ReportFolder", "reports"),
  },
  {
    kind: "report",
    match: (p) => p.endsWith(".report-meta.xml"),
    check: (p) => checkReport(p),
  },
  {
    kind: "dashboard folder",
    match: (p) => p.endsWith(".dashboardFolder-meta.xml"),
    check: (p) => checkFolder(p, "DashboardFolder", "dashboards"),
  },
  {
    kind: "dashboard",
    match: (p) => p.endsWith(".dashboard-meta.xml"),
    check: (p) => checkDashboard(p),
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

// ---------------------------------------------------------------------------------------------
// Custom fields, the permission set, report types, reports, folders, dashboards

/** Our custom fields: `objects/<object>/fields/<name>.field-meta.xml`. */
const customFields = files
  .map((f) => /\/objects\/(\w+)\/fields\/(\w+)\.field-meta\.xml$/.exec(f))
  .filter(Boolean)
  .map(([, object, name]) => ({ object, name }));

/**
 * The field permissions a custom field needs. A custom field of tasks and events lives on
 * Activity, but the Metadata API grants it on Task and on Event (`Task.X__c`, `Event.X__c`);
 * `Activity.X__c` is not a field a permission set can name.
 */
const grantsFor = ({ object, name }) =>
  object === "Activity" ? [`Task.${name}`, `Event.${name}`] : [`${object}.${name}`];

function checkPermissionSet(path, text) {
  const node = expectRoot(path, "PermissionSet", { text });
  assert.ok(node.label, "label");
  assert.equal(node.hasActivationRequired, "false");
  for (const a of node.classAccesses) expectElements(a, "PermissionSetApexClassAccess", rel(path));
  const granted = node.classAccesses.filter((a) => a.enabled === "true").map((a) => a.apexClass);
  const runApex = apexFiles.map((f) => basename(f, ".cls")).filter((c) => !c.endsWith("Test"));
  assert.deepEqual(new Set(granted), new Set(runApex), "grants exactly the non-test Apex classes");
  for (const cls of granted) assert.ok(existsSync(join(source, "classes", `${cls}.cls`)), cls);

  const fields = node.fieldPermissions ?? [];
  for (const f of fields) {
    expectElements(f, "PermissionSetFieldPermissions", rel(path));
    // The softphone writes our fields with the agent's rights (Open CTI saveLog): read and edit.
    assert.equal(f.readable, "true", `${f.field} readable`);
    assert.equal(f.editable, "true", `${f.field} editable`);
  }
  const named = fields.map((f) => f.field);
  assert.equal(new Set(named).size, named.length, "no field granted twice");
  assert.deepEqual(
    new Set(named),
    new Set(customFields.flatMap(grantsFor)),
    "grants exactly our custom fields (an activity field on Task and on Event)",
  );
}

function checkCustomField(path, text) {
  const [, object, name] = /\/objects\/(\w+)\/fields\/(\w+)\.field-meta\.xml$/.exec(path);
  const node = expectRoot(path, "CustomField", { text });
  expectElements(node, "CustomField", rel(path));
  assert.equal(node.fullName, name, "fullName = file name");
  assert.match(name, /^[A-Za-z](?!.*__.*__)\w*__c$/, "a custom field API name ends in __c");
  // Task and Event custom fields are activity fields: the API keeps them under Activity.
  assert.ok(
    !["Task", "Event"].includes(object),
    `${rel(path)}: a task or event field belongs in objects/Activity/fields/`,
  );
  assert.ok(node.label, "label");
  assert.ok(node.description, "description (what writes the field, what reads it)");
  expectEnum(node.type, "FieldType", rel(path));
  if (node.type === "Text") {
    assert.ok(
      isInt(node.length) && Number(node.length) >= 1 && Number(node.length) <= 255,
      `Text length 1–255: ${node.length}`,
    );
  }
  if (node.required !== undefined) assert.ok(isBool(node.required), "required is a boolean");
  return node;
}

/** A custom report type: its base object and the fields its columns offer, by name. */
function loadReportType(name) {
  const path = join(source, "reportTypes", `${name}.reportType-meta.xml`);
  assert.ok(existsSync(path), `report type ${name}: ${rel(path)} is missing`);
  const node = parseXml(path).node;
  const fields = new Map();
  for (const section of node.sections ?? []) {
    for (const c of section.columns ?? []) fields.set(c.field, c.table);
  }
  return { name, baseObject: node.baseObject, fields, deployed: node.deployed };
}

/** The kind of a field of `object` ("date", "lookup", …, "custom"), or undefined when it has none. */
function fieldKind(object, field) {
  if (/__c$/.test(field)) {
    return customFields.some((f) => f.object === object && f.name === field) ? "custom" : undefined;
  }
  return STANDARD_FIELDS[object]?.[field];
}

function checkReportType(path, text) {
  const name = basename(path, ".reportType-meta.xml");
  const node = expectRoot(path, "ReportType", { text });
  expectElements(node, "ReportType", rel(path));
  assert.match(name, DEV_NAME, "the file name is the report type's developer name");
  if (node.fullName !== undefined) assert.equal(node.fullName, name, "fullName = file name");
  assert.ok(STANDARD_FIELDS[node.baseObject], `base object ${node.baseObject}: no field list in metadata-api.mjs`);
  expectEnum(node.category, "ReportTypeCategory", rel(path));
  assert.equal(node.deployed, "true", "deployed: reports can only use a deployed report type");
  assert.ok(node.label && node.label.length <= 50, "label of at most 50 characters");
  assert.ok(node.description && node.description.length <= 255, "description of at most 255 characters");
  assert.equal(node.join, undefined, "no join: the checks below know one object only");
  assert.ok(node.sections?.length >= 1, "at least one section of columns");
  const seen = new Set();
  for (const section of node.sections) {
    expectElements(section, "ReportLayoutSection", rel(path));
    assert.ok(section.columns?.length >= 1, `section ${section.masterLabel} has columns`);
    for (const c of section.columns) {
      expectElements(c, "ReportTypeColumn", rel(path));
      assert.ok(isBool(c.checkedByDefault), `${c.field}: checkedByDefault is a boolean`);
      assert.equal(c.table, node.baseObject, `${c.field}: table is the base object`);
      assert.ok(
        fieldKind(node.baseObject, c.field),
        `${c.field} is neither a standard ${node.baseObject} field nor one of our fields in objects/${node.baseObject}/fields/`,
      );
      assert.ok(!seen.has(c.field), `${c.field} twice`);
      seen.add(c.field);
    }
  }
}

function checkFolder(path, rootName, directory) {
  const name = basename(path).replace(/\.\w+-meta\.xml$/, "");
  const node = expectRoot(path, rootName);
  expectElements(node, "Folder", rel(path));
  assert.match(name, DEV_NAME, "the file name is the folder's developer name");
  assert.equal(path, join(source, directory, basename(path)), `a ${rootName} sits right in ${directory}/`);
  assert.ok(node.name, "name (the label users see)");
  if (node.accessType !== undefined) expectEnum(node.accessType, "FolderAccessTypes", rel(path));
  for (const share of node.folderShares ?? []) {
    expectElements(share, "FolderShare", rel(path));
    expectEnum(share.accessLevel, "FolderShareAccessLevel", rel(path));
    expectEnum(share.sharedToType, "FolderSharedToType", rel(path));
  }
  const contents = join(source, directory, name);
  assert.ok(
    existsSync(contents) && readdirSync(contents).length > 0,
    `the folder ${name} holds something (${rel(contents)})`,
  );
}

/**
 * A report: in a folder that has its folder file, on a deployed custom report type, every column,
 * grouping and filter naming a column of that report type (`<base object>$<field>`).
 */
function checkReport(path, text) {
  const m = /\/reports\/(\w+)\/(\w+)\.report-meta\.xml$/.exec(path);
  assert.ok(m, `${rel(path)}: a report lives in reports/<folder>/`);
  const [, folder, name] = m;
  assert.match(name, DEV_NAME, "the file name is the report's developer name");
  assert.ok(
    existsSync(join(source, "reports", `${folder}.reportFolder-meta.xml`)),
    `reports/${folder}.reportFolder-meta.xml is missing`,
  );
  const node = expectRoot(path, "Report", { text });
  expectElements(node, "Report", rel(path));
  assert.ok(node.name.length <= 40, `name of at most 40 characters: ${node.name}`);
  assert.ok(node.description && node.description.length <= 255, "description of at most 255 characters");
  expectEnum(node.format, "ReportFormat", rel(path));
  assert.equal(node.scope, "organization", "every user's calls, as far as sharing lets the viewer see");

  const crt = /^(\w+)__c$/.exec(node.reportType);
  assert.ok(crt, `${node.reportType}: the reports we ship use our custom report types (<name>__c)`);
  const type = loadReportType(crt[1]);
  assert.equal(type.deployed, "true", `report type ${type.name} is deployed`);
  /** The field of a report column name, which must be a column of the report type. */
  const column = (ref, what) => {
    const [table, field, ...rest] = ref.split("$");
    assert.ok(rest.length === 0 && field, `${what} ${ref}: a custom report type column is <base object>$<field>`);
    assert.equal(table, type.baseObject, `${what} ${ref}: the report type's base object is ${type.baseObject}`);
    assert.ok(type.fields.has(field), `${what} ${ref}: not a column of report type ${type.name}`);
    return field;
  };

  const columns = (node.columns ?? []).map((c) => {
    expectElements(c, "ReportColumn", rel(path));
    for (const a of c.aggregateTypes ?? []) expectEnum(a, "ReportSummaryType", rel(path));
    return column(c.field, "column");
  });
  assert.equal(new Set(columns).size, columns.length, "no column twice");
  const groupings = [...(node.groupingsDown ?? []), ...(node.groupingsAcross ?? [])].map((g) => {
    expectElements(g, "ReportGrouping", rel(path));
    const field = column(g.field, "grouping");
    expectEnum(g.sortOrder, "SortOrder", rel(path));
    expectEnum(g.dateGranularity ?? "None", "UserDateGranularity", rel(path));
    if (fieldKind(type.baseObject, field) !== "date") {
      assert.equal(g.dateGranularity ?? "None", "None", `${g.field}: a date granularity on a field that is not a date`);
    }
    return field;
  });
  for (const g of groupings) {
    assert.ok(!columns.includes(g), `${g} is a grouping, so not a column as well (Salesforce saves a report with each field once)`);
  }
  const down = node.groupingsDown?.length ?? 0;
  const across = node.groupingsAcross?.length ?? 0;
  if (node.format === "Summary")
    assert.ok(down >= 1 && down <= 3 && across === 0, "a Summary report has 1–3 row groupings");
  if (node.format === "Tabular") assert.ok(down === 0 && across === 0, "a Tabular report has no groupings");
  if (node.format === "Matrix") assert.ok(down >= 1 && across >= 1, "a Matrix report groups rows and columns");

  if (node.filter !== undefined) {
    expectElements(node.filter, "ReportFilter", rel(path));
    for (const item of node.filter.criteriaItems ?? []) {
      expectElements(item, "ReportFilterItem", rel(path));
      column(item.column, "filter");
      expectEnum(item.operator, "FilterOperation", rel(path));
      if (item.isUnlocked !== undefined) {
        assert.ok(isBool(item.isUnlocked), "isUnlocked is a boolean");
        expectSince("ReportFilterItem.isUnlocked", rel(path));
      }
    }
  }
  if (node.timeFrameFilter !== undefined) {
    expectElements(node.timeFrameFilter, "ReportTimeFrameFilter", rel(path));
    const field = column(node.timeFrameFilter.dateColumn, "time frame");
    assert.equal(fieldKind(type.baseObject, field), "date", `time frame on ${field}, which is not a date`);
    expectEnum(node.timeFrameFilter.interval, "UserDateInterval", rel(path));
  }
  for (const flag of ["showDetails", "showGrandTotal", "showSubTotals"]) {
    if (node[flag] !== undefined) assert.ok(isBool(node[flag]), `${flag} is a boolean`);
  }
  return { node, type, columns, groupings: [...(node.groupingsDown ?? []), ...(node.groupingsAcross ?? [])] };
}

/**
 * A dashboard: in a folder that has its folder file, laid out on the Lightning grid, every
 * component on a report that is there and grouped by that report's groupings.
 */
function checkDashboard(path, text) {
  const m = /\/dashboards\/(\w+)\/(\w+)\.dashboard-meta\.xml$/.exec(path);
  assert.ok(m, `${rel(path)}: a dashboard lives in dashboards/<folder>/`);
  const [, folder, name] = m;
  assert.match(name, DEV_NAME, "the file name is the dashboard's developer name");
  assert.ok(
    existsSync(join(source, "dashboards", `${folder}.dashboardFolder-meta.xml`)),
    `dashboards/${folder}.dashboardFolder-meta.xml is missing`,
  );
  const node = expectRoot(path, "Dashboard", { text });
  expectElements(node, "Dashboard", rel(path));
  for (const color of ["backgroundStartColor", "backgroundEndColor", "textColor", "titleColor"]) {
    assert.match(node[color], /^#[0-9A-Fa-f]{6}$/, `${color} is #RRGGBB`);
  }
  expectEnum(node.backgroundFadeDirection, "ChartBackgroundDirection", rel(path));
  assert.ok(isInt(node.titleSize), "titleSize");
  expectEnum(node.dashboardType, "DashboardType", rel(path));
  expectSince("Dashboard.dashboardType", rel(path));
  // A username is one org's: without runningUser and owner, the deploying admin becomes both.
  assert.equal(node.runningUser, undefined, "no runningUser: it would name a user of one org only");
  assert.equal(node.owner, undefined, "no owner: it would name a user of one org only");
  assert.ok(node.description === undefined || node.description.length <= 255, "description of at most 255 characters");

  assert.equal(node.isGridLayout, "true", "the Lightning grid layout");
  expectSince("Dashboard.isGridLayout", rel(path));
  expectSince("Dashboard.dashboardGridLayout", rel(path));
  for (const section of ["leftSection", "middleSection", "rightSection"]) {
    assert.equal(node[section], undefined, `no ${section} (Classic layout) on a grid dashboard`);
  }
  const grid = node.dashboardGridLayout;
  expectElements(grid, "DashboardGridLayout", rel(path));
  assert.ok(isInt(grid.numberOfColumns) && isInt(grid.rowHeight), "numberOfColumns and rowHeight are numbers");
  const cells = new Set();
  const reports = [];
  assert.ok(grid.dashboardGridComponents?.length >= 1, "at least one component");
  for (const placed of grid.dashboardGridComponents) {
    expectElements(placed, "DashboardGridComponent", rel(path));
    const [col, colSpan, row, rowSpan] = ["columnIndex", "colSpan", "rowIndex", "rowSpan"].map((k) => {
      assert.ok(isInt(placed[k]), `${k} is a number`);
      return Number(placed[k]);
    });
    assert.ok(
      colSpan >= 1 && rowSpan >= 1 && col + colSpan <= Number(grid.numberOfColumns),
      "the component fits the grid",
    );
    for (let c = col; c < col + colSpan; c++) {
      for (let r = row; r < row + rowSpan; r++) {
        assert.ok(!cells.has(`${c},${r}`), `two components on cell ${c},${r}`);
        cells.add(`${c},${r}`);
      }
    }
    const comp = placed.dashboardComponent;
    expectElements(comp, "DashboardComponent", rel(path));
    expectEnum(comp.componentType, "DashboardComponentType", rel(path));
    assert.ok(
      comp.title === undefined || comp.title.length <= 40,
      `component title of at most 40 characters: ${comp.title}`,
    );
    if (comp.chartAxisRange !== undefined) expectEnum(comp.chartAxisRange, "ChartRangeType", rel(path));
    if (comp.displayUnits !== undefined) expectEnum(comp.displayUnits, "ChartUnits", rel(path));
    if (comp.legendPosition !== undefined) expectEnum(comp.legendPosition, "ChartLegendPosition", rel(path));
    if (comp.sortBy !== undefined) expectEnum(comp.sortBy, "DashboardComponentFilter", rel(path));
    for (const flag of [
      "autoselectColumnsFromReport",
      "drillEnabled",
      "drillToDetailEnabled",
      "enableHover",
      "expandOthers",
      "showPercentage",
      "showValues",
      "useReportChart",
    ]) {
      if (comp[flag] !== undefined) assert.ok(isBool(comp[flag]), `${flag} is a boolean`);
    }

    const ref = /^(\w+)\/(\w+)$/.exec(comp.report ?? "");
    assert.ok(ref, `component ${comp.title}: report is <folder>/<report>, found ${comp.report}`);
    const reportPath = join(source, "reports", ref[1], `${ref[2]}.report-meta.xml`);
    assert.ok(existsSync(reportPath), `component ${comp.title}: the report ${comp.report} is not in reports/`);
    const report = checkReport(reportPath);
    reports.push(comp.report);
    const groupings = report.groupings.map((g) => g.field);
    const chartGroups = comp.groupingColumn ?? [];
    for (const g of chartGroups) {
      assert.ok(groupings.includes(g), `component ${comp.title}: ${g} is not a grouping of ${comp.report}`);
    }
    assert.deepEqual(
      chartGroups,
      groupings.slice(0, chartGroups.length),
      `component ${comp.title}: groups in the report's order`,
    );
    if (comp.useReportChart !== "true") {
      assert.ok(comp.chartSummary?.length >= 1, `component ${comp.title}: what it sums (chartSummary)`);
      for (const summary of comp.chartSummary) {
        expectElements(summary, "ChartSummary", rel(path));
        if (summary.axisBinding !== undefined) expectEnum(summary.axisBinding, "ChartAxis", rel(path));
        if (summary.column !== "RowCount") {
          const c = (report.node.columns ?? []).find((x) => x.field === summary.column);
          assert.ok(
            c && (c.aggregateTypes ?? []).includes(summary.aggregate),
            `component ${comp.title}: ${summary.aggregate} of ${summary.column} is not a summary of ${comp.report}`,
          );
        }
      }
    }
  }
  return { node, reports };
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
// The call reports: what they count, where the queue comes from, and that the checks can fail.

const CALL_LOG_TYPE = "WxccCallLogs";
const QUEUE_FIELD = "WxccQueue__c";
const callReportPath = (name) => join(source, "reports", "WxccCallReports", `${name}.report-meta.xml`);
const dashboardPath = join(source, "dashboards", "WxccCallDashboards", "WxccCalls.dashboard-meta.xml");
const permissionSetPath = join(source, "permissionsets", "WxccSfdcAdapter.permissionset-meta.xml");

/** `path`'s text with every `from` replaced by `to` (which must be there: the planted mistake needs it). */
function planted(path, from, to) {
  const text = read(path);
  assert.ok(text.includes(from), `the planted mistake needs ${from} in ${rel(path)}`);
  return text.replaceAll(from, to);
}

describe("call reports", () => {
  test("the report type, both reports, their folders and the dashboard are there", () => {
    for (const path of [
      `reportTypes/${CALL_LOG_TYPE}.reportType-meta.xml`,
      `objects/Activity/fields/${QUEUE_FIELD}.field-meta.xml`,
      "reports/WxccCallReports.reportFolder-meta.xml",
      "reports/WxccCallReports/WxccCallsByAgentAndDisposition.report-meta.xml",
      "reports/WxccCallReports/WxccCallsByQueuePerDay.report-meta.xml",
      "dashboards/WxccCallDashboards.dashboardFolder-meta.xml",
      "dashboards/WxccCallDashboards/WxccCalls.dashboard-meta.xml",
    ]) {
      assert.ok(existsSync(join(source, path)), path);
    }
  });

  test("the call log report type is on activities and offers the call fields and the queue", () => {
    const type = loadReportType(CALL_LOG_TYPE);
    assert.equal(type.baseObject, "Activity");
    for (const field of [
      "TaskSubtype",
      "Owner",
      "CreatedDate",
      "CallType",
      "CallDisposition",
      "CallDurationInSeconds",
      "CallObject",
      QUEUE_FIELD,
    ]) {
      assert.ok(type.fields.has(field), field);
    }
  });

  const reports = files.filter((f) => f.endsWith(".report-meta.xml"));
  for (const path of reports) {
    test(`${basename(path)} counts calls only (Task Subtype = Call)`, () => {
      const { node, type } = checkReport(path);
      assert.equal(type.name, CALL_LOG_TYPE);
      const items = node.filter?.criteriaItems ?? [];
      assert.ok(
        items.some((i) => i.column === "Activity$TaskSubtype" && i.operator === "equals" && i.value === "Call"),
        JSON.stringify(items),
      );
      assert.equal(node.filter.booleanFilter, undefined, "no filter logic that could OR the call filter away");
    });
  }

  test("Calls by agent and disposition: per owner, then per call result (the wrap-up reason)", () => {
    const { node } = checkReport(callReportPath("WxccCallsByAgentAndDisposition"));
    assert.equal(node.name, "Calls by agent and disposition");
    assert.deepEqual(
      node.groupingsDown.map((g) => [g.field, g.dateGranularity]),
      [
        ["Activity$Owner", "None"],
        ["Activity$CallDisposition", "None"],
      ],
    );
  });

  test("Calls by queue per day: per day the call log was created, then per WxCC queue", () => {
    const { node } = checkReport(callReportPath("WxccCallsByQueuePerDay"));
    assert.equal(node.name, "Calls by queue per day");
    assert.deepEqual(
      node.groupingsDown.map((g) => [g.field, g.dateGranularity]),
      [
        ["Activity$CreatedDate", "Day"],
        [`Activity$${QUEUE_FIELD}`, "None"],
      ],
    );
  });

  test("the dashboard shows both reports", () => {
    const { reports: shown } = checkDashboard(dashboardPath);
    assert.deepEqual(
      new Set(shown),
      new Set(["WxccCallReports/WxccCallsByAgentAndDisposition", "WxccCallReports/WxccCallsByQueuePerDay"]),
    );
  });

  test("the queue field takes any value the adapter writes (its length is the engine's text limit)", () => {
    // src/engine/values.rs cuts a mapped value to TEXT_LIMIT; a shorter field would make
    // Salesforce refuse the whole call log (STRING_TOO_LONG) for a long queue name.
    const engine = read(join(root, "src", "engine", "values.rs"));
    const limit = /const TEXT_LIMIT: usize = (\d+);/.exec(engine);
    assert.ok(limit, "TEXT_LIMIT in src/engine/values.rs");
    const node = checkCustomField(join(source, "objects", "Activity", "fields", `${QUEUE_FIELD}.field-meta.xml`));
    assert.equal(node.type, "Text");
    assert.equal(Number(node.length), Number(limit[1]));
  });

  test("the admin guide's mapping writes the built-in queueName into the queue field", () => {
    const guide = read(join(root, "docs", "admin-guide.md"));
    const items = [
      ...guide.matchAll(
        /<item\b[^>]*\bname="(CadSalesforceFieldMapping\d+|reqIsCadVariableUpdatedToActivity)"[^>]*>([^<]*)<\/item>/g,
      ),
    ];
    const byName = Object.fromEntries(items.map(([, name, value]) => [name, value]));
    assert.equal(byName.reqIsCadVariableUpdatedToActivity, "true", "the guide turns Task mappings on");
    const mapping = JSON.parse(byName.CadSalesforceFieldMapping1 ?? "null");
    assert.ok(Array.isArray(mapping), "CadSalesforceFieldMapping1 is a JSON array");
    const entry = mapping.find((m) => m.SalesforceFieldName === QUEUE_FIELD);
    assert.ok(entry, `a mapping into ${QUEUE_FIELD}`);
    assert.equal(entry.CadFieldName, "queueName", "the engine's built-in queue (src/engine/values.rs lookup)");
    assert.equal(entry.isDefaultValueEnabled, "false");
    assert.ok(
      read(join(root, "src", "engine", "values.rs")).includes('"queuename" | "virtualteamname"'),
      "queueName is still a built-in",
    );
  });

  test("a report column the report type does not offer is caught", () => {
    const path = callReportPath("WxccCallsByAgentAndDisposition");
    const text = planted(path, "<field>Activity$CallDisposition</field>", "<field>Activity$CallDispositon</field>");
    assert.throws(() => checkReport(path, text), /Activity\$CallDispositon: not a column of report type WxccCallLogs/);
  });

  test("a report column of a field that is neither standard nor ours is caught in the report type", () => {
    const path = join(source, "reportTypes", `${CALL_LOG_TYPE}.reportType-meta.xml`);
    const text = planted(path, `<field>${QUEUE_FIELD}</field>`, "<field>WxccQueues__c</field>");
    assert.throws(
      () => checkReportType(path, text),
      /WxccQueues__c is neither a standard Activity field nor one of our fields/,
    );
  });

  test("a misspelt Metadata API element or value is caught", () => {
    const path = callReportPath("WxccCallsByQueuePerDay");
    assert.throws(
      () => checkReport(path, planted(path, "groupingsDown>", "groupingDown>")),
      /<groupingDown> is not an element of Report/,
    );
    assert.throws(
      () => checkReport(path, planted(path, "<format>Summary</format>", "<format>summary</format>")),
      /is not a ReportFormat/,
    );
    assert.throws(
      () => checkReport(path, planted(path, "INTERVAL_LAST30", "INTERVAL_LAST_30")),
      /is not a UserDateInterval/,
    );
  });

  test("a dashboard on a report that is not there is caught", () => {
    const text = planted(dashboardPath, "WxccCallReports/WxccCallsByQueuePerDay", "WxccCallReports/WxccCallsPerQueue");
    assert.throws(
      () => checkDashboard(dashboardPath, text),
      /the report WxccCallReports\/WxccCallsPerQueue is not in reports/,
    );
  });

  test("a permission set that does not grant the queue field on events too is caught", () => {
    const text = planted(
      permissionSetPath,
      `<field>Event.${QUEUE_FIELD}</field>`,
      `<field>Activity.${QUEUE_FIELD}</field>`,
    );
    assert.throws(() => checkPermissionSet(permissionSetPath, text), /grants exactly our custom fields/);
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
