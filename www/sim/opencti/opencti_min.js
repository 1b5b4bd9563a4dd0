/*
 * sforce.opencti for Lightning — the simulator's own drop-in client (not Salesforce's code).
 *
 * Written from the wire protocol in notes/opencti-wire-protocol.md (API 57): every call is posted
 * to `parent` as {methodName, callId, apiVersion, apiType, isCallbackRegistered,
 * isListenerRegistered, args} with the console origin (`sfdcIframeOrigin`) as target; the console
 * answers with {apiVersion, apiType, methodName, callId, response, shouldExecuteCallback} or, for
 * listeners, {apiVersion, apiType, methodName, eventName?, response, shouldExecuteListener}.
 * A reply counts only when it comes from `sfdcIframeOrigin` with our apiVersion/apiType.
 * Served by the fake console at /support/api/57.0/lightning/opencti_min.js.
 */
(function (window) {
  'use strict';

  var API_VERSION = 57;
  var API_TYPE = 'opencti';
  var INIT_ERROR =
    'Failed to initialize Open CTI. Ensure that it is loaded from the right frame with correct URL parameters';
  var SALESFORCE_ORIGIN =
    /^http[s]?:\/\/[\w-.]+(\.((my-)?visual)?force\.com|\.my-lightning\.com|\.(my-)?salesforce\.com|\.(salesforce|crmforce)\.(mil|ms))(:\d+)?$/;

  // ---- start-up checks: both parameters, a Salesforce origin, the page's own protocol ----------
  function queryParam(name) {
    var query = window.location.search.replace(/^\?/, '');
    if (!query) return null;
    var pairs = query.split('&');
    for (var i = 0; i < pairs.length; i++) {
      var eq = pairs[i].indexOf('=');
      var key = eq < 0 ? pairs[i] : pairs[i].slice(0, eq);
      if (safeDecode(key) === name) return eq < 0 ? '' : safeDecode(pairs[i].slice(eq + 1).replace(/\+/g, ' '));
    }
    return null;
  }
  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return text;
    }
  }

  // Salesforce's library knows only Salesforce domains. The simulator's server fills this list only
  // when told to (`--demo` / `--opencti-trust`), so the loopback demo console can answer.
  var EXTRA_ORIGINS = [];

  var sfdcIframeOrigin = queryParam('sfdcIframeOrigin');
  var mode = queryParam('mode');
  if (
    !sfdcIframeOrigin ||
    !mode ||
    !(SALESFORCE_ORIGIN.test(sfdcIframeOrigin) || EXTRA_ORIGINS.indexOf(sfdcIframeOrigin) >= 0) ||
    sfdcIframeOrigin.indexOf(window.location.protocol) !== 0
  ) {
    throw new Error(INIT_ERROR);
  }

  // ---- requests -----------------------------------------------------------------------------
  var callId = 0;
  var callbacks = {}; // methodName + "_" + callId -> function, called once
  var listeners = {}; // methodName -> [function]   (onClickToDial, onNavigationChange, hvs.onWorkStart)
  var channelListeners = {}; // channel -> [{token, listener}]  (subscribe)

  function isFunction(f) {
    return typeof f === 'function';
  }

  // The library takes one options object per call (none where every option is optional).
  function options(methodName, arg, count) {
    if (count > 1) throw new Error(methodName + ': expects a single object argument');
    if (arg === undefined || arg === null) return {};
    if (typeof arg !== 'object' || Array.isArray(arg)) throw new Error(methodName + ': the argument must be an object');
    return arg;
  }

  function requireFunction(methodName, opts, name) {
    if (!isFunction(opts[name])) throw new Error(methodName + ': the ' + name + ' parameter is required and must be a function');
  }

  function post(methodName, args, callback, listenerRegistered) {
    callId += 1;
    var id = callId;
    if (isFunction(callback)) callbacks[methodName + '_' + id] = callback;
    window.parent.postMessage(
      {
        methodName: methodName,
        callId: id,
        apiVersion: API_VERSION,
        apiType: API_TYPE,
        isCallbackRegistered: isFunction(callback),
        isListenerRegistered: !!listenerRegistered,
        args: args,
      },
      sfdcIframeOrigin
    );
    return id;
  }

  // A method that forwards some options as `args` and takes an optional or required callback.
  function method(methodName, pick, callbackRequired) {
    return function (arg) {
      var opts = options(methodName, arg, arguments.length);
      if (callbackRequired) requireFunction(methodName, opts, 'callback');
      else if (opts.callback !== undefined && !isFunction(opts.callback))
        throw new Error(methodName + ': the callback parameter must be a function');
      post(methodName, pick ? pick(opts) : {}, opts.callback, false);
    };
  }

  function listenerMethod(methodName) {
    return function (arg) {
      var opts = options(methodName, arg, arguments.length);
      requireFunction(methodName, opts, 'listener');
      (listeners[methodName] = listeners[methodName] || []).push(opts.listener);
      post(methodName, {}, opts.callback, true);
    };
  }

  var opencti = {
    SCREENPOP_TYPE: {
      URL: 'url',
      SOBJECT: 'sobject',
      OBJECTHOME: 'objecthome',
      LIST: 'list',
      SEARCH: 'search',
      NEW_RECORD_MODAL: 'newRecord',
      FLOW: 'flow',
    },
    CALL_TYPE: { INBOUND: 'inbound', OUTBOUND: 'outbound', INTERNAL: 'internal' },

    screenPop: method('screenPop', function (o) {
      return { type: o.type, params: o.params };
    }),
    searchAndScreenPop: method('searchAndScreenPop', function (o) {
      return {
        searchParams: o.searchParams,
        callType: o.callType,
        queryParams: o.queryParams,
        defaultFieldValues: o.defaultFieldValues,
        deferred: o.deferred,
        params: o.params,
      };
    }),
    saveLog: function (arg) {
      var opts = options('saveLog', arg, arguments.length);
      if (!opts.value || typeof opts.value !== 'object' || Array.isArray(opts.value))
        throw new Error('saveLog: the value parameter is required and must be an object');
      if (opts.callback !== undefined && !isFunction(opts.callback))
        throw new Error('saveLog: the callback parameter must be a function');
      post('saveLog', { object: opts.value }, opts.callback, false);
    },
    runApex: method(
      'runApex',
      function (o) {
        return { apexClass: o.apexClass, methodName: o.methodName, methodParams: o.methodParams };
      },
      true
    ),
    getCallCenterSettings: method('getCallCenterSettings', null, true),
    getSoftphoneLayout: method('getSoftphoneLayout', null, true),
    getAppViewInfo: method('getAppViewInfo', null, true),
    isSoftphonePanelVisible: method('isSoftphonePanelVisible', null, true),
    refreshView: method('refreshView', null, false),
    notifyInitializationComplete: method('notifyInitializationComplete', null, false),
    enableClickToDial: method('enableClickToDial', null, false),
    disableClickToDial: method('disableClickToDial', null, false),
    setSoftphonePanelVisibility: method('setSoftphonePanelVisibility', function (o) {
      return { visible: o.visible };
    }),
    setSoftphonePanelHeight: method('setSoftphonePanelHeight', function (o) {
      return { heightPX: o.heightPX };
    }),
    setSoftphonePanelWidth: method('setSoftphonePanelWidth', function (o) {
      return { widthPX: o.widthPX };
    }),
    setSoftphoneItemLabel: method('setSoftphoneItemLabel', function (o) {
      return { label: o.label };
    }),
    setSoftphonePanelLabel: method('setSoftphonePanelLabel', function (o) {
      return { label: o.label };
    }),
    setSoftphoneItemIcon: method('setSoftphoneItemIcon', function (o) {
      return { key: o.key };
    }),
    setSoftphonePanelIcon: method('setSoftphonePanelIcon', function (o) {
      return { key: o.key };
    }),
    onClickToDial: listenerMethod('onClickToDial'),
    onNavigationChange: listenerMethod('onNavigationChange'),

    // Lightning Message Service: subscribe({channelName, listener, callback}) answers the
    // subscription object; unsubscribe({subscription, callback}); publish({channelName, message, callback}).
    subscribe: function (arg) {
      var opts = options('subscribe', arg, arguments.length);
      requireFunction('subscribe', opts, 'listener');
      if (typeof opts.channelName !== 'string' || !opts.channelName)
        throw new Error('subscribe: the channelName parameter is required');
      // As Salesforce's library: the subscription is an opaque frozen object, kept here and
      // handed to the success callback; on the wire it arrives as {}.
      var token = Object.freeze({});
      var channel = opts.channelName;
      var entry = { token: token, listener: opts.listener };
      (channelListeners[channel] = channelListeners[channel] || []).push(entry);
      post(
        'subscribe',
        { eventName: channel, subscription: token },
        function (response) {
          if (response && response.success) response.subscription = token;
          else channelListeners[channel] = (channelListeners[channel] || []).filter(function (e) { return e !== entry; });
          if (isFunction(opts.callback)) opts.callback(response);
        },
        true
      );
    },
    unsubscribe: function (arg) {
      var opts = options('unsubscribe', arg, arguments.length);
      var token = opts.subscription;
      if (!token || typeof token !== 'object') throw new Error('unsubscribe: the subscription parameter must be an object');
      var channel = null;
      Object.keys(channelListeners).forEach(function (name) {
        channelListeners[name] = channelListeners[name].filter(function (entry) {
          if (entry.token !== token) return true;
          channel = name;
          return false;
        });
      });
      if (channel !== null && channelListeners[channel].length === 0) {
        delete channelListeners[channel];
        post('unsubscribe', { eventName: channel }, opts.callback, false);
      } else if (isFunction(opts.callback)) {
        var found = channel !== null;
        setTimeout(function () {
          opts.callback({
            success: found,
            returnValue: null,
            errors: found ? null : [{ code: 'INVALID_PARAM', description: 'unknown subscription' }],
          });
        }, 0);
      }
    },
    publish: method('publish', function (o) {
      return { eventName: o.channelName, message: o.message };
    }),

    hvs: {
      onWorkStart: listenerMethod('hvs.onWorkStart'),
      completeWork: method('hvs.completeWork', function (o) {
        return { workId: o.workId, attributes: o.attributes };
      }),
    },
  };

  // ---- replies --------------------------------------------------------------------------------

  function safeCall(fn, value) {
    try {
      fn(value);
    } catch (e) {
      setTimeout(function () {
        throw e;
      }, 0);
    }
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== sfdcIframeOrigin) return;
    var data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.apiVersion !== API_VERSION || data.apiType !== API_TYPE) return;
    if (data.shouldExecuteCallback) {
      var key = data.methodName + '_' + data.callId;
      var callback = callbacks[key];
      if (!callback) return;
      delete callbacks[key];
      safeCall(callback, data.response);
    } else if (data.shouldExecuteListener) {
      if (data.methodName === 'subscribe') {
        (channelListeners[data.eventName] || []).slice().forEach(function (entry) {
          safeCall(entry.listener, data.response);
        });
      } else {
        (listeners[data.methodName] || []).slice().forEach(function (listener) {
          safeCall(listener, data.response);
        });
      }
    }
  });

  window.sforce = window.sforce || {};
  window.sforce.opencti = opencti;
})(window);
