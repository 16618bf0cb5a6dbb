package engagement

// OrgSOC1 is the framework of the organisation's own SOC 1 control
// objectives, which a SOC 1 engagement reports on.
const OrgSOC1 = orgSOC1
