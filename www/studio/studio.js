// The admin studio: checks a call center definition and a desktop layout and previews one call,
// all with the adapter's own wasm (explainCallCenter, checkLayout, previewCall, correctedXml).
// Everything read from a file or the wasm is inserted as text (textContent), never as HTML.
import init, { checkLayout, correctedXml, explainCallCenter, previewCall } from '../pkg/wxcc_sfdc_adapter.js';

const $ = (id) => document.getElementById(id);

/** An element with text content and attributes (never innerHTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, String(v));
    else node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const state = {
  xml: null, // the definition text
  xmlName: '',
  ready: false,
};

// ---- diagnostics -----------------------------------------------------------------------------

function count(list, severity) {
  return list.filter((d) => d.severity === severity).length;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summarise(target, list, what) {
  const errors = count(list, 'error');
  const warnings = count(list, 'warning');
  const infos = count(list, 'info');
  const parts = [plural(errors, 'error'), plural(warnings, 'warning')];
  if (infos) parts.push(plural(infos, 'note'));
  target.textContent = `${what}: ${parts.join(', ')}.` + (errors ? '' : warnings ? ' It will work; read the warnings.' : ' Ready to use.');
  target.className = `summary ${errors ? 'error' : warnings ? 'warning' : 'ok'}`;
  target.dataset.errors = String(errors);
  target.dataset.warnings = String(warnings);
}

function renderDiagnostics(list, diagnostics) {
  list.replaceChildren();
  for (const d of diagnostics) {
    const where = d.line ? `line ${d.line}${d.column ? `, column ${d.column}` : ''}` : 'no line';
    const item = el(
      'li',
      { class: `diagnostic ${d.severity}`, 'data-severity': d.severity, 'data-code': d.code, 'data-line': d.line ?? '' },
      el('span', { class: 'severity' }, d.severity),
      ' ',
      el('span', { class: 'line' }, where),
      ' ',
      el('code', { class: 'path' }, d.path || '(the whole file)'),
      el('div', { class: 'message' }, d.message),
    );
    if (d.hint) item.append(el('div', { class: 'hint' }, `Hint: ${d.hint}`));
    item.append(el('div', { class: 'code' }, `[${d.code}]`));
    list.append(item);
  }
}

// ---- the configuration in plain words --------------------------------------------------------

function listWords(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function mappingWords(m) {
  const s = m.source ?? {};
  if (s.kind === 'constant') return `${m.field} = “${s.value}”`;
  if (s.kind === 'conditional') {
    return `${m.field} from the conditional rules on ${s.name}` + (s.default ? ` (otherwise “${s.default}”)` : ' (left out when no rule matches)');
  }
  return `${m.field} ← ${s.name}`;
}

function mappingsWords(list) {
  return list.length ? list.map(mappingWords).join('; ') : 'no fields';
}

/** `[[heading, [line, …]], …]` describing the typed configuration. */
function plainWords(c) {
  const g = c.general;
  const sp = c.screen_pop;
  const nm = c.no_match;
  const a = c.activity;
  const cs = c.case;
  const od = c.outdial;
  const om = c.omni;
  const prefixes = (list) => (list.length ? `${listWords(list)} ${list.length === 1 ? 'is' : 'are'} removed` : 'nothing is removed');
  const general = [
    `Softphone: “${g.display_name}” (${g.internal_name}), ${g.softphone_width} × ${g.softphone_height} px, ${g.compatibility_mode === 'Lightning' ? 'Lightning only' : 'Classic and Lightning'}.`,
    `Loads the WxCC desktop from ${g.adapter_url}${g.region ? ` (region ${g.region})` : ''}.`,
  ];
  if (g.standby_url) general.push(`Standby URL ${g.standby_url} after ${g.timeout_ms} ms without an answer.`);
  const pop = [
    `Caller's number: ${prefixes(sp.ani_prefixes)} before searching.`,
    sp.search_by_cad
      ? `Searches Salesforce with the CAD variable “${sp.search_cad_variable}”; ${sp.fallback_to_ani ? 'when it has no value, with the caller\u2019s number' : 'when it has no value, nothing is searched'}.`
      : 'Searches Salesforce with the caller\u2019s number; one match opens the record, several open the search results.',
    nm.open_new_record
      ? `No match: a new ${nm.object} form opens with ${mappingsWords(nm.field_mappings)}.`
      : 'No match: the softphone layout\u2019s own no-match setting applies.',
  ];
  const log = [];
  if (!a.log_calls) {
    log.push('Call log: off (no Task is written).');
  } else {
    log.push(
      `Call log: created at ${a.create_task_at_connect ? 'connect' : 'wrap-up'}; notes: ${a.live_notes ? `on, saved to ${a.notes_field}` : 'off'}.`,
      `Subject: “${a.subject_template}”, dates written as ${a.subject_date_pattern}.`,
    );
    const opens = [a.open_task_at_connect && 'at connect', a.open_task_at_wrapup && 'at wrap-up'].filter(Boolean);
    log.push(opens.length ? `Opens the Task in edit mode ${listWords(opens)}.` : 'Does not open the Task.');
    if (a.refresh_after_create) log.push('Refreshes the console view after creating the Task.');
    log.push(
      a.transfer_task_ownership
        ? `Transfers: the Task moves to the receiving agent (its Id travels in the CAD variable “${a.task_id_cad_variable}”); one Task per call.`
        : 'Transfers: each agent who handles the call logs their own Task.',
    );
    if (a.write_cad_fields) log.push(`Task fields from the call: ${mappingsWords(a.field_mappings)}.`);
  }
  const kinds = [cs.create_for_inbound && 'inbound', cs.create_for_outbound && 'outbound'].filter(Boolean);
  const cases = kinds.length
    ? [
        `Cases: one per ${listWords(kinds)} call, opened in ${cs.open_in_edit_mode ? 'edit' : 'view'} mode.`,
        `Case fields: ${mappingsWords(cs.field_mappings)}.`,
      ]
    : ['Cases: not created automatically.'];
  const dial = [
    `Click-to-dial: ${prefixes(od.dial_prefixes)} before dialing; dials with ${od.use_agent_outdial_ani ? 'the outdial ANI the agent chose' : 'the profile\u2019s default outdial ANI'}.`,
  ];
  const omni = om.sync_enabled
    ? [
        `Omni-Channel sync: on. During a voice call the Omni-Channel status is “${om.status_during_call}”; during Omni-Channel work the WxCC idle code is “${om.idle_code_during_omni_work}”.`,
      ]
    : ['Omni-Channel sync: off.'];
  return [
    ['Softphone', general],
    ['Screen pop', pop],
    ['Call log (Task)', log],
    ['Cases', cases],
    ['Click-to-dial', dial],
    ['Omni-Channel', omni],
  ];
}

function renderPlain(config) {
  const target = $('plain');
  target.replaceChildren();
  for (const [heading, lines] of plainWords(config)) {
    target.append(el('h4', {}, heading), el('ul', {}, ...lines.map((l) => el('li', {}, l))));
  }
  $('config-json').textContent = JSON.stringify(config, null, 2);
}

// ---- loading files -------------------------------------------------------------------------

function loadXml(text, name) {
  state.xml = text;
  state.xmlName = name;
  $('xml-name').textContent = `Loaded: ${name} (${text.length.toLocaleString('en')} characters)`;
  const result = explainCallCenter(text);
  $('xml-results').hidden = false;
  summarise($('xml-summary'), result.diagnostics, 'Call center definition');
  renderDiagnostics($('xml-diagnostics'), result.diagnostics);
  renderPlain(result.config);
  $('download-report').textContent = '';
}

function loadLayout(text, name) {
  $('layout-name').textContent = `Loaded: ${name} (${text.length.toLocaleString('en')} characters)`;
  const issues = checkLayout(text);
  $('layout-results').hidden = false;
  summarise($('layout-summary'), issues, 'Desktop layout');
  renderDiagnostics($('layout-diagnostics'), issues);
}

async function readFile(file, kind) {
  const text = await file.text();
  if (kind === 'xml') loadXml(text, file.name);
  else loadLayout(text, file.name);
}

function wireDrop(zone, input, kind) {
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) readFile(file, kind).catch(fail);
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) readFile(file, kind).catch(fail);
  });
}

// ---- download --------------------------------------------------------------------------------

function download() {
  if (state.xml === null) return;
  const fixed = correctedXml(state.xml);
  const changed = fixed.changes.filter((c) => c.kind !== 'noted').length;
  const noted = fixed.changes.length - changed;
  const base = (state.xmlName || 'callcenter.xml').replace(/\.xml$/i, '');
  const blob = new Blob([fixed.xml], { type: 'application/xml' });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: `${base}-corrected.xml` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  const report = $('download-report');
  report.replaceChildren(`${plural(changed, 'correction')} made, ${plural(noted, 'problem')} noted as comments.`);
  const list = el('ul');
  for (const c of fixed.changes.filter((c) => c.kind !== 'noted')) {
    list.append(el('li', {}, `${c.line ? `line ${c.line}: ` : ''}${c.detail}`));
  }
  if (list.childElementCount) report.append(list);
}

// ---- call preview ------------------------------------------------------------------------------

const SAMPLE_RECORDS = [
  { type: 'Account', Id: '001000000000001AAA', Name: 'Analytical Engines', AccountNumber: 'AE-1842' },
  {
    type: 'Contact',
    Id: '003000000000001AAA',
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Phone: '(212) 555-0101',
    AccountId: '001000000000001AAA',
  },
];

/** `name = value` lines (or a JSON object) → `{name: value}`. */
function parseCad(text) {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('CAD variables: a JSON object of names and values');
    return parsed;
  }
  const cad = {};
  trimmed.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`CAD variables, line ${i + 1}: write name = value`);
    cad[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  });
  return cad;
}

function recordLabel(records, id) {
  const r = records.find((x) => x && x.Id === id);
  if (!r) return id;
  const name = r.Name ?? [r.FirstName, r.LastName].filter(Boolean).join(' ');
  return `${r.type ?? 'Record'} ${name ? `“${name}” ` : ''}(${id})`;
}

function fieldsTable(record, caption) {
  const rows = Object.entries(record).map(([k, v]) =>
    el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, typeof v === 'string' ? v : JSON.stringify(v))),
  );
  return el('table', { class: 'fields-table' }, el('caption', {}, caption), el('tbody', {}, ...rows));
}

function describePop(pop, records) {
  switch (pop.type) {
    case 'sobject':
      return `${recordLabel(records, pop.recordId)} opens.`;
    case 'search':
      return `The search results for “${pop.searchString ?? ''}” open (several records matched).`;
    case 'newRecord': {
      const fields = Object.entries(pop.defaultFieldValues ?? {}).map(([k, v]) => `${k} = “${v}”`);
      return `A new ${pop.entityName} form opens${fields.length ? `, prefilled with ${fields.join(', ')}` : ''}.`;
    }
    default:
      return `Salesforce opens: ${JSON.stringify(pop)}.`;
  }
}

function renderPreview(out, records) {
  $('preview-error').hidden = true;
  $('preview-result').hidden = false;
  const pops = out.pops ?? [];
  const trace = (out.traces ?? [])[0];
  const pop = $('pop');
  pop.dataset.type = pops[0]?.type ?? 'none';
  pop.dataset.recordId = pops[0]?.recordId ?? '';
  if (pops.length) pop.textContent = pops.map((p) => describePop(p, records)).join(' Then: ');
  else if (trace?.decision === 'layout') pop.textContent = 'Nothing is chosen by the adapter: no record matched, and the softphone layout\u2019s own no-match setting decides what opens.';
  else pop.textContent = 'Nothing pops (outbound calls and calls without a number do not pop).';

  // Why: each search made (the actual text, from the calls), its matches (from the trace), notes.
  const searches = (out.effects ?? []).filter((e) => e.call === 'searchAndScreenPop' && e.args?.deferred !== false);
  const why = $('trace');
  why.replaceChildren();
  if (trace) {
    why.append(el('li', {}, trace.keySource === 'ani' ? 'Searched with the caller\u2019s number.' : `Searched with ${trace.keySource.replace(/^cad:/, 'the CAD variable ')}.`));
    (trace.tries ?? []).forEach((t, i) => {
      const text = searches[i]?.args?.searchParams ?? t.search;
      why.append(el('li', {}, `Search ${i + 1}: “${text}” → ${t.matches ?? 0} ${t.matches === 1 ? 'match' : 'matches'}.`));
    });
    for (const note of trace.notes ?? []) why.append(el('li', {}, note));
  } else {
    why.append(el('li', {}, 'No search was made for this call.'));
  }

  const tasks = out.org?.Task ?? [];
  $('task').replaceChildren(
    tasks.length ? fieldsTable(tasks[0], tasks.length === 1 ? 'Task' : `Task 1 of ${tasks.length}`) : el('p', {}, 'No Task is written.'),
  );
  const cases = out.org?.Case ?? [];
  $('case').replaceChildren(cases.length ? fieldsTable(cases[0], 'Case') : el('p', {}, 'No Case is created.'));
  $('calls').textContent = `${plural(out.roundTrips ?? 0, 'Salesforce round trip')} for this call: ${(out.effects ?? [])
    .filter((e) => !['enableClickToDial', 'onClickToDial', 'onNavigationChange', 'notifyInitializationComplete'].includes(e.call))
    .map((e) => e.call)
    .join(', ')}.`;
  // Problems while running (the definition's own diagnostics are shown above).
  renderDiagnostics($('preview-diagnostics'), (out.diagnostics ?? []).filter((d) => d.agent));
}

function preview(event) {
  event.preventDefault();
  const error = $('preview-error');
  try {
    let records;
    try {
      records = JSON.parse($('records').value || '[]');
    } catch (e) {
      throw new Error(`Sample records: not valid JSON (${e.message})`);
    }
    if (!Array.isArray(records)) throw new Error('Sample records: a JSON array like [{"type": "Contact", …}]');
    const request = {
      ani: $('ani').value,
      direction: $('direction').value,
      queue: $('queue').value,
      cad: parseCad($('cad').value),
      records,
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
      start: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    if (request.direction === 'outbound' && $('clicked').value.trim()) request.clickedRecordId = $('clicked').value.trim();
    const out = previewCall(state.xml ?? '<callCenter/>', JSON.stringify(request));
    renderPreview(out, records);
  } catch (e) {
    $('preview-result').hidden = true;
    error.hidden = false;
    error.textContent = `The preview could not run: ${e.message ?? e}`;
  }
}

// ---- start -------------------------------------------------------------------------------------

function fail(e) {
  $('status').textContent = `Something went wrong: ${e?.message ?? e}`;
  $('status').className = 'error';
}

async function main() {
  $('records').value = JSON.stringify(SAMPLE_RECORDS, null, 2);
  await init();
  wireDrop($('xml-drop'), $('xml-file'), 'xml');
  wireDrop($('layout-drop'), $('layout-file'), 'layout');
  $('xml-sample').addEventListener('click', async () => {
    try {
      const response = await fetch('../samples/cisco-legacy-callcenter-definition.xml');
      if (!response.ok) throw new Error(`the sample is not served here (${response.status})`);
      loadXml(await response.text(), 'cisco-legacy-callcenter-definition.xml');
    } catch (e) {
      fail(e);
    }
  });
  $('download').addEventListener('click', () => {
    try {
      download();
    } catch (e) {
      fail(e);
    }
  });
  $('preview-form').addEventListener('submit', preview);
  state.ready = true;
  document.body.dataset.ready = 'true';
  $('status').textContent = 'Ready. Load a definition, a layout, or both.';
}

main().catch(fail);
