//! Serde types for the WxCC Desktop SDK (`@wxcc-desktop/sdk` 2.0.15): contact events and their
//! interactions, the agent's state and idle codes, and the request objects for the SDK calls we
//! make. This module only reads and builds JSON; it never touches the browser bindings or
//! a clock, and it never panics on what the desktop sends (see `docs/desktop-sdk-shapes.md`).

mod agent;
mod events;
mod interaction;
pub(crate) mod lenient;
mod requests;

pub use agent::{find_idle_code, parse_idle_codes, AgentState, IdleCode, NameMatch, WrapUpCode, AVAILABLE_AUX_CODE_ID};
pub use events::{
    event_message, parse_event, parse_event_value, ContactEvent, ContactEventKind, DesktopError, EventData,
    EventPayload,
};
pub use interaction::{CadVariable, CallFlowParam, ContactDirection, Direction, Interaction, Media, Participant};
pub use requests::{outdial_request, state_change_request, update_cad_request, TargetState};
