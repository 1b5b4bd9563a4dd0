use super::*;

#[test]
fn start_enables_click_to_dial_and_reports_ready() {
    let mut e = Engine::new(AdapterConfig::default(), AgentContext::default());
    e.handle(Input::Start, 0);
    let methods: Vec<&str> = e
        .drain_effects()
        .iter()
        .filter_map(|x| match x {
            Effect::OpenCti { call, .. } => Some(call.method_name()),
            _ => None,
        })
        .collect();
    assert_eq!(
        methods,
        vec!["enableClickToDial", "onClickToDial", "onNavigationChange", "notifyInitializationComplete"]
    );
}
