//! The in-memory Salesforce ([`FakeOrg`]) for the simulator's fake Lightning console, so the
//! browser and the native replay share one model of Salesforce behaviour. JSON text in and out:
//! the console forwards Open CTI wire messages as they are.

use crate::sim::FakeOrg;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = SimOrg)]
pub struct SimOrg {
    org: FakeOrg,
}

#[wasm_bindgen(js_class = SimOrg)]
impl SimOrg {
    /// An org from the scenario `org` JSON (`{records, users, omniStatuses}`); `""` for empty.
    #[wasm_bindgen(constructor)]
    pub fn new(org_json: &str) -> Result<SimOrg, JsError> {
        let value: serde_json::Value =
            if org_json.trim().is_empty() { serde_json::Value::Null } else { serde_json::from_str(org_json)? };
        let org = FakeOrg::from_json(&value).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(SimOrg { org })
    }

    /// Answers one Open CTI call: returns the `response` JSON `{success, returnValue, errors}`.
    pub fn call(&mut self, user: &str, method: &str, args_json: &str) -> String {
        let args = serde_json::from_str(args_json).unwrap_or(serde_json::Value::Null);
        self.org.call(user, method, &args).to_string()
    }

    /// Every record by type: `{"Case": [...], "Task": [...], ...}`.
    #[wasm_bindgen(js_name = recordsJson)]
    pub fn records_json(&self) -> String {
        self.org.to_json().to_string()
    }

    /// One record by Id, or `undefined`.
    #[wasm_bindgen(js_name = recordJson)]
    pub fn record_json(&self, id: &str) -> Option<String> {
        self.org.record(id).map(|r| r.to_string())
    }

    /// The next `times` calls of `method` fail with `code` (for demos of retries).
    #[wasm_bindgen(js_name = failNext)]
    pub fn fail_next(&mut self, method: &str, times: u32, code: &str) {
        self.org.fail_next(method, times, code);
    }

    /// The Salesforce user Id of an agent name in the org's `users`.
    #[wasm_bindgen(js_name = userId)]
    pub fn user_id(&self, agent: &str) -> Option<String> {
        self.org.user_id(agent).map(String::from)
    }

    #[wasm_bindgen(js_name = omniStatus)]
    pub fn omni_status(&self, user: &str) -> Option<String> {
        self.org.omni_status(user)
    }

    #[wasm_bindgen(js_name = setOmniStatus)]
    pub fn set_omni_status(&mut self, user: &str, status_id: &str) {
        self.org.set_omni_status(user, status_id);
    }

    #[wasm_bindgen(js_name = omniStatusesJson)]
    pub fn omni_statuses_json(&self) -> String {
        serde_json::Value::Array(self.org.omni_statuses().to_vec()).to_string()
    }

    #[wasm_bindgen(js_name = setCallCenterSettings)]
    pub fn set_call_center_settings(&mut self, settings_json: &str) {
        if let Ok(v) = serde_json::from_str(settings_json) {
            self.org.set_call_center_settings(v);
        }
    }
}
