({
    /** How long a status change we asked for may take to come back as an Omni-Channel event. */
    ECHO_WINDOW_MS: 10000,

    /** Statuses with this Id (or none) mean "log out of Omni-Channel". */
    OFFLINE_IDS: ["", "0"],

    state: function (component) {
        var state = component.get("v.state");
        if (!state) {
            // expected: statusId (18 chars) -> {requestId, until} of a setStatus in flight;
            // answered: the last requestIds answered, so each request is answered once.
            state = { expected: {}, answered: [], lastStatusId: null, lastAt: 0 };
            component.set("v.state", state);
        }
        return state;
    },

    save: function (component, state) {
        component.set("v.state", state);
    },

    log: function (component, what, payload) {
        if (component.get("v.debug")) {
            console.log("WxccOmniBridge " + what, JSON.stringify(payload));
        }
    },

    /** Salesforce Ids in their 18-character form, so both sides compare equal Ids equal. */
    to18: function (id) {
        if (typeof id !== "string" || id.length !== 15) {
            return id || "";
        }
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        var suffix = "";
        for (var block = 0; block < 3; block++) {
            var flags = 0;
            for (var i = 0; i < 5; i++) {
                var c = id.charAt(block * 5 + i);
                if (c >= "A" && c <= "Z") {
                    flags += 1 << i;
                }
            }
            suffix += alphabet.charAt(flags);
        }
        return id + suffix;
    },

    /** A field of an LMS message (an event-like object in Aura, a plain object in tests). */
    field: function (message, name) {
        if (!message) {
            return undefined;
        }
        if (typeof message.getParam === "function") {
            return message.getParam(name);
        }
        return message[name];
    },

    publish: function (component, payload) {
        var message = { source: "bridge" };
        Object.keys(payload).forEach(function (key) {
            if (payload[key] !== undefined && payload[key] !== null) {
                message[key] = payload[key];
            }
        });
        this.log(component, "publish", message);
        component.find("wxccOmniSync").publish(message);
    },

    handleMessage: function (component, message) {
        var source = this.field(message, "source");
        var type = this.field(message, "type");
        if (source !== "adapter") {
            return; // our own messages, or someone else's
        }
        var requestId = this.field(message, "requestId");
        this.log(component, "received", { type: type, requestId: requestId });
        if (type === "setStatus") {
            this.setStatus(component, this.field(message, "statusId"), requestId);
        } else if (type === "getStatus") {
            this.reportCurrentStatus(component, requestId);
        }
    },

    setStatus: function (component, statusId, requestId) {
        var self = this;
        var omni = component.find("omniToolkit");
        var id = self.to18(statusId || "");
        if (self.OFFLINE_IDS.indexOf(id) !== -1) {
            omni.logout().then(
                $A.getCallback(function () {
                    self.answer(component, "", "", requestId);
                }),
                $A.getCallback(function () {
                    self.reportCurrentStatus(component, requestId);
                })
            );
            return;
        }
        var state = self.state(component);
        state.expected[id] = { requestId: requestId, until: Date.now() + self.ECHO_WINDOW_MS };
        self.save(component, state);
        omni.setServicePresenceStatus({ statusId: id }).then(
            $A.getCallback(function (result) {
                self.answer(component, self.to18(result && result.statusId) || id, result && result.statusName, requestId);
            }),
            $A.getCallback(function () {
                // Not set (no access to that status, or Omni-Channel offline): answer with what is.
                var now = self.state(component);
                delete now.expected[id];
                self.save(component, now);
                self.reportCurrentStatus(component, requestId);
            })
        );
    },

    /** Publishes the agent's current status; with requestId when it answers a request. */
    reportCurrentStatus: function (component, requestId) {
        var self = this;
        component
            .find("omniToolkit")
            .getServicePresenceStatusId()
            .then(
                $A.getCallback(function (result) {
                    self.answer(component, self.to18(result && result.statusId), result && result.statusName, requestId);
                }),
                $A.getCallback(function () {
                    // Not logged in to Omni-Channel.
                    self.answer(component, "", "", requestId);
                })
            );
    },

    /** statusChanged for a request (requestId) or for a change of the agent's own (none). */
    answer: function (component, statusId, statusName, requestId) {
        var state = this.state(component);
        var id = statusId || "";
        if (requestId && state.answered.indexOf(requestId) !== -1) {
            return; // already answered (the Omni-Channel event came before the promise)
        }
        if (!requestId && state.lastStatusId === id && Date.now() - state.lastAt < 2000) {
            return; // the same change reported twice (login success and status change)
        }
        var expected = state.expected[id];
        if (expected && (!requestId || expected.requestId === requestId)) {
            // The change we asked for: answer it once, with its requestId.
            requestId = expected.requestId;
            delete state.expected[id];
        }
        if (requestId) {
            state.answered.push(requestId);
            if (state.answered.length > 20) {
                state.answered.shift();
            }
        }
        state.lastStatusId = id;
        state.lastAt = Date.now();
        this.save(component, state);
        this.publish(component, { type: "statusChanged", statusId: id, statusName: statusName || "", requestId: requestId });
    },

    /** lightning:omniChannelStatusChanged: the agent's own change, or the echo of our setStatus. */
    statusChanged: function (component, statusId, statusName) {
        var state = this.state(component);
        var id = this.to18(statusId || "");
        var expected = state.expected[id];
        if (!expected && state.lastStatusId === id && Date.now() - state.lastAt < this.ECHO_WINDOW_MS) {
            return; // the event of a setStatus we already answered
        }
        if (expected && expected.until < Date.now()) {
            delete state.expected[id]; // too late to be ours: the agent chose it
            this.save(component, state);
        }
        this.answer(component, id, statusName, null);
    },

    loggedOut: function (component) {
        var state = this.state(component);
        state.lastStatusId = "";
        state.lastAt = Date.now();
        this.save(component, state);
        this.publish(component, { type: "loggedOut" });
    }
});
