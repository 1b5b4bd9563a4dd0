//! Names the desktop layout uses: roles, areas, keys, store modules, and our elements
//! (docs/contracts.md). Read from the vendor's layouts and `@wxcc-desktop/sdk-types`.

/// Our adapter element (headless area).
pub const ADAPTER_ELEMENT: &str = "wxcc-sfdc-adapter";
/// Our agent panel element ("Salesforce Actions" tab).
pub const ACTIONS_ELEMENT: &str = "wxcc-sfdc-actions";
/// The vendor connector's element; it is the connector when its attributes carry `crmLibPath`.
pub const VENDOR_ELEMENT: &str = "agentx-custom-desktop";
/// The attribute that marks the vendor connector's headless instance.
pub(crate) const VENDOR_MARKER: &str = "crmLibPath";
/// The attribute the vendor connector's panel instance carries.
pub(crate) const VENDOR_PANEL_MARKER: &str = "isSFDCWidgetEnabled";

/// The attributes our adapter reads (docs/contracts.md).
pub const ADAPTER_ATTRIBUTES: &[&str] =
    &["trustedOrigins", "outDialAni", "outdialEntryPointId", "agentId", "agentName", "debug"];

/// The roles of a `0.1.0` layout.
pub(crate) const ROLES: &[&str] = &["agent", "supervisor", "supervisorAgent"];
/// The role that never takes calls: `add` leaves it alone unless it already had the connector.
pub(crate) const NON_CALLING_ROLE: &str = "supervisor";

/// Version of each shape.
pub(crate) const SINGLE_ROLE_VERSION: &str = "0.0.6";
pub(crate) const ROLE_BASED_VERSION: &str = "0.1.0";
/// Every version of each shape found in the desktop's published layouts (Cisco's 0.0.2 layouts
/// are single-role; 0.1.1 is role-based).
pub(crate) const SINGLE_ROLE_VERSIONS: &[&str] = &["0.0.2", "0.0.6"];
pub(crate) const ROLE_BASED_VERSIONS: &[&str] = &["0.1.0", "0.1.1"];

/// The desktop's built-in components, written `#NAME` in `comp` (Cisco's 0.0.2 layouts): the
/// desktop puts its own IVR transcript, contact history, screen pop and journey views there.
pub(crate) const BUILT_IN_PLACEHOLDERS: &[&str] = &[
    "IVR_TRANSCRIPT",
    "IVR_TRANSCRIPT_TAB",
    "CONTACT_HISTORY",
    "CONTACT_HISTORY_TAB",
    "SCREEN_POP",
    "SCREEN_POP_TAB",
    "CUSTOMER_EXPERIENCE_JOURNEY",
    "CUSTOMER_EXPERIENCE_JOURNEY_TAB",
    "WXM_JOURNEY_TAB",
];

/// What a JSON value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Bool,
    Number,
    Object,
    Array,
}

impl Kind {
    pub(crate) fn matches(self, value: &serde_json::Value) -> bool {
        match self {
            Kind::String => value.is_string(),
            Kind::Bool => value.is_boolean(),
            Kind::Number => value.is_number(),
            Kind::Object => value.is_object(),
            Kind::Array => value.is_array(),
        }
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Bool => "true or false",
            Kind::Number => "a number",
            Kind::Object => "an object",
            Kind::Array => "an array",
        }
    }
}

/// Keys of a role (or of the whole file in the `0.0.6` shape), besides `area`.
pub(crate) const ROLE_KEYS: &[(&str, Kind)] = &[
    ("version", Kind::String),
    ("appTitle", Kind::String),
    ("logo", Kind::String),
    ("stopNavigateOnAcceptTask", Kind::Bool),
    ("dragDropEnabled", Kind::Bool),
    ("notificationTimer", Kind::Number),
    ("maximumNotificationCount", Kind::Number),
    ("browserNotificationTimer", Kind::Number),
    ("wxmConfigured", Kind::Bool),
    ("desktopChatApp", Kind::Object),
    ("area", Kind::Object),
];

/// Areas of a role.
pub(crate) const AREAS: &[&str] = &["header", "advancedHeader", "headless", "panel", "navigation", "homepage"];

/// Keys of a component (`{"comp": …}`).
pub(crate) const COMPONENT_KEYS: &[(&str, Kind)] = &[
    ("comp", Kind::String),
    ("script", Kind::String),
    ("attributes", Kind::Object),
    ("properties", Kind::Object),
    ("wrapper", Kind::Object),
    ("children", Kind::Array),
    ("textContent", Kind::String),
    ("visibility", Kind::String),
    ("width", Kind::Number),
    ("height", Kind::Number),
];

/// Keys of a component's `wrapper`.
pub(crate) const WRAPPER_KEYS: &[(&str, Kind)] =
    &[("title", Kind::String), ("id", Kind::String), ("maximizeAreaName", Kind::String)];

/// Keys of a page (`headless`, `header`, a navigation `page`).
pub(crate) const PAGE_KEYS: &[(&str, Kind)] = &[
    ("id", Kind::String),
    ("widgets", Kind::Object),
    ("layout", Kind::Object),
    ("pageHeader", Kind::Object),
    ("pageSubHeader", Kind::Object),
    ("useFlexLayout", Kind::Bool),
];

/// Keys of a navigation entry and of its `nav`.
pub(crate) const NAV_ENTRY_KEYS: &[(&str, Kind)] =
    &[("nav", Kind::Object), ("page", Kind::Object), ("visibility", Kind::String)];
pub(crate) const NAV_KEYS: &[(&str, Kind)] = &[
    ("label", Kind::String),
    ("icon", Kind::String),
    ("iconType", Kind::String),
    ("navigateTo", Kind::String),
    ("align", Kind::String),
    ("isResponsive", Kind::Bool),
];

/// The modules of the desktop store (`AgentXStore` in `@wxcc-desktop/sdk-types`).
pub(crate) const STORE_MODULES: &[&str] = &[
    "agent",
    "agentContact",
    "app",
    "auth",
    "dynamic",
    "layout",
    "routing",
    "session",
    "envVaribles",
    "generalNotifications",
    "browserNotifications",
    "shortcutKeys",
    "common",
    "alertBanner",
    "page",
    "navigation",
    "interactionControl",
    "feedback",
    "interactions",
    "agentPerformance",
    "coachingInsights",
    "evaluationManager",
    "selectedInteraction",
    "tasks",
    "aiSummary",
    "agentStore",
    "queueStatsStore",
    "scheduledCallback",
    "public",
    "topicAnalytics",
];

/// Data fields of `$STORE.agent` (`ModuleAgent` and the `UserStore` it extends). Only used to
/// catch near misses such as `outdialEp` for `outDialEp`: a name far from all of these is not
/// reported, since the store has more than the types show.
pub(crate) const AGENT_FIELDS: &[&str] = &[
    "agentId",
    "orgId",
    "teamId",
    "dnNumber",
    "teamName",
    "profileType",
    "enterpriseId",
    "agentName",
    "agentEmailId",
    "agentProfileID",
    "isOutboundEnabledForTenant",
    "isOutboundEnabledForAgent",
    "isAdhocDialingEnabled",
    "isAgentAvailableAfterOutdial",
    "isCampaignManagementEnabled",
    "siteId",
    "usesOtherDN",
    "isExtension",
    "isEndCallEnabled",
    "isEndConsultEnabled",
    "allowConsultToQueue",
    "teamUniqueId",
    "dialPlan",
    "outDialEp",
    "agentPhoto",
    "subStatus",
    "idleCodes",
    "agentDefaultIdleCode",
    "wrapUpData",
    "outDialAni",
    "selectedOutdialANI",
    "outdialAniList",
    "addressBook",
    "cadVariables",
    "userSelectedRole",
    "userRole",
    "role",
    "defaultDn",
    "extensionNumber",
    "managedTeams",
    "managedQueues",
    "selectedChannelList",
    "selectedTeamList",
    "selectedQueueList",
    "isManagedTeamLoading",
    "isManagedQueueLoading",
    "isManagedTeamsError",
    "isManagedQueuesError",
    "analyzerInteractionFilter",
    "analyzerQueueStatsFilter",
    "isAgentLoggedIn",
    "tenantTimezone",
    "webRtcStatus",
    "getOutdialRegex",
    "getOutDialAni",
    "getUserRole",
    "tpwConfigs",
    "imiConfigs",
];

/// The host (with its port) of an absolute URL.
pub(crate) fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

/// Whether a host (with or without its port) is this machine's loopback.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}
