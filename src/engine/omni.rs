//! Omni-Channel presence sync over the Lightning message channel (docs/contracts.md).
//!
//! On a voice call the Omni-Channel status becomes the configured "busy" status; on Omni work
//! the WxCC state becomes Idle with the configured code. Each is restored when the agent is
//! free of both. Our own changes carry a request id (Omni) or are expected (WxCC), so their
//! notifications are not taken for the agent's doing: no echo, no loop. A change the agent
//! makes by hand while we hold a state wins: we do not restore over it.

use super::{DesktopCall, Engine, LogLevel, Purpose};
use crate::config::{Code, Diagnostic};
use crate::desktop::{self, AgentState, NameMatch, TargetState};
use crate::flat::Set;
use crate::salesforce::{OpenCtiCall, OpenCtiResponse, RunApexResult};
use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub(crate) const CHANNEL: &str = "WxccOmniSync__c";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub(crate) enum OmniCall {
    Subscribe,
    FetchStatuses,
    Publish,
    GetIdleCodes,
    StateChange,
}

/// A WxCC agent state we may set and restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Write, Deserialize, Read)]
pub(crate) enum WxccState {
    Available,
    Idle(String),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Write, Deserialize, Read)]
pub(crate) struct OmniSync {
    /// `(Id, MasterLabel)` of the org's presence statuses.
    statuses: Vec<(String, String)>,
    /// The status to set during voice calls, resolved to its Id.
    call_status_id: Option<String>,
    /// The idle code to set during Omni work, resolved to its id.
    idle_code_id: Option<String>,
    current_omni: Option<String>,
    saved_omni: Option<String>,
    voice_forced: bool,
    current_wxcc: Option<WxccState>,
    saved_wxcc: Option<WxccState>,
    omni_forced: bool,
    expected_wxcc: Option<WxccState>,
    work: Set<String>,
    our_requests: Set<String>,
    next_request: u64,
}

impl OmniSync {
    /// After a reload the bridge's answers to old requests are gone; keep the rest.
    pub fn forget_in_flight(&mut self) {
        self.our_requests.clear();
        self.expected_wxcc = None;
    }
}

impl Engine {
    pub(super) fn omni_start(&mut self) {
        self.call_salesforce(
            OpenCtiCall::Subscribe { channel_name: CHANNEL.into() },
            Purpose::Omni(OmniCall::Subscribe),
        );
        self.call_salesforce(
            OpenCtiCall::RunApex {
                apex_class: "sfdcOmniChannel".into(),
                method_name: "fetchOmniPresenceStatusCodes".into(),
                method_params: String::new(),
            },
            Purpose::Omni(OmniCall::FetchStatuses),
        );
        self.call_desktop(DesktopCall::GetIdleCodes, Purpose::Omni(OmniCall::GetIdleCodes));
        let request = self.omni_request_id();
        self.publish(json!({"source": "adapter", "type": "getStatus", "requestId": request}));
    }

    fn omni_request_id(&mut self) -> String {
        let omni = &mut self.state.omni;
        omni.next_request = omni.next_request.saturating_add(1);
        let id = format!(
            "{}-{}",
            if self.ctx.agent_id.is_empty() { "agent" } else { &self.ctx.agent_id },
            omni.next_request
        );
        omni.our_requests.insert(id.clone());
        id
    }

    fn publish(&mut self, message: Value) {
        self.call_salesforce(
            OpenCtiCall::Publish { channel_name: CHANNEL.into(), message },
            Purpose::Omni(OmniCall::Publish),
        );
    }

    pub(super) fn omni_result(&mut self, call: OmniCall, response: &OpenCtiResponse) {
        if !response.success {
            self.salesforce_error("Omni-Channel sync", response);
            return;
        }
        if call != OmniCall::FetchStatuses {
            return;
        }
        let list =
            RunApexResult::from_return_value(&response.return_value).and_then(|r| r.json()).unwrap_or(Value::Null);
        let statuses: Vec<(String, String)> = list
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| {
                        Some((s.get("Id")?.as_str()?.to_string(), s.get("MasterLabel")?.as_str()?.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let wanted = self.config.omni.status_during_call.clone();
        let exact = statuses.iter().find(|(_, label)| *label == wanted);
        let loose = statuses.iter().find(|(_, label)| label.eq_ignore_ascii_case(wanted.trim()));
        let resolved = match (exact, loose) {
            (Some((id, _)), _) => Some(id.clone()),
            (None, Some((id, label))) => {
                self.diagnose(
                    Diagnostic::warning(
                        Code::OmniStatusMissing,
                        "/reqOmniStateSyncConfig/defaultOmniStateForCall",
                        format!("Omni-Channel status \"{wanted}\" matched \"{label}\" only when ignoring case"),
                    )
                    .hint(format!("write it exactly as \"{label}\"; it is used anyway")),
                );
                Some(id.clone())
            }
            (None, None) => {
                let known: Vec<&str> = statuses.iter().map(|(_, l)| l.as_str()).collect();
                self.diagnose(
                    Diagnostic::error(
                        Code::OmniStatusMissing,
                        "/reqOmniStateSyncConfig/defaultOmniStateForCall",
                        format!("no Omni-Channel status is labelled \"{wanted}\""),
                    )
                    .hint(format!("the org has: {}; Omni status is not changed during calls", known.join(", "))),
                );
                None
            }
        };
        self.state.omni.statuses = statuses;
        self.state.omni.call_status_id = resolved;
        self.omni_reconcile();
    }

    pub(super) fn omni_desktop_result(&mut self, call: OmniCall, result: Result<Value, String>) {
        match (call, result) {
            (OmniCall::GetIdleCodes, Ok(value)) => {
                let codes = desktop::parse_idle_codes(&value);
                let wanted = self.config.omni.idle_code_during_omni_work.clone();
                let resolved = match desktop::find_idle_code(&codes, &wanted) {
                    Some((code, NameMatch::Exact)) => Some(code.id.clone()),
                    Some((code, NameMatch::IgnoringCase)) => {
                        self.diagnose(
                            Diagnostic::warning(
                                Code::OmniStatusMissing,
                                "/reqOmniStateSyncConfig/defaultOmniStateForOmniChannel",
                                format!("idle code \"{wanted}\" matched \"{}\" only when ignoring case", code.name),
                            )
                            .hint(format!("write it exactly as \"{}\"; it is used anyway", code.name)),
                        );
                        Some(code.id.clone())
                    }
                    None => {
                        self.diagnose(
                            Diagnostic::error(
                                Code::OmniStatusMissing,
                                "/reqOmniStateSyncConfig/defaultOmniStateForOmniChannel",
                                format!("no WxCC idle code is named \"{wanted}\""),
                            )
                            .hint("the WxCC state is not changed during Omni-Channel work"),
                        );
                        None
                    }
                };
                self.state.omni.idle_code_id = resolved;
                self.omni_reconcile();
            }
            (OmniCall::StateChange, Err(err)) => {
                self.state.omni.expected_wxcc = None;
                self.log(LogLevel::Warn, format!("the desktop refused the state change: {err}"));
            }
            (_, Err(err)) => self.log(LogLevel::Warn, format!("Omni-Channel sync: desktop call failed: {err}")),
            _ => {}
        }
    }

    pub(super) fn omni_message(&mut self, message: &Value) {
        if !self.config.omni.sync_enabled || message.get("source").and_then(Value::as_str) != Some("bridge") {
            return;
        }
        let text = |k: &str| message.get(k).and_then(Value::as_str).map(String::from);
        match text("type").as_deref() {
            Some("statusChanged") => {
                let status = text("statusId");
                let ours = text("requestId").is_some_and(|r| self.state.omni.our_requests.remove(&r));
                let omni = &mut self.state.omni;
                if !ours && omni.voice_forced && status != omni.call_status_id {
                    // The agent chose a status by hand during the call: theirs wins.
                    omni.voice_forced = false;
                    omni.saved_omni = None;
                }
                omni.current_omni = status;
            }
            Some("workAccepted") => {
                if let Some(w) = text("workId") {
                    self.state.omni.work.insert(w);
                }
            }
            Some("workClosed") => {
                if let Some(w) = text("workId") {
                    self.state.omni.work.remove(&w);
                }
            }
            Some("loggedOut") => self.state.omni.work.clear(),
            _ => return,
        }
        self.omni_reconcile();
    }

    pub(super) fn omni_agent_state(&mut self, latest: &Value) {
        let state = AgentState::from_latest_data(latest);
        let now = if state.is_available() {
            Some(WxccState::Available)
        } else {
            state.idle_code_id().map(|c| WxccState::Idle(c.to_string()))
        };
        let Some(now) = now else { return };
        let omni = &mut self.state.omni;
        if omni.expected_wxcc.as_ref() == Some(&now) {
            omni.expected_wxcc = None;
        } else if omni.omni_forced
            && omni.idle_code_id.as_ref().map(|c| WxccState::Idle(c.clone())) != Some(now.clone())
        {
            // The agent changed state by hand during Omni work: theirs wins.
            omni.omni_forced = false;
            omni.saved_wxcc = None;
        }
        omni.current_wxcc = Some(now);
    }

    pub(super) fn omni_voice_changed(&mut self) {
        self.omni_reconcile();
    }

    fn voice_busy(&self) -> bool {
        self.state.calls.values().any(|c| c.is_ours() && c.is_answered() && c.done_at.is_none() && !c.transferred_away)
    }

    /// Sets or restores each side according to what keeps the agent busy.
    fn omni_reconcile(&mut self) {
        if !self.config.omni.sync_enabled {
            return;
        }
        let voice = self.voice_busy();
        let work = !self.state.omni.work.is_empty();
        if voice && !self.state.omni.voice_forced {
            if let Some(status) = self.state.omni.call_status_id.clone() {
                let omni = &mut self.state.omni;
                omni.voice_forced = true;
                omni.saved_omni = omni.current_omni.clone().filter(|c| *c != status);
                let request = self.omni_request_id();
                self.publish(
                    json!({"source": "adapter", "type": "setStatus", "statusId": status, "requestId": request}),
                );
            }
        }
        if work && !self.state.omni.omni_forced {
            if let Some(code) = self.state.omni.idle_code_id.clone() {
                let target = WxccState::Idle(code.clone());
                let omni = &mut self.state.omni;
                omni.omni_forced = true;
                omni.saved_wxcc = omni.current_wxcc.clone().filter(|c| *c != target);
                omni.expected_wxcc = Some(target);
                self.call_desktop(
                    DesktopCall::StateChange(desktop::state_change_request(TargetState::Idle, &code)),
                    Purpose::Omni(OmniCall::StateChange),
                );
            }
        }
        if !voice && !work {
            if self.state.omni.voice_forced {
                self.state.omni.voice_forced = false;
                if let Some(saved) = self.state.omni.saved_omni.take() {
                    let request = self.omni_request_id();
                    self.publish(
                        json!({"source": "adapter", "type": "setStatus", "statusId": saved, "requestId": request}),
                    );
                }
            }
            if self.state.omni.omni_forced {
                self.state.omni.omni_forced = false;
                if let Some(saved) = self.state.omni.saved_wxcc.take() {
                    let request = match &saved {
                        WxccState::Available => {
                            desktop::state_change_request(TargetState::Available, desktop::AVAILABLE_AUX_CODE_ID)
                        }
                        WxccState::Idle(code) => desktop::state_change_request(TargetState::Idle, code),
                    };
                    self.state.omni.expected_wxcc = Some(saved);
                    self.call_desktop(DesktopCall::StateChange(request), Purpose::Omni(OmniCall::StateChange));
                }
            }
        }
    }
}
