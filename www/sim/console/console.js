// The fake Lightning console: record views, search, new-record modal, a utility bar with the
// softphone (an iframe of the WxCC desktop on another origin) and an Omni-Channel widget. Its data
// model is the Rust FakeOrg compiled to wasm (SimOrg); it answers the Open CTI wire protocol of
// notes/opencti-wire-protocol.md and plays the Aura Omni bridge of docs/contracts.md on the
// `WxccOmniSync__c` message channel. Everything shown is text (never HTML from data).
//
// Query parameters: agents=A,B (one pane per agent; default the server's, else A) · org=/sim/org.json ·
// settings=/sim/callcenter-settings.json · settingsJson=<JSON of /section/item overrides> ·
// adapterUrl=<softphone URL> (default: the simulator desktop) · desktopParams=<extra query for the
// softphone, e.g. layout%3D%2Fe2e%2Flayout.json> · sfdcIframeOrigin=<override of the origin passed
// to the softphone> · omniDelayMs=N (bridge answer delay, default 0).
// When the server says keepOrg (the demo), the org is kept in this origin's localStorage after every
// change and read back on load, so reloading the console keeps the Tasks and Cases written.
// Test and automation API: window.simConsole (see the bottom of this file and www/sim/README.md).
import init, { SimOrg } from '/pkg/wxcc_sfdc_adapter.js';

const API_TYPE = 'opencti';
const OMNI_CHANNEL = 'WxccOmniSync__c';
const params = new URLSearchParams(location.search);
const LOOKUP_FIELDS = ['AccountId', 'ContactId', 'WhoId', 'WhatId', 'OwnerId', 'ParentId', 'LeadId'];
const NAV_TYPES = ['Contact', 'Account', 'Lead', 'Case', 'Task'];
const NEW_RECORD_FIELDS = {
  Contact: ['FirstName', 'LastName', 'Phone', 'Email', 'AccountId'],
  Lead: ['FirstName', 'LastName', 'Company', 'Phone', 'Email'],
  Account: ['Name', 'Phone', 'AccountNumber'],
  Case: ['Subject', 'Status', 'Priority', 'ContactId', 'AccountId', 'Description'],
  Task: ['Subject', 'Status', 'WhoId', 'WhatId', 'Description'],
};
// The Lightning softphone layout this org uses (getSoftphoneLayout), default-like.
const SOFTPHONE_LAYOUT = {
  Inbound: {
    objects: { Contact: [{ apiName: 'Name', displayName: 'Name' }], Account: [{ apiName: 'Name', displayName: 'Account Name' }], Lead: [{ apiName: 'Name', displayName: 'Name' }], Case: [{ apiName: 'CaseNumber', displayName: 'Case Number' }] },
    screenPopSettings: { NoMatch: { screenPopType: 'DoNotPop' }, SingleMatch: { screenPopType: 'PopToEntity' }, MultipleMatches: { screenPopType: 'PopToSearch' } },
    screenPopsOpenWithin: 'ExistingWindow',
  },
  Outbound: { objects: {}, screenPopSettings: { NoMatch: { screenPopType: 'DoNotPop' }, SingleMatch: { screenPopType: 'PopToEntity' }, MultipleMatches: { screenPopType: 'PopToSearch' } }, screenPopsOpenWithin: 'ExistingWindow' },
  Internal: { objects: {}, screenPopSettings: { NoMatch: { screenPopType: 'DoNotPop' }, SingleMatch: { screenPopType: 'PopToEntity' }, MultipleMatches: { screenPopType: 'PopToSearch' } }, screenPopsOpenWithin: 'ExistingWindow' },
};

let org;
let settings = {};
let baseSettings = {};
let desktopUrl = '';
const panes = new Map(); // agent -> Pane
const log = []; // every Open CTI message in and out: {seq, at, dir, agent, ...}
const pops = []; // every navigation a softphone caused: {agent, type, ...}
const omniMessages = []; // every WxccOmniSync__c message: {agent, dir, message}
let seq = 0;
let recordIndex = null; // id -> {type, fields}, rebuilt after writes
let workCounter = 0;

// ---- small DOM helpers (text only) ---------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function addLog(entry) {
  seq += 1;
  log.push({ seq, at: new Date().toISOString(), ...entry });
}

// ---- the org --------------------------------------------------------------------------------------
function records() {
  if (!recordIndex) {
    recordIndex = new Map();
    const byType = JSON.parse(org.recordsJson());
    for (const [type, list] of Object.entries(byType)) for (const fields of list) recordIndex.set(fields.Id, { type, fields });
  }
  return recordIndex;
}

function findRecord(id) {
  if (typeof id !== 'string' || !id) return null;
  const all = records();
  if (all.has(id)) return all.get(id);
  if (id.length === 15) for (const [key, rec] of all) if (key.length === 18 && key.startsWith(id)) return rec;
  return null;
}

function displayName(type, f) {
  if (!f) return '';
  if (type === 'Contact' || type === 'Lead') return [f.FirstName, f.LastName].filter(Boolean).join(' ') || f.Name || f.Id;
  if (type === 'Case') return f.CaseNumber ? `${f.CaseNumber}${f.Subject ? ' · ' + f.Subject : ''}` : f.Id;
  if (type === 'Task') return f.Subject || 'Task';
  return f.Name || f.Subject || f.Id;
}

function orgCall(user, method, args) {
  const response = JSON.parse(org.call(user, method, JSON.stringify(args ?? {})));
  recordIndex = null;
  keepOrg();
  return response;
}

// ---- the kept org (the demo) ----------------------------------------------------------------------
// One localStorage item per org source (`org=`), holding the org as SimOrg reads it. The server's
// `orgReset` token (./scripts/demo --reset) drops every kept org once per browser.
const KEPT_PREFIX = 'wxcc-sim:org:';
const RESET_KEY = 'wxcc-sim:org-reset';
let kept = null; // {key, seed, last} while the org is kept

/** The kept org's text for this source (null when none), after applying a reset the server asks for. */
function openKeptOrg(source, seedText, reset) {
  let seed = {};
  try {
    seed = seedText.trim() ? JSON.parse(seedText) : {};
  } catch {
    // SimOrg reports the broken seed itself
  }
  try {
    if (reset && localStorage.getItem(RESET_KEY) !== reset) {
      for (const key of Object.keys(localStorage)) if (key.startsWith(KEPT_PREFIX)) localStorage.removeItem(key);
      localStorage.setItem(RESET_KEY, reset);
    }
    kept = { key: KEPT_PREFIX + source, seed, last: null };
    kept.last = localStorage.getItem(kept.key);
    return kept.last;
  } catch (e) {
    console.warn(`[sim console] the org is not kept across reloads: ${e.message}`);
    kept = null;
    return null;
  }
}

/** The org as SimOrg's constructor reads it: the seed's users and objects, today's records and presence. */
function orgSnapshot() {
  const records = [];
  for (const [type, list] of Object.entries(JSON.parse(org.recordsJson()))) for (const fields of list) records.push({ ...fields, type });
  const users = new Set([...Object.values(kept.seed.users ?? {}), ...Object.keys(kept.seed.omniPresence ?? {})]);
  const omniPresence = {};
  for (const user of users) {
    const status = org.omniStatus(user);
    if (status) omniPresence[user] = status;
  }
  return JSON.stringify({ ...kept.seed, records, omniStatuses: JSON.parse(org.omniStatusesJson()), omniPresence });
}

/** Writes the org to localStorage when it changed (synchronously: a reload may follow at once). */
function keepOrg() {
  if (!kept || !org) return;
  const text = orgSnapshot();
  if (text === kept.last) return;
  try {
    localStorage.setItem(kept.key, text);
    kept.last = text;
  } catch (e) {
    console.warn(`[sim console] could not keep the org: ${e.message}`);
  }
}

function isPhoneField(name) {
  const base = name.replace(/__c$/i, '').toLowerCase();
  return base.endsWith('phone') || base === 'fax';
}

// ---- settings -----------------------------------------------------------------------------------
// The softphone URL: ?adapterUrl=, else one set explicitly (settingsJson / setSettings), else the
// simulator's desktop (the settings file holds the vendor's production URL).
const ADAPTER_URL = '/reqGeneralInfo/reqAdapterUrl';
let explicitAdapterUrl = null;
function applySettings() {
  settings[ADAPTER_URL] = params.get('adapterUrl') || explicitAdapterUrl || desktopUrl || settings[ADAPTER_URL];
  org.setCallCenterSettings(JSON.stringify(settings));
}

// ---- panes ---------------------------------------------------------------------------------------
class Pane {
  constructor(agent) {
    this.agent = agent;
    this.userId = org.userId(agent) ?? '';
    this.view = { kind: 'home' };
    this.modal = null;
    this.clickToDial = false;
    this.listeners = {};
    this.channels = new Set();
    this.panelVisible = true;
    this.omniOpen = false;
    this.openWork = [];
    this.build();
  }

  get softphoneUrl() {
    const adapter = new URL(settings[ADAPTER_URL], location.href);
    adapter.searchParams.set('sfdcIframeOrigin', params.get('sfdcIframeOrigin') || location.origin);
    adapter.searchParams.set('mode', 'Lightning');
    adapter.searchParams.set('agent', this.agent);
    for (const [k, v] of new URLSearchParams(params.get('desktopParams') || '')) adapter.searchParams.set(k, v);
    return adapter.href;
  }

  get softphoneOrigin() {
    return new URL(settings[ADAPTER_URL], location.href).origin;
  }

  build() {
    const agent = this.agent;
    this.search = el('input', { type: 'search', placeholder: 'Search Salesforce', 'aria-label': 'Search', class: 'search' });
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && this.search.value.trim()) this.navigate({ kind: 'search', searchString: this.search.value.trim() });
    });
    const nav = el(
      'nav',
      { class: 'tabs' },
      el('a', { href: '#', onclick: (e) => (e.preventDefault(), this.navigate({ kind: 'home' })) }, 'Home'),
      NAV_TYPES.map((t) => el('a', { href: '#', onclick: (e) => (e.preventDefault(), this.navigate({ kind: 'list', objectType: t })) }, t + 's')),
    );
    this.workspace = el('main', { class: 'workspace', 'data-testid': `workspace-${agent}` });
    this.modalHost = el('div', { class: 'modal-host' });
    this.iframe = el('iframe', {
      name: `softphone-${agent}`,
      title: `Softphone (agent ${agent})`,
      class: 'softphone-frame',
      allow: 'microphone; camera; autoplay; clipboard-write',
    });
    const width = Number(settings['/reqGeneralInfo/reqSoftphoneWidth']) || 500;
    const height = Number(settings['/reqGeneralInfo/reqSoftphoneHeight']) || 550;
    this.iframe.style.width = `${width}px`;
    this.iframe.style.height = `${height}px`;
    this.phoneLabel = el('span', {}, 'Phone');
    this.panel = el('section', { class: 'utility-panel softphone-panel', 'aria-label': 'Softphone' },
      el('header', {}, el('span', { class: 'panel-title' }, this.phoneLabel), el('button', { type: 'button', onclick: () => this.setPanelVisible(false), title: 'Minimize' }, '–')),
      this.iframe);
    this.omniSelect = el('select', { 'aria-label': 'Omni-Channel status', 'data-testid': `omni-status-${agent}` });
    this.omniSelect.addEventListener('change', () => this.omniSetByAgent(this.omniSelect.value));
    this.omniWork = el('ul', { class: 'omni-work' });
    this.omniPanel = el('section', { class: 'utility-panel omni-panel', hidden: true, 'aria-label': 'Omni-Channel' },
      el('header', {}, el('span', { class: 'panel-title' }, 'Omni-Channel'), el('button', { type: 'button', onclick: () => this.toggleOmni(false), title: 'Minimize' }, '–')),
      el('div', { class: 'omni-body' },
        el('label', {}, 'Status ', this.omniSelect),
        el('div', { class: 'omni-buttons' },
          el('button', { type: 'button', onclick: () => this.omniAcceptWork() }, 'Accept a work item'),
          el('button', { type: 'button', onclick: () => this.omniLogout() }, 'Log out')),
        el('h4', {}, 'My work'), this.omniWork));
    this.omniButtonLabel = el('span', {}, 'Omni-Channel');
    const utilityBar = el('footer', { class: 'utility-bar' },
      el('button', { type: 'button', class: 'utility-item', onclick: () => this.setPanelVisible(!this.panelVisible) }, '☎ ', this.phoneLabelClone = el('span', {}, 'Phone')),
      el('button', { type: 'button', class: 'utility-item', onclick: () => this.toggleOmni() }, '◉ ', this.omniButtonLabel));
    this.root = el('div', { class: 'pane', 'data-agent': agent },
      el('header', { class: 'app-header' },
        el('div', { class: 'app-name' }, el('span', { class: 'cloud' }, '☁'), ' Sales Console'),
        this.search,
        el('a', { class: 'header-link', href: '/validator/', target: '_blank', rel: 'noopener', title: 'Check a call center definition (opens a new tab)' }, 'Definition checker'),
        el('div', { class: 'user' }, `Agent ${agent} · ${this.userId || 'no user'}`)),
      nav, this.workspace, this.modalHost, this.panel, this.omniPanel, utilityBar);
    document.getElementById('panes').append(this.root);
    this.renderOmni();
    this.render();
  }

  loadSoftphone() {
    this.clickToDial = false;
    this.listeners = {};
    this.channels.clear();
    this.iframe.src = this.softphoneUrl;
  }

  setPanelVisible(visible) {
    this.panelVisible = !!visible;
    this.panel.classList.toggle('minimized', !this.panelVisible);
  }

  toggleOmni(open = !this.omniOpen) {
    this.omniOpen = open;
    this.omniPanel.hidden = !open;
  }

  // ---- navigation -----------------------------------------------------------------------------
  /** Shows a view and tells the softphone (onNavigationChange). `cause` marks softphone pops. */
  navigate(view, cause) {
    this.view = view;
    this.render();
    if (this.agent === firstAgent()) {
      const path = addressFor(this.viewUrl());
      if (path && location.pathname + location.search !== path) history.pushState(null, '', path);
    }
    if (cause) pops.push({ agent: this.agent, ...cause });
    this.sendListener('onNavigationChange', undefined, this.navigationPayload());
  }

  viewUrl() {
    const v = this.view;
    const base = location.origin;
    switch (v.kind) {
      case 'record': return `${base}/lightning/r/${v.objectType}/${v.recordId}/${v.mode === 'edit' ? 'edit' : 'view'}`;
      case 'search': return `${base}/lightning/search?searchString=${encodeURIComponent(v.searchString)}`;
      case 'list': return `${base}/lightning/o/${v.objectType}/list`;
      case 'url': return v.url;
      case 'flow': return `${base}/lightning/flow/${encodeURIComponent(v.flowDevName || '')}`;
      default: return `${base}/lightning/page/home`;
    }
  }

  navigationPayload() {
    const payload = { url: this.viewUrl() };
    if (this.view.kind === 'record') {
      const rec = findRecord(this.view.recordId);
      payload.recordId = this.view.recordId;
      payload.recordName = rec ? displayName(rec.type, rec.fields) : '';
      payload.objectType = this.view.objectType;
    }
    return payload;
  }

  openRecord(id, mode = 'view', cause) {
    const rec = findRecord(id);
    if (!rec) return this.navigate({ kind: 'notfound', recordId: id }, cause);
    this.navigate({ kind: 'record', objectType: rec.type, recordId: rec.fields.Id, mode }, cause);
  }

  /** Lightning-style URL (absolute on this origin, or a path) → a view. */
  openUrl(url, cause) {
    let parsed;
    try {
      parsed = new URL(url, location.origin);
    } catch {
      return this.navigate({ kind: 'url', url: String(url) }, cause);
    }
    if (parsed.origin === location.origin) {
      const p = parsed.pathname;
      let m;
      if ((m = p.match(/^\/lightning\/r\/(?:(\w+)\/)?(\w{15}|\w{18})\/(view|edit)\/?$/))) return this.openRecord(m[2], m[3], cause);
      if ((m = p.match(/^\/lightning\/o\/(\w+)\/new\/?$/))) {
        this.openModal(m[1], {}, cause);
        return undefined;
      }
      if ((m = p.match(/^\/lightning\/o\/(\w+)\/(list|home)\/?$/))) return this.navigate({ kind: 'list', objectType: m[1] }, cause);
      if (p === '/lightning/search') return this.navigate({ kind: 'search', searchString: parsed.searchParams.get('searchString') || '' }, cause);
      if ((m = p.match(/^\/(\w{15}|\w{18})(\/e)?\/?$/))) return this.openRecord(m[1], m[2] ? 'edit' : 'view', cause);
      if (p === '/' || p === '/lightning/page/home' || p === '/lightning') return this.navigate({ kind: 'home' }, cause);
    }
    return this.navigate({ kind: 'url', url: parsed.href }, cause);
  }

  screenPop(type, p = {}) {
    p = p && typeof p === 'object' ? p : {};
    const cause = { type, ...p };
    switch (type) {
      case 'sobject': return this.openRecord(p.recordId, 'view', cause);
      case 'url': return this.openUrl(p.url, cause);
      case 'search': return this.navigate({ kind: 'search', searchString: String(p.searchString ?? '') }, cause);
      case 'objecthome': return this.navigate({ kind: 'list', objectType: p.scope || 'Contact' }, cause);
      case 'list': return this.navigate({ kind: 'list', objectType: p.scope || 'Contact', listViewId: p.listViewId }, cause);
      case 'newRecord': return this.openModal(p.entityName || 'Contact', p.defaultFieldValues || {}, cause);
      case 'flow': return this.navigate({ kind: 'flow', flowDevName: p.flowDevName, flowArgs: p.flowArgs }, cause);
      default: return undefined;
    }
  }

  // ---- new-record modal -----------------------------------------------------------------------
  openModal(entityName, defaults, cause) {
    const names = [...new Set([...(NEW_RECORD_FIELDS[entityName] || ['Name']), ...Object.keys(defaults || {})])];
    const inputs = new Map();
    const form = el('form', { class: 'modal', 'data-testid': `modal-${this.agent}` });
    form.append(el('h2', {}, `New ${entityName}`));
    for (const name of names) {
      const input = el('input', { name, value: defaults?.[name] ?? '' });
      input.value = defaults?.[name] == null ? '' : String(defaults[name]);
      inputs.set(name, input);
      form.append(el('label', {}, el('span', {}, name), input));
    }
    form.append(el('div', { class: 'modal-buttons' },
      el('button', { type: 'button', onclick: () => this.closeModal() }, 'Cancel'),
      el('button', { type: 'submit', class: 'brand' }, 'Save')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = { entityApiName: entityName };
      for (const [name, input] of inputs) if (input.value !== '') value[name] = input.value;
      const response = orgCall(this.userId, 'saveLog', { value });
      if (response.success) {
        this.closeModal();
        this.openRecord(typeof response.returnValue === 'string' ? response.returnValue : response.returnValue?.recordId);
      } else {
        form.querySelector('.error')?.remove();
        form.append(el('p', { class: 'error' }, response.errors?.[0]?.description ?? 'save failed'));
      }
    });
    this.modal = { entityName, inputs };
    this.modalHost.replaceChildren(el('div', { class: 'backdrop' }, form));
    if (cause) pops.push({ agent: this.agent, ...cause });
  }

  closeModal() {
    this.modal = null;
    this.modalHost.replaceChildren();
  }

  modalState() {
    if (!this.modal) return null;
    const fields = {};
    for (const [name, input] of this.modal.inputs) if (input.value !== '') fields[name] = input.value;
    return { entityName: this.modal.entityName, fields };
  }

  // ---- rendering ------------------------------------------------------------------------------
  render() {
    const v = this.view;
    let body;
    if (v.kind === 'record') body = this.renderRecord(v);
    else if (v.kind === 'search') body = this.renderSearch(v.searchString);
    else if (v.kind === 'list') body = this.renderList(v.objectType);
    else if (v.kind === 'url') body = el('section', { class: 'card' }, el('h1', {}, 'External page'), el('p', {}, 'The softphone opened: ', el('code', {}, v.url)));
    else if (v.kind === 'flow') body = el('section', { class: 'card' }, el('h1', {}, `Flow: ${v.flowDevName ?? ''}`), el('pre', {}, JSON.stringify(v.flowArgs ?? [], null, 2)));
    else if (v.kind === 'notfound') body = el('section', { class: 'card' }, el('h1', {}, 'Record not found'), el('p', {}, `No record with Id ${v.recordId}.`));
    else body = this.renderHome();
    this.workspace.replaceChildren(body);
    this.workspace.dataset.view = v.kind;
  }

  recordLink(id) {
    const rec = findRecord(id);
    if (!rec) return el('span', {}, id);
    return el('a', { href: `/lightning/r/${rec.type}/${rec.fields.Id}/view`, onclick: (e) => (e.preventDefault(), this.openRecord(rec.fields.Id)) }, displayName(rec.type, rec.fields));
  }

  fieldValue(name, value, rec) {
    if (isPhoneField(name) && value) {
      if (!this.clickToDial) return el('span', { class: 'phone' }, String(value));
      return el('a', {
        href: '#', class: 'phone click-to-dial', 'data-field': name, title: 'Click to dial',
        onclick: (e) => (e.preventDefault(), this.clickToDialFrom(rec, name)),
      }, '☎ ', String(value));
    }
    if (LOOKUP_FIELDS.includes(name) && typeof value === 'string' && findRecord(value)) return this.recordLink(value);
    return el('span', {}, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }

  renderRecord(v) {
    const rec = findRecord(v.recordId);
    if (!rec) return el('section', { class: 'card' }, el('h1', {}, 'Record not found'));
    const { type, fields } = rec;
    const header = el('header', { class: 'record-header' },
      el('span', { class: `icon icon-${type.toLowerCase()}` }, type[0]),
      el('div', {}, el('div', { class: 'object-type' }, type), el('h1', { 'data-testid': 'record-name' }, displayName(type, fields))),
      el('div', { class: 'record-actions' },
        v.mode === 'edit' ? null : el('button', { type: 'button', onclick: () => this.navigate({ ...v, mode: 'edit' }) }, 'Edit')));
    let details;
    if (v.mode === 'edit') {
      const inputs = new Map();
      details = el('form', { class: 'details edit', 'data-testid': 'record-edit' });
      for (const [name, value] of Object.entries(fields)) {
        if (name === 'Id') continue;
        const input = el('input', { name });
        input.value = value == null ? '' : String(value);
        inputs.set(name, input);
        details.append(el('label', {}, el('span', {}, name), input));
      }
      details.append(el('div', { class: 'modal-buttons' },
        el('button', { type: 'button', onclick: () => this.navigate({ ...v, mode: 'view' }) }, 'Cancel'),
        el('button', { type: 'submit', class: 'brand' }, 'Save')));
      details.addEventListener('submit', (e) => {
        e.preventDefault();
        const value = { Id: fields.Id };
        for (const [name, input] of inputs) if (String(fields[name] ?? '') !== input.value) value[name] = input.value === '' ? null : input.value;
        orgCall(this.userId, 'saveLog', { value });
        this.navigate({ ...v, mode: 'view' });
      });
    } else {
      details = el('dl', { class: 'details' });
      for (const [name, value] of Object.entries(fields)) {
        if (name === 'Id' || value === null || value === undefined) continue;
        details.append(el('div', { class: 'field' }, el('dt', {}, name), el('dd', { 'data-field': name }, this.fieldValue(name, value, rec))));
      }
    }
    const related = [];
    const all = [...records().values()];
    const ref = (f, key) => f[key] === fields.Id;
    const lists = [
      ['Contacts', all.filter((r) => r.type === 'Contact' && ref(r.fields, 'AccountId'))],
      ['Cases', all.filter((r) => r.type === 'Case' && (ref(r.fields, 'AccountId') || ref(r.fields, 'ContactId')))],
      ['Activity History', all.filter((r) => r.type === 'Task' && (ref(r.fields, 'WhoId') || ref(r.fields, 'WhatId')))],
    ];
    for (const [title, list] of lists) {
      if (!list.length) continue;
      related.push(el('section', { class: 'related', 'data-related': title },
        el('h3', {}, `${title} (${list.length})`),
        el('ul', {}, list.map((r) => el('li', {}, this.recordLink(r.fields.Id), r.type === 'Task' && r.fields.Status ? ` · ${r.fields.Status}` : '')))));
    }
    // As on a Lightning record page: details on the left, related lists in a column on the right
    // (clear of the softphone, which opens over the bottom left).
    return el('div', { class: 'record', 'data-record-id': fields.Id, 'data-object-type': type },
      el('section', { class: 'card record-main' }, header, details),
      el('aside', { class: 'related-column', 'aria-label': 'Related' }, related));
  }

  renderSearch(searchString) {
    const response = JSON.parse(org.call('', 'searchAndScreenPop', JSON.stringify({ searchParams: searchString, deferred: true })));
    const results = Object.entries(response.returnValue ?? {}).filter(([k]) => k !== 'SCREEN_POP_DATA').map(([, r]) => r);
    const byType = new Map();
    for (const r of results) byType.set(r.RecordType, [...(byType.get(r.RecordType) ?? []), r]);
    return el('section', { class: 'card search-results', 'data-search': searchString },
      el('h1', {}, `Search results for “${searchString}”`),
      results.length === 0 ? el('p', {}, 'No results.') : null,
      [...byType].map(([type, list]) => el('div', { class: 'result-group' },
        el('h3', {}, `${type}s (${list.length})`),
        el('ul', {}, list.map((r) => el('li', {}, this.recordLink(r.Id), r.Phone ? ` · ${r.Phone}` : ''))))));
  }

  renderList(type) {
    const list = [...records().values()].filter((r) => r.type === type);
    return el('section', { class: 'card list' },
      el('h1', {}, `${type}s`),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Phone'), el('th', {}, 'Id'))),
        el('tbody', {}, list.map((r) => el('tr', {},
          el('td', {}, this.recordLink(r.fields.Id)),
          el('td', {}, r.fields.Phone ? this.fieldValue('Phone', r.fields.Phone, r) : ''),
          el('td', { class: 'mono' }, r.fields.Id))))));
  }

  renderHome() {
    const counts = new Map();
    for (const r of records().values()) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return el('section', { class: 'card home' },
      el('h1', {}, 'Home'),
      el('p', {}, 'A simulated Salesforce Lightning console. The softphone below is the Webex Contact Center desktop (another origin); place a call from it.'),
      kept ? el('p', { class: 'muted', 'data-testid': 'kept-org' }, 'This org is kept in your browser: reloading the page keeps the Tasks and Cases written. ./scripts/demo --reset starts again from the sample org.') : null,
      el('ul', { class: 'counts' }, [...counts].map(([type, n]) => el('li', {},
        el('a', { href: '#', onclick: (e) => (e.preventDefault(), this.navigate({ kind: 'list', objectType: type })) }, `${type}s`), `: ${n}`))));
  }

  // ---- Open CTI -------------------------------------------------------------------------------
  post(message) {
    if (!this.iframe.contentWindow) return;
    addLog({ dir: 'out', agent: this.agent, ...message });
    this.iframe.contentWindow.postMessage(message, this.softphoneOrigin);
  }

  sendListener(methodName, eventName, returnValue) {
    const registered = methodName === 'subscribe' ? this.channels.has(eventName) : this.listeners[methodName];
    if (!registered) return false;
    // Listener replies carry the payload itself as `response` (Salesforce's listeners read
    // `payload.number`, the message itself); only callback replies are {success, returnValue, errors}.
    const message = { apiVersion: this.apiVersion ?? 57, apiType: API_TYPE, methodName, response: returnValue, shouldExecuteListener: true };
    if (eventName !== undefined) message.eventName = eventName;
    this.post(message);
    return true;
  }

  clickToDialFrom(rec, field) {
    if (!this.clickToDial) return false;
    const payload = { number: String(rec.fields[field]), recordId: rec.fields.Id, recordName: displayName(rec.type, rec.fields), objectType: rec.type };
    if (rec.type === 'Contact' && rec.fields.AccountId) payload.accountId = rec.fields.AccountId;
    return this.sendListener('onClickToDial', undefined, payload);
  }

  handle(msg) {
    const { methodName, callId } = msg;
    const args = msg.args && typeof msg.args === 'object' ? msg.args : {};
    this.apiVersion = msg.apiVersion;
    addLog({ dir: 'in', agent: this.agent, methodName, callId, args, isCallbackRegistered: msg.isCallbackRegistered, isListenerRegistered: msg.isListenerRegistered });
    let response = orgCall(this.userId, methodName, args);
    const after = [];
    const invalid = (description) => ({ success: false, returnValue: null, errors: [{ code: 'INVALID_PARAM', description }] });
    if (response.success) {
      switch (methodName) {
        case 'screenPop':
          after.push(() => this.screenPop(args.type, args.params));
          break;
        case 'searchAndScreenPop':
          if (!args.deferred) after.push(() => this.popSearchResult(response.returnValue, args));
          break;
        case 'saveLog':
          // New related records show up, but an agent's unsaved edit form is left alone.
          if (this.view.mode !== 'edit') after.push(() => this.render());
          break;
        case 'refreshView':
          after.push(() => this.render());
          break;
        case 'enableClickToDial':
        case 'disableClickToDial':
          this.clickToDial = methodName === 'enableClickToDial';
          after.push(() => this.render());
          break;
        case 'onClickToDial':
        case 'onNavigationChange':
        case 'hvs.onWorkStart':
          this.listeners[methodName] = true;
          break;
        case 'setSoftphonePanelVisibility':
          if (typeof args.visible !== 'boolean') response = invalid('`visible` must be a boolean');
          else this.setPanelVisible(args.visible);
          break;
        case 'isSoftphonePanelVisible':
          response.returnValue = { visible: this.panelVisible };
          break;
        case 'setSoftphonePanelHeight':
        case 'setSoftphonePanelWidth': {
          const key = methodName.endsWith('Height') ? 'heightPX' : 'widthPX';
          if (!Number.isFinite(args[key])) response = invalid(`\`${key}\` must be a number`);
          else this.iframe.style[key === 'heightPX' ? 'height' : 'width'] = `${args[key]}px`;
          break;
        }
        case 'setSoftphoneItemLabel':
        case 'setSoftphonePanelLabel':
          if (typeof args.label !== 'string') response = invalid('`label` must be a string');
          else (methodName === 'setSoftphoneItemLabel' ? this.phoneLabelClone : this.phoneLabel).textContent = args.label;
          break;
        case 'getAppViewInfo':
          response.returnValue = this.navigationPayload();
          break;
        case 'getSoftphoneLayout':
          response.returnValue = SOFTPHONE_LAYOUT;
          break;
        case 'subscribe':
          if (typeof args.eventName !== 'string' || !args.eventName) response = invalid('`channelName` is required');
          else {
            this.channels.add(args.eventName);
            response.returnValue = { subscription: args.subscription };
          }
          break;
        case 'unsubscribe':
          this.channels.delete(args.eventName);
          break;
        case 'publish':
          if (typeof args.eventName !== 'string' || !args.eventName) response = invalid('`channelName` is required');
          else after.push(() => this.publish(args.eventName, args.message));
          break;
        default:
      }
    }
    this.post({ apiVersion: msg.apiVersion, apiType: API_TYPE, methodName, callId, response, shouldExecuteCallback: true });
    for (const fn of after) fn();
  }

  /** What Lightning shows for a non-deferred searchAndScreenPop (the default softphone layout). */
  popSearchResult(result, args) {
    const ids = Object.keys(result ?? {}).filter((k) => k !== 'SCREEN_POP_DATA');
    const cause = { type: 'searchAndScreenPop', searchParams: args.searchParams };
    if (ids.length === 1) this.openRecord(ids[0], 'view', { ...cause, recordId: ids[0] });
    else if (ids.length > 1) this.navigate({ kind: 'search', searchString: String(args.searchParams) }, { ...cause, searchString: args.searchParams });
  }

  // ---- Lightning Message Service and the Omni bridge ------------------------------------------
  /** A message published in this pane's console: every subscriber gets it, the bridge too. */
  publish(channel, message) {
    if (channel === OMNI_CHANNEL) {
      omniMessages.push({ agent: this.agent, dir: 'fromAdapter', message });
      if (message && message.source === 'adapter') this.bridgeHandle(message);
    }
    this.sendListener('subscribe', channel, message);
  }

  bridgePublish(message) {
    omniMessages.push({ agent: this.agent, dir: 'fromBridge', message });
    const delay = Number(params.get('omniDelayMs')) || 0;
    setTimeout(() => this.sendListener('subscribe', OMNI_CHANNEL, message), delay);
  }

  omniStatus() {
    const statusId = org.omniStatus(this.userId) || null;
    const status = JSON.parse(org.omniStatusesJson()).find((s) => s.Id === statusId);
    return { statusId, statusName: status ? status.MasterLabel : statusId ? statusId : 'Offline' };
  }

  bridgeHandle(message) {
    if (message.type === 'setStatus') {
      const status = JSON.parse(org.omniStatusesJson()).find((s) => s.Id === message.statusId);
      if (!status) {
        console.warn(`[omni bridge] unknown status id ${message.statusId}; nothing changed`);
        return;
      }
      org.setOmniStatus(this.userId, status.Id);
      keepOrg();
      this.renderOmni();
      this.bridgePublish({ source: 'bridge', type: 'statusChanged', statusId: status.Id, statusName: status.MasterLabel, requestId: message.requestId });
    } else if (message.type === 'getStatus') {
      this.bridgePublish({ source: 'bridge', type: 'statusChanged', ...this.omniStatus(), requestId: message.requestId });
    }
  }

  /** The agent changed the status in the Omni-Channel widget (no requestId). */
  omniSetByAgent(statusIdOrLabel) {
    const statuses = JSON.parse(org.omniStatusesJson());
    const status = statuses.find((s) => s.Id === statusIdOrLabel || s.MasterLabel === statusIdOrLabel);
    if (!status) {
      if (statusIdOrLabel === '' || statusIdOrLabel === 'Offline') return this.omniLogout();
      throw new Error(`unknown Omni-Channel status ${statusIdOrLabel}`);
    }
    org.setOmniStatus(this.userId, status.Id);
    keepOrg();
    this.renderOmni();
    this.bridgePublish({ source: 'bridge', type: 'statusChanged', statusId: status.Id, statusName: status.MasterLabel });
    return status.Id;
  }

  omniAcceptWork(work = {}) {
    workCounter += 1;
    const item = {
      workId: work.workId ?? `0Bz${String(workCounter).padStart(12, '0')}AAA`,
      workItemId: work.workItemId ?? [...records().values()].find((r) => r.type === 'Case')?.fields.Id ?? `500${String(workCounter).padStart(12, '0')}AAA`,
    };
    this.openWork.push(item);
    this.renderOmni();
    this.bridgePublish({ source: 'bridge', type: 'workAccepted', ...item });
    return item;
  }

  omniCloseWork(workId = this.openWork[0]?.workId) {
    const item = this.openWork.find((w) => w.workId === workId);
    if (!item) return null;
    this.openWork = this.openWork.filter((w) => w !== item);
    this.renderOmni();
    this.bridgePublish({ source: 'bridge', type: 'workClosed', ...item });
    return item;
  }

  omniLogout() {
    org.setOmniStatus(this.userId, '');
    keepOrg();
    this.openWork = [];
    this.renderOmni();
    this.bridgePublish({ source: 'bridge', type: 'loggedOut' });
  }

  renderOmni() {
    const statuses = JSON.parse(org.omniStatusesJson());
    const current = this.omniStatus();
    this.omniSelect.replaceChildren(
      el('option', { value: '' }, 'Offline'),
      ...statuses.map((s) => el('option', { value: s.Id }, s.MasterLabel)));
    this.omniSelect.value = current.statusId ?? '';
    this.omniButtonLabel.textContent = `Omni-Channel (${current.statusName})`;
    this.omniWork.replaceChildren(
      ...(this.openWork.length ? this.openWork.map((w) => el('li', {},
        el('span', {}, `${w.workId} · `), this.recordLink(w.workItemId), ' ',
        el('button', { type: 'button', onclick: () => this.omniCloseWork(w.workId) }, 'Close'))) : [el('li', { class: 'muted' }, 'No work items')]));
  }
}

function firstAgent() {
  return panes.keys().next().value;
}

/** The address-bar path for a view URL on this origin, keeping the console's own parameters. */
function addressFor(viewUrl) {
  const u = new URL(viewUrl);
  if (u.origin !== location.origin) return null;
  for (const [k, v] of params) if (k !== 'searchString') u.searchParams.set(k, v);
  return u.pathname + u.search;
}

function paneOf(agent) {
  const pane = panes.get(agent ?? firstAgent());
  if (!pane) throw new Error(`no console pane for agent ${agent}`);
  return pane;
}

// ---- the wire --------------------------------------------------------------------------------------
window.addEventListener('message', (event) => {
  const pane = [...panes.values()].find((p) => p.iframe.contentWindow === event.source);
  const msg = event.data;
  const looksLikeCti = msg && typeof msg === 'object' && msg.apiType === API_TYPE;
  if (!pane || event.origin !== pane.softphoneOrigin) {
    if (looksLikeCti) addLog({ dir: 'rejected', agent: pane?.agent ?? null, origin: event.origin, methodName: msg.methodName });
    return;
  }
  if (!looksLikeCti || typeof msg.methodName !== 'string' || msg.shouldExecuteCallback || msg.shouldExecuteListener) return;
  if (held.on && (!held.methods || held.methods.includes(msg.methodName))) {
    addLog({ dir: 'held', agent: pane.agent, methodName: msg.methodName, callId: msg.callId, args: msg.args });
    held.queue.push({ pane, msg });
    return;
  }
  pane.handle(msg);
});

// Requests held back by simConsole.holdRequests() (to test pending, lost or late answers).
const held = { on: false, methods: null, queue: [] };

window.addEventListener('popstate', () => {
  const pane = panes.get(firstAgent());
  if (pane) pane.openUrl(location.href);
});

// ---- start ----------------------------------------------------------------------------------------
async function fetchJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * A banner on top when this page is not the console origin the softphone trusts (the demo layout
 * trusts one origin): the adapter would refuse to start, so say where to go instead.
 */
function showOriginHint(trusted, desktopOrigin) {
  const target = new URL(location.pathname + location.search, trusted).href;
  const ports = [new URL(trusted).port, desktopOrigin ? new URL(desktopOrigin).port : ''].filter(Boolean);
  document.body.prepend(el('div', { class: 'origin-hint', role: 'alert', 'data-testid': 'origin-hint' },
    el('strong', {}, 'Open the demo at ', el('a', { href: target }, trusted), '.'),
    ` This page is ${location.origin}, but the demo softphone trusts only the console at ${trusted} (the trustedOrigins of its layout), so the adapter in the Phone panel refuses to start here.`,
    ports.length === 2 ? ` Forwarding the demo from another machine? Forward ports ${ports[0]} (console) and ${ports[1]} (desktop) to the same port numbers and open ${trusted}/.` : ''));
}

async function start() {
  await init();
  const orgSource = params.get('org') || '/sim/org.json';
  const [seedText, settingsJson, config] = await Promise.all([
    fetch(orgSource, { cache: 'no-store' }).then((r) => r.text()),
    fetchJson(params.get('settings') || '/sim/callcenter-settings.json'),
    fetchJson('/sim/config.json').catch(() => ({})),
  ]);
  if (config.trustedConsoleOrigin && config.trustedConsoleOrigin !== location.origin) showOriginHint(config.trustedConsoleOrigin, config.desktopOrigin);
  const keptText = config.keepOrg ? openKeptOrg(orgSource, seedText, config.orgReset) : null;
  try {
    org = new SimOrg(keptText ?? seedText);
  } catch (e) {
    if (keptText === null) throw e;
    console.warn(`[sim console] the kept org could not be read (${e.message}): starting from ${orgSource}`);
    org = new SimOrg(seedText);
  }
  // Nothing is written until the org changes: a new sample org still shows until then.
  if (kept && kept.last === null) kept.last = orgSnapshot();
  desktopUrl = config.desktopUrl || '';
  baseSettings = settingsJson;
  // The server's overrides (the demo turns call notes on), then the page's own.
  const overrides = { ...(config.settings ?? {}), ...(params.get('settingsJson') ? JSON.parse(params.get('settingsJson')) : {}) };
  explicitAdapterUrl = overrides[ADAPTER_URL] ?? null;
  settings = { ...settingsJson, ...overrides };
  applySettings();
  const agents = (params.get('agents') || config.agents || 'A').split(',').map((a) => a.trim()).filter(Boolean);
  document.body.classList.toggle('two-panes', agents.length > 1);
  for (const agent of agents) panes.set(agent, new Pane(agent));
  document.getElementById('loading').remove();
  // A Lightning URL in the address bar opens in the first pane.
  if (location.pathname.startsWith('/lightning/') && location.pathname !== '/lightning/page/home') paneOf().openUrl(location.href);
  for (const pane of panes.values()) pane.loadSoftphone();
}

const ready = start();
ready.catch((e) => {
  const loading = document.getElementById('loading');
  if (loading) loading.textContent = `The console failed to start: ${e.message}`;
  console.error(e);
});

// ---- the test and automation API ----------------------------------------------------------------
window.simConsole = {
  /** Resolves when the org is loaded and the softphone frames are created. */
  ready,
  get org() {
    return org;
  },
  agents: () => [...panes.keys()],
  userId: (agent) => org.userId(agent ?? firstAgent()) ?? null,
  /** Every record by type: {"Contact": [...], "Task": [...]}. */
  records: () => JSON.parse(org.recordsJson()),
  record: (id) => {
    const rec = findRecord(id);
    return rec ? { type: rec.type, ...rec.fields } : null;
  },
  tasks: () => JSON.parse(org.recordsJson()).Task ?? [],
  /** Whether the org is kept in localStorage across reloads (the demo), and under which key. */
  keptOrg: () => (kept ? { key: kept.key } : null),
  /** The pane's current view: {kind: home|record|search|list|url|flow|notfound, objectType?, recordId?, recordName?, mode?, searchString?, url}. */
  view: (agent) => {
    const pane = paneOf(agent);
    const v = { ...pane.view, url: pane.viewUrl() };
    if (v.kind === 'record') v.recordName = pane.navigationPayload().recordName;
    return v;
  },
  /** The open new-record modal {entityName, fields} (non-empty inputs), or null. */
  modal: (agent) => paneOf(agent).modalState(),
  closeModal: (agent) => paneOf(agent).closeModal(),
  navigate: (agent, url) => paneOf(agent).openUrl(url),
  openRecord: (agent, id, mode) => paneOf(agent).openRecord(id, mode),
  search: (agent, text) => paneOf(agent).navigate({ kind: 'search', searchString: text }),
  /** Screen pops and pops by searchAndScreenPop, in order: {agent, type, ...params}. */
  pops: () => pops.slice(),
  /** Clicks a phone field of a record as the agent would; false unless click-to-dial is enabled and listened to. */
  clickToDial: (agent, recordId, field = 'Phone') => {
    const pane = paneOf(agent);
    const rec = findRecord(recordId);
    if (!rec || !rec.fields[field]) throw new Error(`record ${recordId} has no ${field}`);
    return pane.clickToDialFrom(rec, field);
  },
  clickToDialEnabled: (agent) => paneOf(agent).clickToDial,
  /** Registered listeners of the pane's softphone: {onClickToDial, onNavigationChange, channels: [...]}. */
  listeners: (agent) => ({ ...paneOf(agent).listeners, channels: [...paneOf(agent).channels] }),
  /** Every Open CTI message: {seq, at, dir: in|out|rejected, agent, methodName, callId?, args?, response?}. */
  log: () => log.slice(),
  calls: (methodName, agent) => log.filter((m) => m.dir === 'in' && (!methodName || m.methodName === methodName) && (!agent || m.agent === agent)),
  softphone: (agent) => paneOf(agent).iframe,
  softphoneUrl: (agent) => paneOf(agent).softphoneUrl,
  reloadSoftphone: (agent) => paneOf(agent).loadSoftphone(),
  softphonePanelVisible: (agent) => paneOf(agent).panelVisible,
  /** Posts a raw message to the softphone window (for protocol tests). */
  postToSoftphone: (agent, message) => paneOf(agent).iframe.contentWindow.postMessage(message, paneOf(agent).softphoneOrigin),
  settings: () => ({ ...settings }),
  /** Merges /section/item overrides (takes effect for the next getCallCenterSettings; reload the softphone to restart it). */
  setSettings: (partial, { replace = false } = {}) => {
    settings = { ...(replace ? baseSettings : settings), ...partial };
    if (partial && partial[ADAPTER_URL]) explicitAdapterUrl = partial[ADAPTER_URL];
    applySettings();
    return { ...settings };
  },
  failNext: (method, times = 1, code = 'GENERIC_ERROR') => org.failNext(method, times, code),
  /** Holds incoming Open CTI requests (all, or only these methods) unanswered until released or dropped. */
  holdRequests: (methods) => {
    held.on = true;
    held.methods = methods ? [].concat(methods) : null;
  },
  /** Answers the held requests in order (they reach the org now) and stops holding. */
  releaseRequests: () => {
    held.on = false;
    const queue = held.queue.splice(0);
    for (const { pane, msg } of queue) pane.handle(msg);
    return queue.length;
  },
  /** Forgets the held requests without answering (the softphone never hears back) and stops holding. */
  dropRequests: () => {
    held.on = false;
    return held.queue.splice(0).length;
  },
  heldRequests: () => held.queue.map(({ pane, msg }) => ({ agent: pane.agent, methodName: msg.methodName, callId: msg.callId, args: msg.args })),
  omni: {
    statuses: () => JSON.parse(org.omniStatusesJson()),
    /** {statusId, statusName} of the agent's Omni-Channel presence. */
    status: (agent) => paneOf(agent).omniStatus(),
    /** The agent picks a status (label or Id) in the widget: publishes statusChanged without requestId. */
    set: (agent, status) => paneOf(agent).omniSetByAgent(status),
    acceptWork: (agent, work) => paneOf(agent).omniAcceptWork(work),
    closeWork: (agent, workId) => paneOf(agent).omniCloseWork(workId),
    logout: (agent) => paneOf(agent).omniLogout(),
    openWork: (agent) => paneOf(agent).openWork.slice(),
    /** Every WxccOmniSync__c message: {agent, dir: fromAdapter|fromBridge, message}. */
    messages: () => omniMessages.slice(),
  },
};
