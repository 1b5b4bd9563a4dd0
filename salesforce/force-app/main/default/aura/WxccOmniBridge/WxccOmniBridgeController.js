({
    /** A message on WxccOmniSync__c: requests from the adapter; our own messages come back too. */
    onMessage: function (component, message, helper) {
        helper.handleMessage(component, message);
    },

    onLoginSuccess: function (component, event, helper) {
        helper.reportCurrentStatus(component, null);
    },

    onStatusChanged: function (component, event, helper) {
        helper.statusChanged(component, event.getParam("statusId"), event.getParam("statusName"));
    },

    onWorkAccepted: function (component, event, helper) {
        helper.publish(component, {
            type: "workAccepted",
            workId: event.getParam("workId"),
            workItemId: event.getParam("workItemId")
        });
    },

    onWorkClosed: function (component, event, helper) {
        helper.publish(component, {
            type: "workClosed",
            workId: event.getParam("workId"),
            workItemId: event.getParam("workItemId")
        });
    },

    onLogout: function (component, event, helper) {
        helper.loggedOut(component);
    }
});
