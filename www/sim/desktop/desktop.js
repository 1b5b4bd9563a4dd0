// The fake WxCC desktop page: loads a desktop layout JSON, injects each widget `script`, creates
// each `comp` in its area (headless, panel tabs) with its attributes ($STORE.agent.* bindings
// resolved from the fake agent profile), and offers call controls. The contact-center model and
// AGENTX_SERVICE live in agentx-service.js (loaded before this file and before any widget).
//
// Query parameters: agent=A|B · layout=<URL of a desktop layout JSON> (default
// /layouts/wxcc-sfdc-desktop-layout.json; a tiny inline layout when it is missing) ·
// widgetBase=/widget/ (a layout script named widget.js loads from here; "none" keeps layout URLs) ·
// sticky=0 · outdialAutoConnect=0 · initialState=idle (see agentx-service.js).
(function () {
  'use strict';
  var sim = window.simDesktop;
  var params = new URLSearchParams(location.search);
  var DEFAULT_LAYOUT = '/layouts/wxcc-sfdc-desktop-layout.json';
  var FALLBACK_LAYOUT = {
    agent: {
      version: '0.1.0',
      appTitle: 'Webex Contact Center (simulator fallback layout)',
      area: {
        headless: {
          id: 'dw-headless',
          widgets: { comp1: { comp: 'wxcc-sfdc-adapter', script: '/widget/widget.js', attributes: { agentId: '$STORE.agent.agentId', agentName: '$STORE.agent.agentName', outdialEntryPointId: '$STORE.agent.outDialEp' } } },
          layout: { areas: [['comp1']], size: { cols: [1], rows: [1] } },
        },
        panel: {
          comp: 'md-tabs',
          attributes: { class: 'widget-tabs' },
          children: [
            { comp: 'md-tab', attributes: { slot: 'tab', class: 'widget-pane-tab' }, children: [{ comp: 'span', textContent: 'Salesforce Actions' }] },
            { comp: 'md-tab-panel', attributes: { slot: 'panel', class: 'widget-pane' }, children: [{ comp: 'wxcc-sfdc-actions', script: '/widget/widget.js', attributes: {}, wrapper: { title: 'Salesforce Actions', maximizeAreaName: 'app-maximize-area' } }] },
          ],
        },
      },
    },
  };

  var layoutStatus = { url: params.get('layout') || DEFAULT_LAYOUT, fallback: false, error: null, scripts: [], comps: [] };
  var scriptsLoaded = [];

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k === 'class') node.className = v;
      else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) node.append(x); });
      else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  // ---- layout ----------------------------------------------------------------------------------------
  function resolveBinding(value) {
    if (typeof value !== 'string' || value.indexOf('$STORE.') !== 0) return value;
    var path = value.slice('$STORE.'.length).split('.');
    var cur = sim.store;
    for (var i = 0; i < path.length && cur !== undefined && cur !== null; i++) cur = cur[path[i]];
    return cur === undefined || cur === null ? '' : cur;
  }

  function scriptUrl(src) {
    var url = new URL(src, new URL(layoutStatus.url, location.href));
    var base = params.get('widgetBase') || '/widget/';
    if (base !== 'none' && /(^|\/)widget\.js$/.test(url.pathname)) return new URL(base.replace(/\/?$/, '/') + 'widget.js', location.href).href;
    return url.href;
  }

  function injectScript(src) {
    var url = scriptUrl(src);
    if (layoutStatus.scripts.some(function (s) { return s.src === url; })) return;
    var entry = { src: url, layoutSrc: src, status: 'loading' };
    layoutStatus.scripts.push(entry);
    var script = document.createElement('script');
    script.src = url;
    script.async = false; // keep the layout's order
    scriptsLoaded.push(
      new Promise(function (resolve) {
        script.onload = function () {
          entry.status = 'loaded';
          resolve();
        };
        script.onerror = function () {
          entry.status = 'error';
          showProblem('Could not load widget script ' + url);
          resolve();
        };
      })
    );
    document.head.append(script);
  }

  function collectScripts(def) {
    if (!def || typeof def !== 'object' || def.visibility) return;
    if (typeof def.script === 'string' && def.script) injectScript(def.script);
    (def.children || []).forEach(collectScripts);
  }

  function createComp(def) {
    if (!def || typeof def !== 'object' || def.visibility) return null; // feature-flagged parts of Cisco's desktop
    if (def.comp === 'md-tabs') return createTabs(def);
    var node;
    try {
      node = document.createElement(def.comp);
    } catch (e) {
      showProblem('Invalid comp name in the layout: ' + def.comp);
      return null;
    }
    var attributes = def.attributes || {};
    Object.keys(attributes).forEach(function (name) {
      var value = resolveBinding(attributes[name]);
      node.setAttribute(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    });
    var properties = def.properties || {};
    Object.keys(properties).forEach(function (name) {
      node[name] = resolveBinding(properties[name]);
    });
    if (typeof def.textContent === 'string') node.textContent = def.textContent;
    (def.children || []).forEach(function (child) {
      var c = createComp(child);
      if (c) node.append(c);
    });
    if (/^agentx-/.test(def.comp)) node.setAttribute('data-not-simulated', '');
    layoutStatus.comps.push({ comp: def.comp, attributes: Object.keys(attributes).reduce(function (o, k) { o[k] = node.getAttribute(k); return o; }, {}) });
    if (def.wrapper && def.wrapper.title) return el('section', { class: 'widget-wrapper' }, el('h3', { text: def.wrapper.title }), node);
    return node;
  }

  // A tab's label: its text, or the name of the slot Cisco's desktop would fill (CONTACT_HISTORY_TAB → Contact History).
  function textOf(def) {
    if (!def) return '';
    if (typeof def.textContent === 'string') return def.textContent;
    if (def.comp === 'slot' && def.attributes && def.attributes.name)
      return String(def.attributes.name).replace(/_TAB$/, '').toLowerCase().replace(/(^|_)(\w)/g, function (m, sep, c) { return (sep ? ' ' : '') + c.toUpperCase(); });
    return (def.children || []).map(textOf).join('');
  }

  // md-tabs: children alternate md-tab (label) and md-tab-panel (content).
  function createTabs(def) {
    var bar = el('div', { class: 'tab-bar', role: 'tablist' });
    var panels = el('div', { class: 'tab-panels' });
    var pendingLabel = null;
    var index = 0;
    (def.children || []).forEach(function (child) {
      if (!child || child.visibility) {
        if (child && child.comp === 'md-tab') pendingLabel = '__skip__';
        return;
      }
      if (child.comp === 'md-tab') pendingLabel = textOf(child) || 'Tab';
      else if (child.comp === 'md-tab-panel') {
        if (pendingLabel === '__skip__') {
          pendingLabel = null;
          return;
        }
        var i = index++;
        var panel = el('div', { class: 'tab-panel', role: 'tabpanel', 'data-tab': pendingLabel || 'Tab ' + (i + 1) });
        (child.children || []).forEach(function (c) {
          var node = createComp(c);
          if (node) panel.append(node);
        });
        var button = el('button', { type: 'button', role: 'tab', class: 'tab', text: pendingLabel || 'Tab ' + (i + 1) });
        button.addEventListener('click', function () { select(i); });
        bar.append(button);
        panels.append(panel);
        pendingLabel = null;
      }
    });
    function select(n) {
      Array.prototype.forEach.call(bar.children, function (b, k) { b.setAttribute('aria-selected', String(k === n)); });
      Array.prototype.forEach.call(panels.children, function (p, k) { p.hidden = k !== n; });
    }
    if (index > 0) select(0);
    return el('div', { class: 'md-tabs' }, bar, panels);
  }

  async function loadLayout() {
    var layout;
    try {
      var response = await fetch(layoutStatus.url, { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      layout = await response.json();
    } catch (e) {
      layoutStatus.fallback = true;
      layoutStatus.error = String(e.message || e);
      layout = FALLBACK_LAYOUT;
    }
    var role = layout.agent || layout;
    var area = role.area || {};
    var headless = area.headless && area.headless.widgets ? area.headless.widgets : {};
    // Scripts first, in layout order (headless, then panel), then the elements.
    Object.keys(headless).forEach(function (k) { collectScripts(headless[k]); });
    collectScripts(area.panel);
    var headlessArea = document.getElementById('area-headless');
    Object.keys(headless).forEach(function (k) {
      var node = createComp(headless[k]);
      if (node) headlessArea.append(node);
    });
    if (area.panel) {
      var node = createComp(area.panel);
      if (node) document.getElementById('area-panel').append(node);
    }
    document.getElementById('layout-info').textContent =
      (layoutStatus.fallback ? 'fallback layout (' + layoutStatus.url + ': ' + layoutStatus.error + ')' : layoutStatus.url) +
      ' · ' + layoutStatus.scripts.length + ' script(s)';
    await Promise.all(scriptsLoaded);
    return layoutStatus;
  }

  function showProblem(text) {
    var box = document.getElementById('problems');
    box.hidden = false;
    box.append(el('div', { text: text }));
  }

  // ---- call controls -------------------------------------------------------------------------------
  function guard(fn) {
    return function () {
      try {
        fn();
      } catch (e) {
        showProblem(String(e.message || e));
      }
    };
  }

  function parseCad(text) {
    var cad = {};
    text.split(/\n/).forEach(function (line) {
      var eq = line.indexOf('=');
      if (eq > 0) cad[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    });
    return cad;
  }

  function buildControls() {
    var f = {
      ani: el('input', { id: 'ring-ani', value: '+12125550101', 'aria-label': 'Caller number (ANI)' }),
      dnis: el('input', { id: 'ring-dnis', value: '+18005550100', 'aria-label': 'Dialed number (DNIS)' }),
      queue: el('select', { id: 'ring-queue', 'aria-label': 'Queue' }, sim.queues.map(function (q) { return el('option', { value: q.name, text: q.name }); })),
      direction: el('select', { id: 'ring-direction', 'aria-label': 'Direction' }, el('option', { value: 'INBOUND', text: 'Inbound' }), el('option', { value: 'OUTBOUND', text: 'Outbound' })),
      to: el('select', { id: 'ring-agent', 'aria-label': 'Ring agent' }, sim.agents.map(function (a) { return el('option', { value: a, text: 'Agent ' + a }); })),
      cad: el('textarea', { id: 'ring-cad', rows: '2', placeholder: 'CAD variables, one per line: name=value', 'aria-label': 'CAD variables' }),
    };
    f.to.value = sim.agent;
    var ring = el('button', { type: 'button', id: 'ring', class: 'primary', text: 'Ring' });
    ring.addEventListener('click', guard(function () {
      sim.ring({ ani: f.ani.value.trim(), dnis: f.dnis.value.trim(), queue: f.queue.value, direction: f.direction.value, agent: f.to.value, cad: parseCad(f.cad.value) });
    }));
    document.getElementById('ring-form').append(
      el('label', {}, 'ANI ', f.ani), el('label', {}, 'DNIS ', f.dnis), el('label', {}, 'Queue ', f.queue),
      el('label', {}, 'Direction ', f.direction), el('label', {}, 'To ', f.to), el('label', { class: 'wide' }, 'CAD ', f.cad), ring);

    var state = document.getElementById('agent-state');
    state.append(el('option', { value: 'Available', text: 'Available' }));
    sim.idleCodes.filter(function (c) { return !c.isSystem; }).forEach(function (c) { state.append(el('option', { value: c.id, text: 'Idle · ' + c.name })); });
    state.addEventListener('change', guard(function () {
      if (state.value === 'Available') sim.setState('Available');
      else sim.setState('Idle', state.value);
    }));
    document.getElementById('agent-name').textContent = sim.profile.agentName + ' (agent ' + sim.agent + ')';
  }

  function callButtons(rec) {
    var id = rec.interactionId;
    var l = rec.legs[sim.agent];
    var s = l ? l.state : '';
    var buttons = [];
    var b = function (label, fn, cls) {
      var button = el('button', { type: 'button', text: label, class: cls || '', 'data-action': label.toLowerCase().replace(/\W+/g, '-') });
      button.addEventListener('click', guard(fn));
      buttons.push(button);
    };
    var other = sim.agents.filter(function (a) { return a !== sim.agent; })[0];
    if (s === 'offered') {
      b('Answer', function () { sim.answer(id); }, 'primary');
      b('Decline', function () { sim.decline(id); });
      b('RONA', function () { sim.rona(id); });
    }
    if (s === 'consultOffered') b('Accept consult', function () { sim.consultAccept(id); }, 'primary');
    if (s === 'connected' || s === 'held') {
      if (s === 'connected') b('Hold', function () { sim.hold(id); });
      else b('Resume', function () { sim.resume(id); });
      b('End', function () { sim.end(id); }, 'danger');
      if (other) {
        b('Transfer to ' + other, function () { sim.blindTransfer(id, other); });
        b('Queue transfer', function () { sim.queueTransfer(id, 'Support', other); });
        if (rec.consult && rec.consult.from === sim.agent) {
          if (rec.consult.state === 'active') b('Complete transfer', function () { sim.consultTransfer(id); });
          b('End consult', function () { sim.consultEnd(id); });
        } else b('Consult ' + other, function () { sim.consult(id, other); });
      }
    }
    if (s === 'consulting') {
      b('End consult', function () { sim.consultEnd(id); });
    }
    if (s === 'wrapup') {
      var reason = el('select', { 'aria-label': 'Wrap-up reason', class: 'wrapup-reason' }, sim.wrapUpCodes.map(function (c) { return el('option', { value: c.id, text: c.name }); }));
      buttons.push(reason);
      b('Wrap up', function () { sim.wrapup(id, reason.value); }, 'primary');
    }
    return buttons;
  }

  function renderCalls() {
    var list = document.getElementById('calls');
    var recs = sim.interactions().filter(function (rec) {
      var l = rec.legs[sim.agent];
      return l && ['offered', 'connected', 'held', 'consultOffered', 'consulting', 'wrapup'].indexOf(l.state) >= 0;
    });
    list.replaceChildren.apply(list, recs.length ? recs.map(function (rec) {
      var i = rec.interaction;
      var cpd = i.callProcessingDetails;
      var cad = Object.keys(i.callAssociatedData || {}).map(function (k) { return k + '=' + i.callAssociatedData[k].value; }).join(', ');
      var l = rec.legs[sim.agent];
      return el('li', { class: 'call state-' + l.state, 'data-interaction-id': rec.interactionId },
        el('div', { class: 'call-head' },
          el('strong', { text: i.contactDirection.type === 'OUTBOUND' ? '↗ ' + cpd.dnis : '↙ ' + cpd.ani }),
          el('span', { class: 'badge', text: l.state }),
          el('span', { class: 'muted', text: cpd.virtualTeamName })),
        cad ? el('div', { class: 'cad muted', text: 'CAD: ' + cad }) : null,
        el('div', { class: 'call-buttons' }, callButtons(rec)));
    }) : [el('li', { class: 'muted', text: 'No calls. Ring one above.' })]);
    var st = sim.agentState();
    var select = document.getElementById('agent-state');
    select.value = st.subStatus === 'Available' ? 'Available' : st.auxCodeId;
    var events = sim.log().filter(function (e) { return e.dir === 'event' || e.dir === 'request' || e.dir === 'rejected'; }).slice(-40).reverse();
    document.getElementById('event-log').replaceChildren.apply(document.getElementById('event-log'), events.map(function (e) {
      return el('li', { class: 'log-' + e.dir, text: e.at.slice(11, 19) + ' ' + e.dir + ' ' + e.name + (e.interactionId ? ' ' + e.interactionId.slice(0, 8) : '') + (e.error ? ' — ' + e.error : '') });
    }));
  }

  var scheduled = false;
  function scheduleRender() {
    if (scheduled) return;
    scheduled = true;
    // setTimeout, not requestAnimationFrame: a hidden cross-origin frame gets no animation frames.
    setTimeout(function () {
      scheduled = false;
      renderCalls();
    }, 0);
  }

  buildControls();
  sim.onChange(scheduleRender);
  renderCalls();
  sim.layout = layoutStatus;
  sim.ready = loadLayout();
})();
