/*
 * The fake WxCC desktop host: the global AGENTX_SERVICE that the real @wxcc-desktop/sdk binds to
 * (notes/wxcc-sdk-fake-host.md), and the contact-center model behind it. A plain script: it must
 * run BEFORE any widget bundle, because the SDK reads the bare global as soon as it is evaluated.
 *
 * Agents: this page is one agent's desktop (?agent=A, default A). Several desktops of the same
 * origin in one browser tab (e.g. agent A's and agent B's softphone frames in the console) share
 * interactions: every change is persisted in sessionStorage (so a frame reload keeps the calls)
 * and announced on the BroadcastChannel "wxcc-sim"; events for another agent travel through it.
 *
 * Automation API (for the page UI and for tests): window.simDesktop — see the end of this file.
 */
(function (window) {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var AGENT = params.get('agent') || 'A';
  var ORG_ID = 'f222e3af-1a53-42ef-9deb-7520034b8a10';
  var STORE_KEY = 'wxcc-sim:interactions';
  var STATE_KEY = 'wxcc-sim:agent-state:' + AGENT;
  var STICKY = params.get('sticky') !== '0';
  var OUTDIAL_AUTO_CONNECT = params.get('outdialAutoConnect') !== '0';

  // ---- reference data ---------------------------------------------------------------------------
  var KNOWN_AGENTS = ['A', 'B'];
  var PROFILES = {
    A: { agentId: 'a0a0a0a0-0000-4000-8000-00000000000a', agentName: 'Alice Agent', firstName: 'Alice', lastName: 'Agent', email: 'alice@acme.example', teamId: 'team-sales', teamName: 'Sales Team', dn: '+12125550901', siteId: 'site-ny', outDialEp: 'b2c8a7f0-1d2e-4f3a-9b8c-000000000e01', agentProfileID: 'profile-agent' },
    B: { agentId: 'b0b0b0b0-0000-4000-8000-00000000000b', agentName: 'Bob Agent', firstName: 'Bob', lastName: 'Agent', email: 'bob@acme.example', teamId: 'team-support', teamName: 'Support Team', dn: '+12125550902', siteId: 'site-ny', outDialEp: 'b2c8a7f0-1d2e-4f3a-9b8c-000000000e01', agentProfileID: 'profile-agent' },
  };
  var TEAMS = [
    { teamId: 'team-sales', teamName: 'Sales Team' },
    { teamId: 'team-support', teamName: 'Support Team' },
  ];
  var IDLE_CODES = [
    { id: '1001', name: 'Not Ready', isSystem: false, isDefault: true },
    { id: '1002', name: 'Lunch', isSystem: false, isDefault: false },
    { id: '1003', name: 'Meeting', isSystem: false, isDefault: false },
    { id: '1004', name: 'RONA', isSystem: true, isDefault: false },
  ];
  var WRAPUP_CODES = [
    { id: '2001', name: 'Sale', isSystem: false, isDefault: true },
    { id: '2002', name: 'Support', isSystem: false, isDefault: false },
    { id: '2003', name: 'Follow-up', isSystem: false, isDefault: false },
    { id: '2004', name: 'Transferred', isSystem: true, isDefault: false },
  ];
  var QUEUES = [
    { id: 'q-sales', vteamId: 'AXCZ08NEefBr7nI0lIIV', name: 'Sales' },
    { id: 'q-support', vteamId: 'AXCZ08NEefBr7nI0lIIW', name: 'Support' },
    { id: 'q-billing', vteamId: 'AXCZ08NEefBr7nI0lIIX', name: 'Billing' },
  ];
  var AVAILABLE_AUX = '0';
  var EVENT_TYPES = {
    eAgentOfferContact: 'AgentOfferContact',
    eAgentContactAssigned: 'AgentContactAssigned',
    eAgentContact: 'AgentContact',
    eAgentContactHeld: 'AgentContactHeld',
    eAgentContactUnHeld: 'AgentContactUnheld',
    eAgentWrapup: 'AgentWrapup',
    eAgentContactWrappedUp: 'AgentContactWrappedUp',
    eAgentContactEnded: 'ContactEnded',
    eAgentOfferContactRona: 'AgentOfferContactRona',
    eAgentblindTransferred: 'AgentBlindTransferred',
    eAgentvteamTransfer: 'AgentVteamTransferred',
    eConsultTransfer: 'AgentConsultTransferred',
    eAgentOfferConsult: 'AgentOfferConsult',
    eAgentConsultCreated: 'AgentConsultCreated',
    eAgentConsulting: 'AgentConsulting',
    eAgentConsultEnded: 'AgentConsultEnded',
    eContactOwnerChanged: 'ContactOwnerChanged',
  };
  // Every contact event name the SDK can bind (docs/desktop-sdk-shapes.md, both columns).
  var CONTACT_EVENTS = [
    'eAgentOfferContact', 'eAgentContactAssigned', 'eAgentContact', 'eAgentContactHeld', 'eAgentContactUnHeld',
    'eAgentWrapup', 'eAgentContactWrappedUp', 'eAgentContactEnded', 'eAgentOfferContactRona', 'eContactOwnerChanged',
    'eAgentContactAniUpdated', 'eAgentOfferConsult', 'eAgentConsultCreated', 'eAgentConsulting', 'eAgentConsultEnded',
    'eAgentConsultFailed', 'eAgentConsultEndFailed', 'eAgentConsultConferenced', 'eAgentConsultConferencing',
    'eAgentConsultConferenceEnded', 'eAgentConsultConferenceEndFailed', 'eAgentConsultTransferring', 'eAgentCtqCancelled',
    'eAgentCtqFailed', 'eAgentCtqCancelFailed', 'eParticipantJoinedConference', 'eParticipantLeftConference',
    'eCallRecordingStarted', 'eAgentOfferCampaignReserved', 'eAgentAddCampaignReserved', 'eAgentCampaignContactUpdated',
    'eAgentMonitorStateChanged', 'eAgentMonitoringEnded', 'eAgentblindTransferred', 'eAgentvteamTransfer',
    'eConsultTransfer', 'eAgentConsultTransferFailed', 'eAgentConferenceTransferred', 'eAgentContactAssignFailed',
    'eAgentContactReserved', 'eAgentInviteFailed', 'eContactMerged', 'eParticipantPostCallActivity',
    'eConsultedParticipantMoving', 'ePauseRecording', 'eResumeRecording', 'eAgentMediaForkUpdate',
    'eAgentContactCleanup', 'eContactCallbackFailed',
  ];
  var AGENT_EVENTS = [
    'eAgentReloginSuccess', 'eAgentStationLoginSuccess', 'eAgentStateChangeSuccess', 'eAgentDNRegistered',
    'eAgentChannelReloginSuccess', 'eAgentChannelStateChanged', 'eAgentLogoutSuccess', 'eAgentMultiLogin',
  ];
  var DIALER_EVENTS = ['eOutdialFailed', 'eCampaignPreviewAcceptFailed', 'eCampaignPreviewSkipFailed', 'eCampaignPreviewRemoveFailed', 'eContactUpdated'];

  function profileOf(agent) {
    if (!PROFILES[agent]) {
      var n = Object.keys(PROFILES).length + 1;
      PROFILES[agent] = {
        agentId: 'c0c0c0c0-0000-4000-8000-' + String(n).padStart(12, '0'), agentName: 'Agent ' + agent, firstName: 'Agent', lastName: agent,
        email: 'agent' + agent.toLowerCase() + '@acme.example', teamId: 'team-sales', teamName: 'Sales Team', dn: '+1212555' + String(900 + n).padStart(4, '0'),
        siteId: 'site-ny', outDialEp: 'b2c8a7f0-1d2e-4f3a-9b8c-000000000e01', agentProfileID: 'profile-agent',
      };
    }
    return PROFILES[agent];
  }
  profileOf(AGENT);
  var ME = profileOf(AGENT);

  function agentByRef(ref) {
    if (!ref) return null;
    var names = Object.keys(PROFILES);
    for (var i = 0; i < names.length; i++) {
      var p = PROFILES[names[i]];
      if (ref === names[i] || ref === p.agentId || ref === p.agentName || ref === p.dn) return names[i];
    }
    return null;
  }
  function otherAgent() {
    for (var i = 0; i < KNOWN_AGENTS.length; i++) if (KNOWN_AGENTS[i] !== AGENT) return KNOWN_AGENTS[i];
    return null;
  }
  function queueByRef(ref) {
    for (var i = 0; i < QUEUES.length; i++) {
      var q = QUEUES[i];
      if (ref === q.id || ref === q.vteamId || ref === q.name) return q;
    }
    return null;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, function () {
      return Math.floor(Math.random() * 16).toString(16);
    });
  }
  function clone(value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  }
  function loadJson(key, fallback) {
    try {
      var text = window.sessionStorage.getItem(key);
      return text ? JSON.parse(text) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function saveJson(key, value) {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // storage full or blocked: the in-memory model still works for this page
    }
  }

  // ---- the log and change notifications (for the page UI and tests) -------------------------------
  var log = [];
  var logSeq = 0;
  var changeListeners = [];
  function addLog(entry) {
    logSeq += 1;
    entry.seq = logSeq;
    entry.at = new Date().toISOString();
    entry.agent = AGENT;
    log.push(entry);
    if (log.length > 2000) log.splice(0, log.length - 2000);
    changed();
  }
  function changed() {
    changeListeners.slice().forEach(function (fn) {
      try {
        fn();
      } catch (e) {
        setTimeout(function () {
          throw e;
        }, 0);
      }
    });
  }

  // ---- event entities: listen / listenOnce, as the SDK expects -------------------------------------
  function EventEntity(group, name) {
    this.group = group;
    this.name = name;
    this.fns = [];
    this.onceFns = [];
  }
  EventEntity.prototype.listen = function (fn) {
    var self = this;
    self.fns.push(fn);
    onListen(self, fn);
    return {
      stopListen: function () {
        self.fns = self.fns.filter(function (f) {
          return f !== fn;
        });
      },
    };
  };
  EventEntity.prototype.listenOnce = function (fn) {
    var self = this;
    self.onceFns.push(fn);
    return {
      stopListenOnce: function () {
        self.onceFns = self.onceFns.filter(function (f) {
          return f !== fn;
        });
      },
    };
  };
  EventEntity.prototype.emit = function (msg, onlyFn) {
    var fns = onlyFn ? [onlyFn] : this.fns.slice().concat(this.onceFns);
    if (!onlyFn) this.onceFns = [];
    fns.forEach(function (fn) {
      try {
        fn(msg);
      } catch (e) {
        setTimeout(function () {
          throw e;
        }, 0);
      }
    });
    return fns.length;
  };
  function entities(group, names) {
    var out = {};
    names.forEach(function (name) {
      out[name] = new EventEntity(group, name);
    });
    return out;
  }
  var contactEvents = entities('contact', CONTACT_EVENTS);
  var agentEvents = entities('agent', AGENT_EVENTS);
  var dialerEvents = entities('dialer', DIALER_EVENTS);

  // ---- agent state ------------------------------------------------------------------------------------
  var initial = (params.get('initialState') || 'available').toLowerCase() === 'idle';
  var agentState = loadJson(STATE_KEY, null) || {
    status: 'LoggedIn',
    subStatus: initial ? 'Idle' : 'Available',
    auxCodeId: initial ? IDLE_CODES[0].id : AVAILABLE_AUX,
    agentSessionId: uuid(),
    lastStateChangeTimestamp: Date.now(),
  };
  saveJson(STATE_KEY, agentState);

  function idleCodeName(id) {
    if (id === AVAILABLE_AUX) return 'Available';
    for (var i = 0; i < IDLE_CODES.length; i++) if (IDLE_CODES[i].id === id) return IDLE_CODES[i].name;
    return '';
  }

  function setAgentState(state, auxCodeId, by) {
    var lower = String(state || '').toLowerCase();
    if (lower !== 'available' && lower !== 'idle') throw new Error('state must be Available or Idle, got ' + JSON.stringify(state));
    if (lower === 'idle') {
      if (!auxCodeId || !idleCodeName(String(auxCodeId)) || String(auxCodeId) === AVAILABLE_AUX)
        throw new Error('unknown idle code ' + JSON.stringify(auxCodeId));
    }
    agentState = {
      status: 'LoggedIn',
      subStatus: lower === 'idle' ? 'Idle' : 'Available',
      auxCodeId: lower === 'idle' ? String(auxCodeId) : AVAILABLE_AUX,
      agentSessionId: agentState.agentSessionId,
      lastStateChangeTimestamp: Date.now(),
    };
    saveJson(STATE_KEY, agentState);
    var data = {
      eventType: 'AgentDesktopMessage',
      agentId: ME.agentId,
      trackingId: uuid(),
      auxCodeId: agentState.auxCodeId,
      agentSessionId: agentState.agentSessionId,
      orgId: ORG_ID,
      status: agentState.status,
      subStatus: agentState.subStatus,
      lastIdleCodeChangeTimestamp: agentState.lastStateChangeTimestamp,
      lastStateChangeTimestamp: agentState.lastStateChangeTimestamp,
      type: 'AgentStateChangeSuccess',
      changedBy: by || 'self',
      changedById: ME.agentId,
      changedByName: ME.agentName,
      lastStateChangeReason: '',
    };
    later(function () {
      addLog({ dir: 'event', name: 'eAgentStateChangeSuccess', data: data });
      agentEvents.eAgentStateChangeSuccess.emit({ type: 'AgentStateChangeSuccess', orgId: ORG_ID, trackingId: data.trackingId, data: data });
    });
    changed();
    return data;
  }

  // ---- interactions -----------------------------------------------------------------------------------
  // record: {interactionId, mediaResourceId, interaction, legs: {agent: {state, consulted?}}, consult?, wrapUp: {agent: {...}}}
  // leg states: offered, connected, held, consultOffered, consulting, wrapup, done, ended
  var interactions = loadJson(STORE_KEY, {});
  var channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('wxcc-sim') : null;

  function persist() {
    saveJson(STORE_KEY, interactions);
  }
  function save(rec) {
    interactions[rec.interactionId] = rec;
    persist();
    if (channel) channel.postMessage({ kind: 'rec', rec: rec });
    changed();
  }
  function get(interactionId) {
    var rec = interactions[interactionId];
    if (!rec) throw new Error('unknown interaction ' + JSON.stringify(interactionId));
    return rec;
  }
  function leg(rec, agent) {
    return rec.legs[agent || AGENT] || null;
  }
  function requireLeg(rec, states, agent) {
    var l = leg(rec, agent);
    if (!l || states.indexOf(l.state) < 0)
      throw new Error('agent ' + (agent || AGENT) + ' cannot do that: interaction ' + rec.interactionId + ' is ' + (l ? l.state : 'not theirs') + ' (needs ' + states.join('/') + ')');
    return l;
  }

  var queue = [];
  function later(fn) {
    queue.push(fn);
    setTimeout(function () {
      var next = queue.shift();
      if (next) next();
    }, 0);
  }

  function contactData(rec, agent, name, extra) {
    var p = profileOf(agent);
    var l = leg(rec, agent) || {};
    var i = clone(rec.interaction);
    var data = {
      mediaResourceId: rec.mediaResourceId,
      eventType: 'RoutingMessage',
      agentId: p.agentId,
      destAgentId: '',
      trackingId: uuid(),
      consultMediaResourceId: rec.consult ? rec.consult.mediaResourceId : '',
      interaction: i,
      participantId: p.agentId,
      interactionId: rec.interactionId,
      orgId: ORG_ID,
      owner: i.owner,
      queueMgr: 'aqm',
      queueName: i.callProcessingDetails.virtualTeamName,
      type: EVENT_TYPES[name] || name.replace(/^e/, ''),
      ronaTimeout: 30,
      isConsulted: !!l.consulted,
      isConferencing: false,
      eventTime: Date.now(),
    };
    if (extra) Object.keys(extra).forEach(function (k) {
      data[k] = extra[k];
    });
    return data;
  }

  function emitContact(name, data, onlyFn) {
    var entity = contactEvents[name];
    var msg = { type: data.type, orgId: ORG_ID, trackingId: data.trackingId, data: data };
    var n = entity ? entity.emit(msg, onlyFn) : 0;
    addLog({ dir: 'event', name: name, interactionId: data.interactionId, listeners: n, data: data, replay: !!onlyFn });
  }

  /** Delivers a contact event to an agent's desktop (this one directly, others via the channel). */
  function deliver(agent, name, interactionId, extra) {
    if (agent === AGENT) {
      later(function () {
        var rec = interactions[interactionId];
        if (rec) emitContact(name, contactData(rec, agent, name, extra));
      });
    } else if (channel) {
      channel.postMessage({ kind: 'deliver', agent: agent, name: name, interactionId: interactionId, extra: extra || null });
      addLog({ dir: 'sent', name: name, to: agent, interactionId: interactionId });
    }
  }

  if (channel) {
    channel.onmessage = function (event) {
      var m = event.data || {};
      if (m.kind === 'rec' && m.rec) {
        interactions[m.rec.interactionId] = m.rec;
        persist();
        changed();
      } else if (m.kind === 'deliver' && m.agent === AGENT) {
        deliver(AGENT, m.name, m.interactionId, m.extra || undefined);
      } else if (m.kind === 'reset') {
        interactions = {};
        persist();
        changed();
      }
    };
  }

  function agentParticipant(agent, extra) {
    var p = profileOf(agent);
    var out = {
      id: p.agentId, name: p.agentName, pType: 'Agent', type: 'Agent', teamId: p.teamId, teamName: p.teamName, dn: p.dn,
      siteId: p.siteId, queueMgrId: 'aqm', sessionId: uuid(), channelId: uuid(), isConsulted: false, hasJoined: false,
      hasLeft: false, isWrapUp: false, isOffered: true, lastUpdated: Date.now(), queueId: '',
    };
    if (extra) Object.keys(extra).forEach(function (k) {
      out[k] = extra[k];
    });
    return out;
  }
  function touch(rec, agent, fields) {
    var p = rec.interaction.participants[profileOf(agent).agentId];
    if (!p) return;
    Object.keys(fields).forEach(function (k) {
      p[k] = fields[k];
    });
    p.lastUpdated = Date.now();
  }

  function cadEntry(name, value) {
    return {
      displayName: name, name: name, agentEditable: true, agentViewable: true, value: String(value),
      type: 'STRING', isSecure: false, secureKeyId: '', secureKeyVersion: 0,
    };
  }

  var DEFAULT_OUTDIAL_ANI = '+18005550100';

  function newInteraction(o) {
    var direction = String(o.direction || 'INBOUND').toUpperCase() === 'OUTBOUND' ? 'OUTBOUND' : 'INBOUND';
    var q = queueByRef(o.queue) || { id: 'q-custom', vteamId: 'AXCZ08NEefBr7nI0lIIZ', name: String(o.queue || 'Sales') };
    var outdial = direction === 'OUTBOUND';
    var customer = outdial ? String(o.destination || o.dnis || '') : String(o.ani || '');
    // An outdial without an origin goes out with the tenant's default outdial ANI (the main line).
    var ani = outdial ? String(o.origin || o.ani || DEFAULT_OUTDIAL_ANI) : customer;
    var dnis = outdial ? customer : String(o.dnis || '+18005550100');
    var interactionId = o.interactionId || uuid();
    var mediaResourceId = uuid();
    var cad = {};
    var cadIn = o.cad || {};
    Object.keys(cadIn).forEach(function (name) {
      cad[name] = cadEntry(name, cadIn[name]);
    });
    var owner = profileOf(o.agent).agentId;
    var participants = {};
    participants[customer] = { id: customer, pType: 'Customer', type: 'Customer', name: o.customerName || '', hasJoined: true, hasLeft: false };
    var cpd = {
      QMgrName: 'aqm', taskToBeSelfServiced: 'false', ani: ani, displayAni: ani, dnis: dnis, tenantId: '133',
      QueueId: q.id, vteamId: q.vteamId, pauseResumeEnabled: 'true', pauseDuration: '30', isPaused: 'false',
      recordInProgress: 'false', ctqInProgress: 'false', outdialTransferToQueueEnabled: 'true', convIvrTranscript: 'false',
      fromAddress: ani, customerName: o.customerName || '', virtualTeamName: q.name, ronaTimeout: '30', category: 'none',
      reason: 'none', sourceNumber: ani, sourcePage: '', appUser: '', customerNumber: customer, reasonCode: '', IvrPath: '',
      pathId: '', BLIND_TRANSFER_IN_PROGRESS: false,
    };
    var details = { ani: ani, dn: dnis, virtualTeamName: q.name, customerName: o.customerName || '', ronaTimeout: '30', mediaResourceId: mediaResourceId };
    Object.keys(cadIn).forEach(function (name) {
      details[name] = String(cadIn[name]);
    });
    var media = {};
    media[mediaResourceId] = { mediaResourceId: mediaResourceId, mediaType: 'telephony', mediaMgr: 'vmm', participants: [customer], mType: 'mainCall', isHold: false, holdTimestamp: null };
    var interaction = {
      isFcManaged: false, isTerminated: false, mediaType: 'telephony', previousVTeams: [], state: 'new', currentVTeam: q.id,
      participants: participants, interactionId: interactionId, orgId: ORG_ID, createdTimestamp: Date.now(), isMediaForked: false,
      owner: owner, mediaChannel: 'broadcloud', contactDirection: { type: direction }, callProcessingDetails: cpd,
      callFlowParams: {}, callAssociatedData: cad, callAssociatedDetails: details, media: media,
    };
    if (outdial) interaction.outboundType = 'OUTDIAL';
    return { interactionId: interactionId, mediaResourceId: mediaResourceId, interaction: interaction, legs: {}, consult: null, wrapUps: {} };
  }

  function offerTo(rec, agent) {
    rec.legs[agent] = { state: 'offered', since: Date.now() };
    rec.interaction.owner = profileOf(agent).agentId;
    rec.interaction.state = 'new';
    var pid = profileOf(agent).agentId;
    if (!rec.interaction.participants[pid]) rec.interaction.participants[pid] = agentParticipant(agent);
    else touch(rec, agent, { hasLeft: false, isWrapUp: false, isOffered: true, hasJoined: false });
    var m = rec.interaction.media[rec.mediaResourceId];
    if (m.participants.indexOf(pid) < 0) m.participants.push(pid);
  }

  // ---- operations (each acts for this page's agent unless it says otherwise) ----------------------------
  var ops = {
    /** A call rings at an agent (default this one). Returns the interactionId. */
    ring: function (o) {
      o = o || {};
      var agent = o.agent || AGENT;
      var rec = newInteraction({
        interactionId: o.interactionId, direction: o.direction, ani: o.ani || (String(o.direction || '').toUpperCase() === 'OUTBOUND' ? '' : '+12125550101'), dnis: o.dnis, queue: o.queue,
        cad: o.cad, customerName: o.customerName, agent: agent, destination: o.destination, origin: o.origin,
      });
      offerTo(rec, agent);
      save(rec);
      deliver(agent, 'eAgentOfferContact', rec.interactionId);
      return rec.interactionId;
    },
    answer: function (id) {
      var rec = get(id);
      var l = leg(rec);
      if (l && l.state === 'consultOffered') return ops.consultAccept(id);
      requireLeg(rec, ['offered']);
      l.state = 'connected';
      rec.interaction.state = 'connected';
      touch(rec, AGENT, { hasJoined: true, isOffered: false });
      save(rec);
      deliver(AGENT, 'eAgentContactAssigned', id);
      return id;
    },
    decline: function (id) {
      var rec = get(id);
      requireLeg(rec, ['offered', 'consultOffered']);
      rec.legs[AGENT].state = 'ended';
      touch(rec, AGENT, { hasLeft: true });
      save(rec);
      deliver(AGENT, 'eAgentContactEnded', id);
      return id;
    },
    rona: function (id) {
      var rec = get(id);
      requireLeg(rec, ['offered']);
      rec.legs[AGENT].state = 'ended';
      touch(rec, AGENT, { hasLeft: true });
      save(rec);
      deliver(AGENT, 'eAgentOfferContactRona', id, { reason: 'RONA', reasonCode: 'RONA' });
      setAgentState('Idle', '1004', 'system');
      return id;
    },
    hold: function (id) {
      var rec = get(id);
      requireLeg(rec, ['connected']);
      rec.legs[AGENT].state = 'held';
      rec.interaction.state = 'hold';
      rec.interaction.media[rec.mediaResourceId].isHold = true;
      rec.interaction.media[rec.mediaResourceId].holdTimestamp = Date.now();
      save(rec);
      deliver(AGENT, 'eAgentContactHeld', id);
      return id;
    },
    resume: function (id) {
      var rec = get(id);
      requireLeg(rec, ['held']);
      rec.legs[AGENT].state = 'connected';
      rec.interaction.state = 'connected';
      rec.interaction.media[rec.mediaResourceId].isHold = false;
      rec.interaction.media[rec.mediaResourceId].holdTimestamp = null;
      save(rec);
      deliver(AGENT, 'eAgentContactUnHeld', id);
      return id;
    },
    /** Ends the call: a connected call goes to wrap-up (eAgentWrapup); an unanswered one ends (eAgentContactEnded). */
    end: function (id) {
      var rec = get(id);
      var l = requireLeg(rec, ['offered', 'connected', 'held', 'consulting']);
      if (l.state === 'offered') {
        l.state = 'ended';
        rec.interaction.state = 'ended';
        rec.interaction.isTerminated = true;
        touch(rec, AGENT, { hasLeft: true });
        save(rec);
        deliver(AGENT, 'eAgentContactEnded', id);
        return id;
      }
      l.state = 'wrapup';
      rec.interaction.state = 'wrapUp';
      rec.interaction.isTerminated = true;
      touch(rec, AGENT, { isWrapUp: true, hasLeft: true });
      save(rec);
      deliver(AGENT, 'eAgentWrapup', id, { wrapUpRequired: true });
      return id;
    },
    /** Wrap-up with a reason (id or name; default the default wrap-up code). */
    wrapup: function (id, reason) {
      var rec = get(id);
      requireLeg(rec, ['wrapup']);
      var code = null;
      for (var i = 0; i < WRAPUP_CODES.length; i++) {
        if (reason === WRAPUP_CODES[i].id || reason === WRAPUP_CODES[i].name) code = WRAPUP_CODES[i];
      }
      if (!code && reason) throw new Error('unknown wrap-up reason ' + JSON.stringify(reason));
      code = code || WRAPUP_CODES[0];
      rec.legs[AGENT].state = 'done';
      rec.wrapUps[AGENT] = { auxCodeId: code.id, name: code.name, at: Date.now() };
      var active = Object.keys(rec.legs).some(function (a) {
        return ['offered', 'connected', 'held', 'consultOffered', 'consulting', 'wrapup'].indexOf(rec.legs[a].state) >= 0;
      });
      if (!active) rec.interaction.state = 'wrappedUp';
      save(rec);
      deliver(AGENT, 'eAgentContactWrappedUp', id, { wrapUpAuxCodeId: code.id });
      return id;
    },
    /** Blind transfer to another agent: this agent gets eAgentblindTransferred then wrap-up; the other is offered the call. */
    blindTransfer: function (id, toAgent) {
      var rec = get(id);
      requireLeg(rec, ['connected', 'held']);
      var to = agentByRef(toAgent) || toAgent || otherAgent();
      if (!to || to === AGENT) throw new Error('blind transfer needs another agent');
      var dest = profileOf(to);
      rec.legs[AGENT].state = 'wrapup';
      touch(rec, AGENT, { hasLeft: true, isWrapUp: true });
      rec.interaction.callProcessingDetails.BLIND_TRANSFER_IN_PROGRESS = true;
      offerTo(rec, to);
      save(rec);
      deliver(AGENT, 'eAgentblindTransferred', id, { destAgentId: dest.agentId, destinationType: 'agent' });
      deliver(AGENT, 'eAgentWrapup', id, { wrapUpRequired: true });
      deliver(to, 'eAgentOfferContact', id);
      return id;
    },
    /** Transfer to a queue; the queue then offers the call to an agent (default the other one). */
    queueTransfer: function (id, queueRef, toAgent) {
      var rec = get(id);
      requireLeg(rec, ['connected', 'held']);
      var q = queueByRef(queueRef) || QUEUES[1];
      var to = agentByRef(toAgent) || toAgent || otherAgent();
      var cpd = rec.interaction.callProcessingDetails;
      rec.interaction.previousVTeams.push(rec.interaction.currentVTeam);
      rec.interaction.currentVTeam = q.id;
      cpd.QueueId = q.id;
      cpd.vteamId = q.vteamId;
      cpd.virtualTeamName = q.name;
      rec.interaction.callAssociatedDetails.virtualTeamName = q.name;
      rec.legs[AGENT].state = 'wrapup';
      touch(rec, AGENT, { hasLeft: true, isWrapUp: true });
      if (to && to !== AGENT) offerTo(rec, to);
      save(rec);
      deliver(AGENT, 'eAgentvteamTransfer', id, { destinationType: 'queue', queueName: q.name });
      deliver(AGENT, 'eAgentWrapup', id, { wrapUpRequired: true });
      if (to && to !== AGENT) deliver(to, 'eAgentOfferContact', id);
      return id;
    },
    /** Consult another agent: this agent gets eAgentConsultCreated, the other eAgentOfferConsult. */
    consult: function (id, toAgent) {
      var rec = get(id);
      requireLeg(rec, ['connected', 'held']);
      var to = agentByRef(toAgent) || toAgent || otherAgent();
      if (!to || to === AGENT) throw new Error('consult needs another agent');
      rec.consult = { from: AGENT, to: to, state: 'offered', mediaResourceId: uuid() };
      rec.legs[to] = { state: 'consultOffered', consulted: true, since: Date.now() };
      var pid = profileOf(to).agentId;
      rec.interaction.participants[pid] = agentParticipant(to, { isConsulted: true });
      save(rec);
      deliver(AGENT, 'eAgentConsultCreated', id, { destAgentId: pid });
      deliver(to, 'eAgentOfferConsult', id, { isConsulted: true, consultingAgentId: ME.agentId });
      return id;
    },
    /** The consulted agent (this page) accepts the consult. */
    consultAccept: function (id) {
      var rec = get(id);
      requireLeg(rec, ['consultOffered']);
      rec.legs[AGENT].state = 'consulting';
      rec.consult.state = 'active';
      rec.interaction.state = 'consulting';
      touch(rec, AGENT, { hasJoined: true, isOffered: false });
      save(rec);
      deliver(AGENT, 'eAgentConsulting', id, { isConsulted: true });
      deliver(rec.consult.from, 'eAgentConsulting', id);
      return id;
    },
    /** The consulting agent (this page) hands the call to the consulted one: eConsultTransfer to both; this one wraps up. */
    consultTransfer: function (id) {
      var rec = get(id);
      requireLeg(rec, ['connected', 'held']);
      if (!rec.consult || rec.consult.from !== AGENT || rec.consult.state !== 'active') throw new Error('no accepted consult to transfer');
      var to = rec.consult.to;
      var pid = profileOf(to).agentId;
      rec.legs[AGENT].state = 'wrapup';
      touch(rec, AGENT, { hasLeft: true, isWrapUp: true });
      rec.legs[to] = { state: 'connected', since: Date.now() };
      touch(rec, to, { isConsulted: false });
      rec.interaction.owner = pid;
      rec.interaction.state = 'connected';
      rec.consult = null;
      save(rec);
      deliver(AGENT, 'eConsultTransfer', id, { destAgentId: pid });
      deliver(AGENT, 'eAgentWrapup', id, { wrapUpRequired: true });
      deliver(to, 'eConsultTransfer', id, { destAgentId: pid });
      deliver(to, 'eAgentContact', id);
      return id;
    },
    /** Ends the consult (either side): both get eAgentConsultEnded; the consulted agent leaves. */
    consultEnd: function (id) {
      var rec = get(id);
      if (!rec.consult) throw new Error('no consult on ' + id);
      var c = rec.consult;
      rec.legs[c.to] = { state: 'ended', consulted: true, since: Date.now() };
      touch(rec, c.to, { hasLeft: true });
      rec.consult = null;
      if (rec.legs[c.from] && rec.legs[c.from].state !== 'wrapup') rec.interaction.state = 'connected';
      save(rec);
      deliver(c.from, 'eAgentConsultEnded', id);
      deliver(c.to, 'eAgentConsultEnded', id, { isConsulted: true });
      return id;
    },
    /** Merges CAD variables into the interaction ({name: value}). */
    updateCad: function (id, attributes) {
      var rec = get(id);
      if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) throw new Error('attributes must be an object of strings');
      Object.keys(attributes).forEach(function (name) {
        var value = attributes[name];
        if (value !== null && typeof value === 'object') throw new Error('CAD value of ' + name + ' must be a string');
        var existing = rec.interaction.callAssociatedData[name];
        if (existing) existing.value = String(value);
        else rec.interaction.callAssociatedData[name] = cadEntry(name, value);
        rec.interaction.callAssociatedDetails[name] = String(value);
      });
      save(rec);
      return id;
    },
  };

  // ---- replay for late listeners (a reloaded desktop re-sends the calls it has) --------------------------
  function onListen(entity, fn) {
    if (!STICKY || entity.group !== 'contact') return;
    var states = entity.name === 'eAgentOfferContact' ? ['offered'] : entity.name === 'eAgentContact' ? ['connected', 'held', 'consulting', 'wrapup'] : null;
    if (!states) return;
    setTimeout(function () {
      if (entity.fns.indexOf(fn) < 0) return;
      Object.keys(interactions).forEach(function (id) {
        var rec = interactions[id];
        var l = rec.legs[AGENT];
        if (l && states.indexOf(l.state) >= 0) emitContact(entity.name, contactData(rec, AGENT, entity.name), fn);
      });
    }, 0);
  }

  function activeFor(agent) {
    return Object.keys(interactions)
      .map(function (id) {
        return interactions[id];
      })
      .filter(function (rec) {
        var l = rec.legs[agent];
        return l && ['offered', 'connected', 'held', 'consultOffered', 'consulting', 'wrapup'].indexOf(l.state) >= 0;
      });
  }

  // ---- the SDK-facing service object ---------------------------------------------------------------------
  // Requests the next call of which is refused, with the desktop's message: refuseNext().
  var refusals = {};
  function request(name, fn) {
    return function (payload) {
      addLog({ dir: 'request', name: name, payload: clone(payload) });
      return new Promise(function (resolve, reject) {
        setTimeout(function () {
          try {
            if (refusals[name]) {
              var why = refusals[name];
              delete refusals[name];
              throw new Error(why);
            }
            resolve(fn(payload || {}));
          } catch (e) {
            addLog({ dir: 'rejected', name: name, error: String(e && e.message ? e.message : e) });
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }, 0);
      });
    };
  }
  function needId(p) {
    if (!p || typeof p.interactionId !== 'string' || !p.interactionId) throw new Error('interactionId is required');
    return p.interactionId;
  }
  function ack(id) {
    var rec = interactions[id];
    return { data: rec ? contactData(rec, AGENT, 'eAgentContact') : { interactionId: id } };
  }
  function targetOf(data) {
    data = data || {};
    return agentByRef(data.to) || agentByRef(data.agentId) || agentByRef(data.destAgentId) || otherAgent();
  }

  var contactRequests = {
    accept: function (p) {
      return ack(ops.answer(needId(p)));
    },
    consultAccept: function (p) {
      return ack(ops.consultAccept(needId(p)));
    },
    decline: function (p) {
      return ack(ops.decline(needId(p)));
    },
    end: function (p) {
      return ack(ops.end(needId(p)));
    },
    hold: function (p) {
      return ack(ops.hold(needId(p)));
    },
    unHold: function (p) {
      return ack(ops.resume(needId(p)));
    },
    wrapup: function (p) {
      var d = p.data || {};
      return ack(ops.wrapup(needId(p), d.auxCodeId || d.wrapUpReason));
    },
    blindTransfer: function (p) {
      return ack(ops.blindTransfer(needId(p), targetOf(p.data)));
    },
    vteamTransfer: function (p) {
      var d = p.data || {};
      return ack(ops.queueTransfer(needId(p), d.vteamId || d.to, otherAgent()));
    },
    consult: function (p) {
      return ack(ops.consult(needId(p), targetOf(p.data)));
    },
    consultEnd: function (p) {
      return ack(ops.consultEnd(needId(p)));
    },
    consultTransfer: function (p) {
      return ack(ops.consultTransfer(needId(p)));
    },
    consultConference: function (p) {
      return ack(needId(p));
    },
    exitConference: function (p) {
      return ack(needId(p));
    },
    dropConferenceParticipant: function (p) {
      return ack(needId(p));
    },
    cancelCtq: function (p) {
      return ack(needId(p));
    },
    cancelTask: function (p) {
      return ack(needId(p));
    },
    pauseRecording: function (p) {
      return ack(needId(p));
    },
    resumeRecording: function (p) {
      return ack(needId(p));
    },
    buddyAgents: function () {
      return {
        data: {
          agentList: KNOWN_AGENTS.filter(function (a) {
            return a !== AGENT;
          }).map(function (a) {
            var p = profileOf(a);
            return { agentId: p.agentId, agentName: p.agentName, dn: p.dn, teamId: p.teamId, teamName: p.teamName, state: 'Available' };
          }),
        },
      };
    },
    vteamList: function () {
      return { data: { vteamList: QUEUES.map(function (q) { return { id: q.id, name: q.name, type: 'inboundqueue' }; }) } };
    },
  };
  var contact = {};
  Object.keys(contactEvents).forEach(function (name) {
    contact[name] = contactEvents[name];
  });
  Object.keys(contactRequests).forEach(function (name) {
    contact[name] = request('contact.' + name, contactRequests[name]);
    contact[name + 'V2'] = request('contact.' + name + 'V2', contactRequests[name]);
  });
  contact.cancelTaskV2 = request('contact.cancelTaskV2', contactRequests.cancelTask);

  var outdials = [];
  var dialer = {
    updateCadVariables: request('dialer.updateCadVariables', function (p) {
      var id = needId(p);
      var attributes = p.data && p.data.attributes;
      ops.updateCad(id, attributes);
      return { data: { interactionId: id, attributes: clone(attributes) } };
    }),
    startOutdial: request('dialer.startOutdial', function (p) {
      var d = p.data || {};
      if (typeof d.destination !== 'string' || !d.destination.trim()) throw new Error('destination is required');
      if (!d.attributes || typeof d.attributes !== 'object') throw new Error('attributes must be an object');
      outdials.push(clone(d));
      var id = ops.ring({ direction: 'OUTBOUND', destination: d.destination, origin: d.origin, queue: 'Sales', cad: d.attributes, agent: AGENT });
      if (OUTDIAL_AUTO_CONNECT) ops.answer(id);
      return ack(id);
    }),
    acceptPreviewContact: request('dialer.acceptPreviewContact', function () {
      return {};
    }),
    skipPreviewContact: request('dialer.skipPreviewContact', function () {
      return {};
    }),
    removePreviewContact: request('dialer.removePreviewContact', function () {
      return {};
    }),
  };
  Object.keys(dialerEvents).forEach(function (name) {
    dialer[name] = dialerEvents[name];
  });

  function stateResponse() {
    return { data: { agentId: ME.agentId, agentSessionId: agentState.agentSessionId, status: agentState.status, subStatus: agentState.subStatus, auxCodeId: agentState.auxCodeId, lastStateChangeTimestamp: agentState.lastStateChangeTimestamp } };
  }
  var agent = {
    stateChange: request('agent.stateChange', function (p) {
      var d = p.data || {};
      setAgentState(d.state, d.auxCodeIdArray || d.auxCodeId);
      return stateResponse();
    }),
    stateChangeV2: request('agent.stateChangeV2', function (p) {
      var d = p.data || p;
      setAgentState(d.state, d.auxCodeId || d.auxCodeIdArray);
      return stateResponse();
    }),
    reload: request('agent.reload', function () {
      return stateResponse();
    }),
    fetchAddressBooks: request('agent.fetchAddressBooks', function () {
      return { data: { addressBooks: [] } };
    }),
    mockOutdialAniList: request('agent.mockOutdialAniList', function () {
      return { data: [{ id: 'ani-1', name: 'Main line', number: '+18005550100' }] };
    }),
  };
  Object.keys(agentEvents).forEach(function (name) {
    agent[name] = agentEvents[name];
  });

  // actionsChannels: "X/Req" sources answered on "X/Res" destinations with [result, reqId].
  var destinations = {};
  function taskMap() {
    var map = new Map();
    activeFor(AGENT).forEach(function (rec) {
      map.set(rec.interactionId, contactData(rec, AGENT, 'eAgentContact'));
    });
    return map;
  }
  var ANSWERS = {
    'getIdleCodes/Req': ['getIdleCodes/Res', function () { return clone(IDLE_CODES); }],
    'getWrapUpCodes/Req': ['getWrapUpCodes/Res', function () { return clone(WRAPUP_CODES); }],
    'getTaskMap/Req': ['getTaskMap/Res', taskMap],
    'getMediaTypeQueue/Req': ['getMediaTypeQueue/Res', function () { return QUEUES.map(function (q) { return { id: q.id, name: q.name, mediaType: 'telephony' }; }); }],
    'getToken/Req': ['getToken/Res', function () { return 'sim-token-' + AGENT; }],
  };
  var actionsChannels = {
    createSource: function (name) {
      return {
        send: function () {
          var args = Array.prototype.slice.call(arguments);
          addLog({ dir: 'action', name: name, args: clone(args.filter(function (a) { return typeof a !== 'function'; })) });
          var answer = ANSWERS[name];
          if (!answer) return;
          var reqId = args[args.length - 1];
          setTimeout(function () {
            (destinations[answer[0]] || []).slice().forEach(function (fn) {
              fn({ args: [answer[1](), reqId], meta: { name: answer[0] } });
            });
          }, 0);
        },
      };
    },
    createDestination: function (name) {
      return {
        addListener: function (fn) {
          (destinations[name] = destinations[name] || []).push(fn);
        },
        removeListener: function (fn) {
          destinations[name] = (destinations[name] || []).filter(function (f) {
            return f !== fn;
          });
        },
      };
    },
  };

  var profile = {
    agentId: ME.agentId, agentName: ME.agentName, agentProfileID: ME.agentProfileID, defaultDn: ME.dn, teams: clone(TEAMS),
    agentSubStatus: agentState.subStatus, agentStatus: agentState.status, idleCodes: clone(IDLE_CODES), wrapupCodes: clone(WRAPUP_CODES),
    dialPlan: { type: 'adhocBasic', dialPlanEntity: [{ regex: '([0-9a-zA-Z]+[-._])*[0-9a-zA-Z]+', prefix: '', strippedChars: '', name: 'Any Format' }] },
    isOutboundEnabledForTenant: true, isOutboundEnabledForAgent: true, isAdhocDialingEnabled: true, isEndCallEnabled: true,
    isEndConsultEnabled: true, allowConsultToQueue: true, isAgentAvailableAfterOutdial: false, isCampaignManagementEnabled: false,
    agentPersonalStatsEnabled: false, outDialEp: ME.outDialEp, orgId: ORG_ID, teamId: ME.teamId, teamName: ME.teamName,
  };

  var SERVICE = {
    isInited: false,
    conf: {
      profile: profile,
      isReloginSuccess: true,
      fetchProfile: function () {
        return Promise.resolve(profile);
      },
    },
    aqm: { contact: contact, agent: agent, dialer: dialer },
    dataNotifs: {},
    actionsChannels: actionsChannels,
    webexMetrics: {
      trackBehavioralEvent: function (name, payload) {
        addLog({ dir: 'metric', name: String(name), payload: clone(payload) });
      },
    },
    i18n: { DEFAULT_INIT_OPTIONS: { fallbackLng: 'en', lng: 'en', ns: [], defaultNS: '' } },
  };
  window.AGENTX_SERVICE = SERVICE;
  SERVICE.isInited = true;

  // ---- the $STORE the layout binds to ---------------------------------------------------------------------
  var STORE = {
    agent: {
      agentId: ME.agentId, agentName: ME.agentName, firstName: ME.firstName, lastName: ME.lastName, email: ME.email,
      teamId: ME.teamId, teamName: ME.teamName, dn: ME.dn, outDialEp: ME.outDialEp, orgId: ORG_ID, siteId: ME.siteId,
      agentSessionId: agentState.agentSessionId, agentProfileID: ME.agentProfileID,
      outdialAniList: [{ id: '+18005550100', name: 'Main line', number: '+18005550100' }],
      // The outdial ANI the agent picked; its id is the number itself here.
      selectedOutdialANI: { id: '+18005550100', name: 'Main line', number: '+18005550100' },
    },
    app: { darkMode: false, language: 'en-US', title: 'Webex Contact Center' },
  };

  // ---- automation API --------------------------------------------------------------------------------------
  function act(fn) {
    return function () {
      var result = fn.apply(null, arguments);
      addLog({ dir: 'control', name: fn.name || 'op', args: clone(Array.prototype.slice.call(arguments)) });
      return result;
    };
  }
  window.simDesktop = {
    agent: AGENT,
    profile: clone(ME),
    agents: KNOWN_AGENTS.slice(),
    store: STORE,
    idleCodes: clone(IDLE_CODES),
    wrapUpCodes: clone(WRAPUP_CODES),
    queues: clone(QUEUES),
    profileOf: function (a) {
      return clone(profileOf(a));
    },
    ring: act(function ring(o) { return ops.ring(o); }),
    answer: act(function answer(id) { return ops.answer(id); }),
    decline: act(function decline(id) { return ops.decline(id); }),
    rona: act(function rona(id) { return ops.rona(id); }),
    hold: act(function hold(id) { return ops.hold(id); }),
    resume: act(function resume(id) { return ops.resume(id); }),
    end: act(function end(id) { return ops.end(id); }),
    wrapup: act(function wrapup(id, reason) { return ops.wrapup(id, reason); }),
    blindTransfer: act(function blindTransfer(id, to) { return ops.blindTransfer(id, to); }),
    queueTransfer: act(function queueTransfer(id, q, to) { return ops.queueTransfer(id, q, to); }),
    consult: act(function consult(id, to) { return ops.consult(id, to); }),
    consultAccept: act(function consultAccept(id) { return ops.consultAccept(id); }),
    consultTransfer: act(function consultTransfer(id) { return ops.consultTransfer(id); }),
    consultEnd: act(function consultEnd(id) { return ops.consultEnd(id); }),
    updateCad: act(function updateCad(id, attributes) { return ops.updateCad(id, attributes); }),
    /** Re-delivers any contact event for an interaction to this agent, e.g. emit("eAgentContact", id). */
    emit: function (name, id, extra) {
      get(id);
      deliver(AGENT, name, id, extra);
    },
    /** Agent state: setState("Available") or setState("Idle", "Lunch" | "1002"). */
    setState: act(function setState(state, idle) {
      var code = null;
      if (idle) IDLE_CODES.forEach(function (c) {
        if (c.id === idle || c.name === idle) code = c.id;
      });
      return setAgentState(state, code || idle);
    }),
    agentState: function () {
      return { status: agentState.status, subStatus: agentState.subStatus, auxCodeId: agentState.auxCodeId, idleCodeName: idleCodeName(agentState.auxCodeId) };
    },
    interaction: function (id) {
      var rec = interactions[id];
      return rec ? clone(rec.interaction) : null;
    },
    /** {interactionId, legs: {A: {state}}, wrapUps, consult, interaction} */
    record: function (id) {
      return clone(interactions[id] || null);
    },
    interactions: function () {
      return clone(Object.keys(interactions).map(function (id) { return interactions[id]; }));
    },
    active: function (a) {
      return clone(activeFor(a || AGENT));
    },
    /** The last interaction that involves this agent (or null). */
    current: function () {
      var list = activeFor(AGENT);
      return list.length ? list[list.length - 1].interactionId : null;
    },
    /** How many listeners the widgets bound on an event: listening("eAgentOfferContact"). */
    listening: function (name) {
      var e = contactEvents[name] || agentEvents[name] || dialerEvents[name];
      return e ? e.fns.length + e.onceFns.length : 0;
    },
    /** Everything that happened here: {seq, at, agent, dir: event|request|rejected|action|control|sent|metric, name, ...}. */
    log: function () {
      return log.slice();
    },
    events: function (name, id) {
      return log.filter(function (e) {
        return e.dir === 'event' && (!name || e.name === name) && (!id || e.interactionId === id);
      });
    },
    requests: function (name) {
      return log.filter(function (e) {
        return e.dir === 'request' && (!name || e.name === name);
      });
    },
    outdials: function () {
      return clone(outdials);
    },
    /** The next request `name` (e.g. "dialer.startOutdial") is refused with `message`, as the
     * desktop refuses a dial while the agent is busy. */
    refuseNext: function (name, message) {
      refusals[name] = String(message || 'refused');
    },
    onChange: function (fn) {
      changeListeners.push(fn);
    },
    /** Forgets every interaction in this tab (all desktops of this origin). */
    reset: function () {
      interactions = {};
      persist();
      if (channel) channel.postMessage({ kind: 'reset' });
      changed();
    },
  };
})(window);
