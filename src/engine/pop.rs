//! Screen pop: find the caller's record once per interaction and show it.
//!
//! The search is deferred (`searchAndScreenPop` with `deferred: true` navigates nowhere) so the
//! adapter decides itself: one match → that record, several → the search page (or the panel's
//! pick list, when the multiple-match action is `pick`), none → the new-record form when
//! configured, else the layout's own no-match behaviour. Phone keys are tried as configured,
//! then E.164 digits, then national digits, only while nothing matches. An outbound call the
//! agent dialed in the desktop (not clicked in Salesforce) is searched by the dialed number the
//! same way. Every decision is recorded in a [`PopTrace`] ("why this record").

use super::trace::{Candidate, PopDecision, PopState, PopTrace, RelatedRecord, SearchTry};
use super::values::{self, sanitize_search};
use super::{Engine, Purpose};
use crate::config::MultipleMatch;
use crate::desktop::Direction;
use crate::pii::redact;
use crate::pii::Pii;
use crate::salesforce::{self, CallType, OpenCtiCall, OpenCtiResponse, ScreenPop, SearchAndScreenPop, SearchMatch};
use serde_json::Map;

impl Engine {
    /// Starts the pop for a call this agent handles, once: an inbound call, or an outbound one
    /// dialed in the desktop (a click-to-dial call is related to the clicked record already).
    pub(super) fn maybe_pop(&mut self, id: &str) {
        let Some(call) = self.state.calls.get(id) else { return };
        if call.pop != PopState::NotStarted || !call.is_ours() {
            return;
        }
        match call.direction {
            None => return,
            Some(Direction::Outbound) => {
                if self.config.outdial.search_manual_dials && call.related.is_none() {
                    self.pop_dialed(id);
                }
                return;
            }
            Some(Direction::Inbound) => {}
        }
        let sp = &self.config.screen_pop;
        let mut trace = PopTrace::new(id);
        let mut candidates: Vec<String> = Vec::new();
        let mut use_ani = true;
        if sp.search_by_cad {
            match values::cad(call, &sp.search_cad_variable).map(sanitize_search) {
                Some(Some(key)) => {
                    candidates.push(key);
                    trace.key_source = format!("cad:{}", sp.search_cad_variable);
                    use_ani = false;
                }
                Some(None) => {
                    trace.notes.push(format!("CAD variable `{}` has no searchable text", sp.search_cad_variable))
                }
                None => trace.notes.push(format!("CAD variable `{}` is missing on this call", sp.search_cad_variable)),
            }
            if use_ani && !sp.fallback_to_ani {
                trace.notes.push("falling back to the caller's number is off: no search".into());
                use_ani = false;
            } else if use_ani {
                trace.notes.push("searching by the caller's number instead".into());
            }
        }
        if use_ani {
            let stripped = values::stripped_ani(call, &self.config);
            if stripped != call.ani.expose().trim() {
                trace.notes.push(format!("prefix removed from the caller's number: {}", redact(call.ani.expose())));
            }
            candidates = phone_keys(&stripped);
        }
        self.start_search(id, candidates, trace);
    }

    /// An outbound call the agent dialed in the desktop: search by the dialed number, with the
    /// click-to-dial prefixes removed.
    fn pop_dialed(&mut self, id: &str) {
        let Some(call) = self.state.calls.get(id) else { return };
        let mut trace = PopTrace::new(id);
        trace.key_source = "dialed".into();
        trace.notes.push("an outbound call dialed in the desktop: searching by the dialed number".into());
        let digits = crate::phone::dial_digits(call.dnis.expose(), &self.config.outdial.dial_prefixes);
        self.start_search(id, phone_keys(&digits), trace);
    }

    fn start_search(&mut self, id: &str, candidates: Vec<String>, mut trace: PopTrace) {
        if candidates.is_empty() {
            trace.notes.push("nothing to search with".into());
            if let Some(c) = self.state.calls.get_mut(id) {
                c.pop = PopState::Done;
            }
            self.push_trace(trace);
            return;
        }
        self.pop_traces_in_progress.insert(id.to_string(), trace);
        self.send_search(id, candidates, 0);
    }

    /// `inbound` or `outbound`, as the call goes.
    fn call_type(&self, id: &str) -> CallType {
        match self.state.calls.get(id).and_then(|c| c.direction) {
            Some(Direction::Outbound) => CallType::Outbound,
            _ => CallType::Inbound,
        }
    }

    fn send_search(&mut self, id: &str, candidates: Vec<String>, index: usize) {
        let Some(search) = candidates.get(index).cloned() else { return };
        let defaults = self.no_match_fields(id, &mut Vec::new());
        if let Some(c) = self.state.calls.get_mut(id) {
            c.pop = PopState::Searching { candidates, index };
        }
        let call = OpenCtiCall::SearchAndScreenPop(SearchAndScreenPop {
            search_params: crate::pii::Pii::new(search),
            call_type: self.call_type(id),
            deferred: true,
            default_field_values: defaults,
            query_params: None,
        });
        self.call_salesforce(call, Purpose::Pop { interaction_id: id.to_string() });
    }

    /// The new-record form's prefilled fields for this call.
    fn no_match_fields(&self, id: &str, skipped: &mut Vec<String>) -> Map<String, serde_json::Value> {
        let Some(call) = self.state.calls.get(id) else { return Map::new() };
        let resolve = |name: &str| values::lookup(call, &self.config, &self.ctx, name);
        values::mapped_fields(
            &self.config.no_match.field_mappings,
            &self.config.no_match.conditional_rules,
            &resolve,
            skipped,
        )
    }

    pub(super) fn pop_result(&mut self, id: &str, response: &OpenCtiResponse) {
        let Some(call) = self.state.calls.get(id) else { return };
        let PopState::Searching { candidates, index } = call.pop.clone() else { return };
        let mut trace = self.pop_traces_in_progress.remove(id).unwrap_or_else(|| PopTrace::new(id));
        let search = candidates.get(index).cloned().unwrap_or_default();
        if !response.success {
            trace.tries.push(SearchTry { search: redact(&search), matches: 0 });
            trace.notes.push(format!("the search failed: {}", response.error_summary()));
            self.alert(
                Some(id),
                format!(
                    "Salesforce could not look up this caller ({}): search for them in Salesforce yourself.",
                    response.error_summary()
                ),
            );
            self.salesforce_error("search", response);
            self.finish_pop(id, trace);
            return;
        }
        let matches = salesforce::parse_search_results(&response.return_value);
        trace.tries.push(SearchTry { search: redact(&search), matches: matches.len() });
        if matches.is_empty() && index + 1 < candidates.len() {
            self.pop_traces_in_progress.insert(id.to_string(), trace);
            self.send_search(id, candidates, index + 1);
            return;
        }
        let pop = match matches.as_slice() {
            [one] => {
                let record = related(one);
                if let Some(c) = self.state.calls.get_mut(id) {
                    c.matched = Some(record);
                }
                trace.decision = PopDecision::Sobject;
                trace.record_id = Some(one.id.clone());
                trace.notes.push(format!("one {} matched", one.object_type));
                Some(OpenCtiCall::ScreenPop(ScreenPop::SObject { record_id: one.id.clone() }))
            }
            [] if self.config.no_match.open_new_record => {
                let mut skipped = Vec::new();
                let fields = self.no_match_fields(id, &mut skipped);
                trace.notes.extend(skipped);
                trace.decision = PopDecision::NewRecord;
                trace.notes.push(format!("no record matched: new {} form", self.config.no_match.object));
                Some(OpenCtiCall::ScreenPop(ScreenPop::NewRecord {
                    entity_name: self.config.no_match.object.clone(),
                    default_field_values: fields,
                }))
            }
            [] => {
                trace.decision = PopDecision::Layout;
                trace.notes.push("no record matched: the softphone layout's own no-match behaviour".into());
                let first = candidates.first().cloned().unwrap_or_default();
                Some(OpenCtiCall::SearchAndScreenPop(SearchAndScreenPop {
                    search_params: crate::pii::Pii::new(first),
                    call_type: self.call_type(id),
                    deferred: false,
                    default_field_values: self.no_match_fields(id, &mut Vec::new()),
                    query_params: None,
                }))
            }
            several if self.config.screen_pop.multiple_match == MultipleMatch::Pick => {
                trace.decision = PopDecision::Pick;
                let listed: Vec<Candidate> = several.iter().take(MAX_CANDIDATES).map(candidate).collect();
                trace.notes.push(if several.len() > listed.len() {
                    format!("{} records matched: the first {} listed to pick from", several.len(), listed.len())
                } else {
                    format!("{} records matched: listed to pick from", several.len())
                });
                if let Some(c) = self.state.calls.get_mut(id) {
                    c.candidates = listed;
                    c.adopt_known_pick();
                }
                None
            }
            several => {
                trace.decision = PopDecision::Search;
                trace.notes.push(format!("{} records matched: search results", several.len()));
                Some(OpenCtiCall::ScreenPop(ScreenPop::Search { search_string: crate::pii::Pii::new(search) }))
            }
        };
        if let Some(pop) = pop {
            self.call_salesforce(pop, Purpose::Navigation { interaction_id: id.to_string() });
        }
        self.finish_pop(id, trace);
        // A Task or Case waiting for the matched record can go now.
        self.pop_finished(id);
    }

    /// The agent picked `record_id` among the candidates of call `id`: open it and relate it to
    /// the call's Task (as a single match would be). Picking another later changes it.
    pub(super) fn pick(&mut self, id: &str, record_id: &str) {
        let Some(call) = self.state.calls.get_mut(id) else { return };
        let Some(picked) = call.candidates.iter().find(|c| c.record.id == record_id).map(|c| c.record.clone()) else {
            self.log(super::LogLevel::Warn, "a pick of a record that is not among the call's matches: ignored");
            return;
        };
        if call.matched.as_ref().is_some_and(|m| m.id == picked.id) {
            return;
        }
        call.matched = Some(picked.clone());
        if let Some(t) = self.traces.iter_mut().rev().find(|t| t.interaction_id == id) {
            t.record_id = Some(picked.id.clone());
            t.notes.push(format!("the agent picked {} {}", picked.object_type, picked.id));
        }
        let pop = OpenCtiCall::ScreenPop(ScreenPop::SObject { record_id: picked.id });
        self.call_salesforce(pop, Purpose::Navigation { interaction_id: id.to_string() });
        self.task_fields_changed(id);
    }

    fn finish_pop(&mut self, id: &str, trace: PopTrace) {
        if let Some(c) = self.state.calls.get_mut(id) {
            c.pop = PopState::Done;
        }
        self.push_trace(trace);
    }

    fn push_trace(&mut self, trace: PopTrace) {
        if self.traces.len() >= 20 {
            self.traces.remove(0);
        }
        self.traces.push(trace);
    }
}

/// The search values for a phone number: as given, E.164 digits, national digits (while nothing
/// matches), made safe for search; at most 3.
fn phone_keys(number: &str) -> Vec<String> {
    let mut keys: Vec<String> =
        crate::phone::search_candidates(number).iter().filter_map(|c| sanitize_search(c)).collect();
    keys.dedup();
    keys.truncate(3);
    keys
}

/// Most records listed to pick from: more is a search page's job.
const MAX_CANDIDATES: usize = 10;

/// A search result as a record a call can relate to.
fn related(found: &SearchMatch) -> RelatedRecord {
    let text = |name: &str| found.fields.get(name).and_then(|v| v.as_str()).map(str::trim).filter(|v| !v.is_empty());
    let name = Some(found.name.expose().trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            let parts: Vec<&str> = ["FirstName", "LastName"].iter().filter_map(|f| text(f)).collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
        .or_else(|| ["CaseNumber", "Subject"].iter().find_map(|f| text(f)).map(String::from));
    RelatedRecord {
        id: found.id.clone(),
        object_type: found.object_type.clone(),
        account_id: text("AccountId").map(String::from),
        name: name.map(Pii::new),
    }
}

/// A search result listed for the agent to pick: the record and a phone number to tell
/// namesakes apart (the first phone field the result carries).
fn candidate(found: &SearchMatch) -> Candidate {
    let phone = ["Phone", "MobilePhone", "HomePhone", "OtherPhone", "AssistantPhone"]
        .iter()
        .find_map(|f| found.fields.get(*f).and_then(|v| v.as_str()).map(str::trim).filter(|v| !v.is_empty()))
        .map(|p| Pii::new(p.to_string()));
    Candidate { record: related(found), phone }
}
