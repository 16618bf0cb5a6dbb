package demo

import "github.com/socmap/socmap/internal/period"

// person is a demo user.
type person struct {
	Email, Name, Role string
}

// people: the administrator, the compliance lead, eight control owners, an
// auditor and a viewer.
var people = []person{
	{"admin@larkspur.example", "Morgan Hale", "admin"},
	{"compliance@larkspur.example", "Aisha Okafor", "compliance"},
	{"it.security@larkspur.example", "Tomasz Nowak", "owner"},
	{"people.ops@larkspur.example", "Grace Whitfield", "owner"},
	{"engineering@larkspur.example", "Dev Raman", "owner"},
	{"payroll.ops@larkspur.example", "Siobhan Keane", "owner"},
	{"platform@larkspur.example", "Lukas Brandt", "owner"},
	{"finance@larkspur.example", "Harriet Cole", "owner"},
	{"support@larkspur.example", "Omar Haddad", "owner"},
	{"legal@larkspur.example", "Elena Rossi", "owner"},
	{"p.raman@hartwell-audit.example", "Priya Raman", "auditor"},
	{"board@larkspur.example", "James Whitlock", "viewer"},
}

// serviceAuditor is the audit firm's engagement manager, who tests the
// SOC 2 engagement.
var serviceAuditor = people[10]

// objectiveSpec is one of Larkspur's SOC 1 control objectives, adopted
// from a template of the built-in catalog and reworded for its service.
type objectiveSpec struct {
	Ref, Template, Title, Description string
}

// objectives is the set a payroll processor's SOC 1 report states: one
// organisation and administration objective, the payroll cycle from
// customer set-up to reporting, then one objective per IT general control
// domain. Physical and environmental security is Stratus Cloud's (carved
// out), and Larkspur built no new system in the period, so neither has an
// objective of its own.
var objectives = []objectiveSpec{
	{"CO-01", "ENT-ORG", "Organisation and administration",
		"Controls provide reasonable assurance that Larkspur's organisation, policies and oversight support the payroll services it provides: responsibilities are assigned, staff are screened for their roles, and risks, controls and Stratus Cloud are monitored."},
	{"CO-02", "BP-CLI-01", "Customer set-up and changes made as authorised",
		"Controls provide reasonable assurance that new customers' payroll set-up (pay groups, pay calendars, tax registrations and funding accounts), and later changes to it, are made completely and accurately as the signed order form and the customer's authorised contacts instruct."},
	{"CO-03", "BP-PAY-01", "Employee master data changes authorised",
		"Controls provide reasonable assurance that starters, leavers and changes to employees' pay rates, deductions and bank details are authorised by the customer and recorded accurately in the payroll engine."},
	{"CO-04", "BP-PAY-02", "Time and pay inputs complete and accurate",
		"Controls provide reasonable assurance that hours, overtime, bonuses and other pay inputs that customers submit in the portal or by file import are recorded completely and accurately in the correct pay period."},
	{"CO-05", "BP-PAY-03", "Payroll calculated accurately",
		"Controls provide reasonable assurance that gross pay, tax and social security withholdings, deductions and net pay are calculated accurately using current statutory tables and the rates the customer approved."},
	{"CO-06", "BP-PAY-06", "Payroll released only after client approval and funding",
		"Controls provide reasonable assurance that a payroll is released for payment only after the customer has approved it in the portal and its funding has been received in Larkspur's client money account."},
	{"CO-07", "BP-PAY-07", "Net pay disbursed accurately and on the pay date",
		"Controls provide reasonable assurance that net pay is paid to employees' authorised bank accounts accurately and on the pay date, and that returned and rejected payments are followed up."},
	{"CO-08", "BP-PAY-08", "Payroll taxes remitted and returns filed by their due dates",
		"Controls provide reasonable assurance that taxes and contributions withheld from employees and owed by customers are remitted to the tax authorities accurately and by their due dates, and that periodic returns are filed accurately and on time."},
	{"CO-09", "BP-PAY-09", "Year-end tax forms accurate and issued on time",
		"Controls provide reasonable assurance that employees' year-end tax forms and the annual returns are prepared from the year's payroll records, reconciled to them, and issued accurately and by the statutory deadlines."},
	{"CO-10", "BP-PAY-05", "Payroll reports complete, accurate and delivered to authorised recipients",
		"Controls provide reasonable assurance that payslips, payroll registers, journals and other reports provided to customers are complete and accurate and reach only the customer's authorised users, on time."},
	{"CO-11", "ITGC-LA", "Logical access",
		"Controls provide reasonable assurance that logical access to the payroll engine, the customer portal, the bank and tax gateways and the databases, operating systems and networks beneath them is restricted to authorised individuals whose duties require it."},
	{"CO-12", "ITGC-PC", "Program change",
		"Controls provide reasonable assurance that changes to the payroll engine, its tax and calculation rules and the infrastructure it runs on are authorised, tested, approved and implemented as approved."},
	{"CO-13", "ITGC-OPS", "Computer operations",
		"Controls provide reasonable assurance that scheduled payroll calculation, payment-file and filing jobs run completely and on time, and that failures and incidents are detected and resolved."},
	{"CO-14", "ITGC-DT", "Data transmission",
		"Controls provide reasonable assurance that payment files, tax filings and data exchanged with customers are transmitted completely, accurately and securely between Larkspur, its customers, the banks and the tax authorities."},
	{"CO-15", "ITGC-BR", "Backup and recovery",
		"Controls provide reasonable assurance that payroll data and programs are backed up and can be restored completely and accurately when needed."},
}

// controlSpec is one of Larkspur's controls. Owner indexes people.
type controlSpec struct {
	Ref, Title, Description string
	Owner                   int
	Frequency, Nature, Type string
	Key                     bool
	Systems                 string
	Requirements            []string
}

// soc2 and soc1 name requirements in the catalog and the organisation's objectives.
func soc2(refs ...string) []string  { return prefixed("soc2-tsc-2017/", refs) }
func soc1(refs ...string) []string  { return prefixed("org-soc1/", refs) }
func both(s2, s1 []string) []string { return append(s2, s1...) }

func prefixed(prefix string, refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = prefix + r
	}
	return out
}

const (
	annual, semiAnnual, quarterly, monthly = "annual", "semi-annual", "quarterly", "monthly"
	weekly, daily, continuous, eventDriven = "weekly", "daily", "continuous", "event-driven"
	manual, automated, itdm                = "manual", "automated", "it-dependent-manual"
	preventive, detective, corrective      = "preventive", "detective", "corrective"
)

var controls = []controlSpec{
	// Governance and risk
	{"GOV-01", "Code of conduct acknowledged by all staff", "New joiners and, each year, all staff acknowledge the code of conduct in the HR system; People Operations follows up missing acknowledgements.", 3, annual, itdm, preventive, true, "BambooLeaf HRIS", both(soc2("CC1.1"), soc1("CO-01"))},
	{"GOV-02", "Board reviews the security and compliance report", "The board's audit committee reviews the quarterly security, availability and compliance report and minutes its decisions.", 1, quarterly, manual, detective, true, "Board portal", both(soc2("CC1.2", "CC2.2"), soc1("CO-01"))},
	{"GOV-03", "Organisation chart and security roles kept current", "The compliance lead reviews the organisation chart and the RACI for security and payroll operations every six months.", 1, semiAnnual, manual, preventive, false, "Confluence", soc2("CC1.3")},
	{"GOV-04", "Security responsibilities in job descriptions and reviews", "Job descriptions state security responsibilities; annual performance reviews assess them.", 3, annual, manual, preventive, false, "BambooLeaf HRIS", soc2("CC1.4", "CC1.5")},
	{"GOV-05", "Information security policy approved and published", "The CISO reviews the information security policy set each year; the executive team approves it and it is published on the intranet.", 2, annual, manual, preventive, true, "Confluence", both(soc2("CC2.1", "CC5.3"), soc1("CO-01"))},
	{"GOV-06", "Customer commitments and system description published", "Product and legal keep the service description, terms and security commitments current on the customer portal.", 9, semiAnnual, manual, preventive, false, "Customer portal", soc2("CC2.3")},
	{"GOV-07", "Internal control monitoring reviewed quarterly", "The compliance lead reviews control operation, open findings and remediation plans with control owners each quarter.", 1, quarterly, manual, detective, true, "socmap", both(soc2("CC4.1", "CC4.2"), soc1("CO-01"))},
	{"RSK-01", "Annual risk assessment including fraud risk", "Management assesses risks to the services, including fraud and changes in the business, rates them and assigns treatments.", 1, annual, manual, detective, true, "Risk register", both(soc2("CC3.1", "CC3.2", "CC3.3", "CC3.4"), soc1("CO-01"))},
	{"RSK-02", "Risk register reviewed quarterly", "Risk owners update treatments and ratings; the compliance lead reports changes to the executive team.", 1, quarterly, manual, detective, false, "Risk register", both(soc2("CC3.2", "CC5.1"), soc1("CO-01"))},
	{"RSK-03", "Controls selected for each significant risk", "Each significant risk in the register is linked to the controls that address it; gaps get an owner and a date.", 1, annual, manual, preventive, false, "Risk register, socmap", soc2("CC5.1", "CC5.2")},
	// People
	{"HR-01", "Background checks before start", "People Operations completes identity, right-to-work and criminal record checks before a new joiner's first day.", 3, eventDriven, manual, preventive, true, "BambooLeaf HRIS", both(soc2("CC1.4"), soc1("CO-01"))},
	{"HR-02", "Leavers' access revoked within one business day", "On the HR termination ticket, IT disables the SSO account and removes access to production and the payroll console within one business day.", 3, eventDriven, itdm, preventive, true, "BambooLeaf HRIS, Okta-style SSO", both(soc2("CC6.2", "CC6.3"), soc1("CO-11"))},
	{"HR-03", "Security awareness training completed", "All staff complete security and privacy awareness training at joining and every year; completion is tracked to 100%.", 2, annual, itdm, preventive, false, "Learning platform", soc2("CC1.4", "CC2.2")},
	{"HR-04", "Disciplinary process for policy breaches", "Breaches of security policy are handled through the documented disciplinary process, recorded by People Operations.", 3, eventDriven, manual, corrective, false, "BambooLeaf HRIS", soc2("CC1.5")},
	{"HR-05", "Confidentiality agreements signed", "Employees and contractors sign confidentiality agreements before they receive access.", 9, eventDriven, manual, preventive, false, "Contract system", soc2("C1.1")},
	// Logical access
	{"AC-01", "Access requests approved by the system owner", "Access to production and the payroll console is requested in the service desk and approved by the system owner before IT grants it.", 2, eventDriven, itdm, preventive, true, "Service desk, Okta-style SSO", both(soc2("CC6.1", "CC6.2"), soc1("CO-11"))},
	{"AC-02", "Single sign-on with multi-factor authentication", "All staff sign in to business systems through SSO with phishing-resistant MFA; password sign-in is disabled.", 2, continuous, automated, preventive, true, "Okta-style SSO", both(soc2("CC6.1"), soc1("CO-11"))},
	{"AC-03", "Quarterly user access review", "System owners review every account and role in the payroll platform, AWS-style console and GitHub each quarter; removals are tracked to closure.", 2, quarterly, manual, detective, true, "Payroll console, GitHub, cloud console", both(soc2("CC6.2", "CC6.3"), soc1("CO-11"))},
	{"AC-04", "Customer portal enforces password and MFA settings", "The customer portal requires MFA for customer administrators and enforces password length and lockout.", 4, continuous, automated, preventive, false, "Customer portal", both(soc2("CC6.1", "CC6.6"), soc1("CO-10"))},
	{"AC-05", "Role-based access in the payroll console", "Console roles give least privilege; changes to role definitions go through change management.", 4, continuous, automated, preventive, false, "Payroll console", both(soc2("CC6.3"), soc1("CO-11"))},
	{"AC-06", "Service accounts inventoried and owned", "Every service account has an owner and purpose recorded; unused accounts are disabled monthly.", 6, monthly, manual, detective, false, "Secrets vault", both(soc2("CC6.1", "CC6.2"), soc1("CO-11"))},
	{"PA-01", "Production administrator access restricted", "Only the on-call platform group holds standing administrator roles; membership changes need the CTO's approval.", 6, continuous, automated, preventive, true, "Cloud console, Okta-style SSO", both(soc2("CC6.1", "CC6.3"), soc1("CO-11"))},
	{"PA-02", "Just-in-time elevation logged and reviewed", "Engineers elevate to production through the access broker for at most four hours; the security team reviews elevations weekly.", 2, weekly, itdm, detective, true, "Access broker, SIEM", both(soc2("CC6.1", "CC7.2"), soc1("CO-11"))},
	{"PA-03", "Database administrator activity reviewed", "Queries run with database administrator roles are logged; the security team reviews unusual activity monthly.", 2, monthly, itdm, detective, false, "PostgreSQL audit log, SIEM", both(soc2("CC7.2"), soc1("CO-11"))},
	// Network and infrastructure
	{"NET-01", "Firewall rules reviewed", "Security groups and network policies are reviewed against the approved baseline every six months.", 6, semiAnnual, manual, detective, false, "Cloud console", soc2("CC6.6")},
	{"NET-02", "Encryption in transit enforced", "Public endpoints accept only TLS 1.2 or later; internal traffic uses mutual TLS.", 6, continuous, automated, preventive, true, "Load balancers, service mesh", both(soc2("CC6.7"), soc1("CO-14"))},
	{"NET-03", "Encryption at rest with managed keys", "Databases, backups and object storage are encrypted with keys in the key management service; key access is restricted.", 6, continuous, automated, preventive, true, "Key management service", soc2("CC6.1", "C1.1")},
	{"NET-04", "Endpoint protection and disk encryption on laptops", "Managed laptops run endpoint protection and full-disk encryption; the MDM reports non-compliant devices daily.", 2, daily, automated, preventive, false, "MDM", soc2("CC6.8")},
	{"NET-05", "Malware and container image scanning", "Container images are scanned before deployment; critical findings block the release.", 4, continuous, automated, preventive, false, "CI pipeline", soc2("CC6.8", "CC7.1")},
	{"NET-07", "Devices and media wiped before disposal", "IT wipes returned laptops and storage media with a verified method, or has them destroyed with a certificate, before disposal.", 2, eventDriven, manual, preventive, false, "MDM, asset register", soc2("CC6.5")},
	{"NET-06", "Removable media and data export restricted", "MDM blocks removable storage; bulk exports from production need an approved ticket.", 2, continuous, automated, preventive, false, "MDM, access broker", soc2("CC6.7", "C1.1")},
	// Change management
	{"CM-01", "Change management policy", "The change policy defines standard, normal and emergency changes, approvals and testing; engineering reviews it annually.", 4, annual, manual, preventive, false, "Confluence", both(soc2("CC8.1"), soc1("CO-12"))},
	{"CM-02", "Production changes approved before deployment", "Every production change has a ticket with a reviewed pull request and approval by a second engineer before the pipeline deploys it.", 4, eventDriven, itdm, preventive, true, "GitHub, Jira, CI pipeline", both(soc2("CC8.1"), soc1("CO-12"))},
	{"CM-03", "Branch protection prevents unreviewed merges", "Branch protection on production repositories requires a review and passing tests; administrators cannot bypass it.", 4, continuous, automated, preventive, true, "GitHub", both(soc2("CC8.1"), soc1("CO-12"))},
	{"CM-04", "Payroll calculation changes regression-tested", "Changes to the pay and tax engine run the regression suite of reference payrolls; payroll operations signs off the results.", 5, eventDriven, itdm, preventive, true, "CI pipeline, test payrolls", both(soc2("CC8.1"), soc1("CO-05", "CO-12"))},
	{"CM-05", "Infrastructure as code reviewed", "Infrastructure changes are made through reviewed Terraform-style code; drift is reported daily.", 6, daily, automated, detective, false, "IaC pipeline", both(soc2("CC8.1", "CC7.1"), soc1("CO-12"))},
	{"CM-06", "Emergency changes reviewed after the fact", "Emergency changes are approved retrospectively within one business day and reviewed weekly by the change manager.", 4, weekly, manual, detective, false, "Jira", both(soc2("CC8.1"), soc1("CO-12"))},
	// Operations and monitoring
	{"OPS-01", "Vulnerability scanning and patching", "Infrastructure and dependencies are scanned weekly; critical findings are fixed within 14 days, high within 30.", 6, monthly, itdm, detective, true, "Scanner, Jira", soc2("CC7.1")},
	{"OPS-02", "Annual penetration test", "An independent firm tests the application and infrastructure each year; findings are tracked to closure.", 2, annual, manual, detective, true, "Pen test report, Jira", soc2("CC4.1", "CC7.1")},
	{"OPS-03", "Security alerts triaged", "The SIEM alerts the on-call security engineer; alerts are triaged within the documented times.", 2, continuous, automated, detective, true, "SIEM", soc2("CC7.2", "CC7.3")},
	{"OPS-04", "Payroll job failures alerted and resolved", "Failed payroll calculation and payment-file jobs page the on-call engineer and are tracked to resolution before cut-off.", 5, continuous, automated, detective, true, "Job scheduler, monitoring", both(soc2("CC7.2"), soc1("CO-13"))},
	{"OPS-05", "Monthly review of job failure trends", "Payroll operations reviews the month's job failures and their root causes with engineering.", 5, monthly, manual, detective, false, "Job scheduler", both(soc2("CC7.4"), soc1("CO-13"))},
	{"OPS-08", "Weekly job failure review with engineering", "Payroll operations and engineering review the week's job failures, their root causes and the fixes due, replacing the monthly review.", 5, weekly, manual, detective, false, "Job scheduler", both(soc2("CC7.4"), soc1("CO-13"))},
	{"OPS-06", "Capacity monitored and planned", "Platform reviews capacity dashboards monthly and ahead of year-end payroll peaks.", 6, monthly, manual, detective, false, "Monitoring", soc2("A1.1")},
	{"OPS-07", "Logging retained and protected", "Security and audit logs are shipped to the SIEM, retained for 13 months and protected from change.", 6, continuous, automated, detective, false, "SIEM", soc2("CC7.2")},
	// Incident response
	{"IR-01", "Incident response plan tested", "The incident response plan is exercised each year with a tabletop scenario; lessons learned update the plan.", 2, annual, manual, corrective, true, "Confluence", soc2("CC7.3", "CC7.4", "CC7.5")},
	{"IR-02", "Security incidents recorded and resolved", "Security incidents are recorded, classified, contained and closed with a post-incident review.", 2, eventDriven, manual, corrective, true, "Incident tracker", both(soc2("CC7.3", "CC7.4"), soc1("CO-13"))},
	{"IR-03", "Customers notified of incidents affecting them", "Legal and support notify affected customers within the contractual times.", 9, eventDriven, manual, corrective, false, "Incident tracker, customer portal", soc2("CC2.3", "CC7.4")},
	{"IR-04", "Status page and customer communication", "Support publishes service incidents and maintenance on the status page.", 8, eventDriven, manual, corrective, false, "Status page", soc2("CC2.3", "A1.1")},
	// Backup and availability
	{"BCP-01", "Daily database backups", "Databases are backed up daily with point-in-time recovery to a second region; failures alert the on-call engineer.", 6, daily, automated, preventive, true, "Managed PostgreSQL", both(soc2("A1.2"), soc1("CO-15"))},
	{"BCP-02", "Backups monitored", "Platform checks the backup dashboard each month and investigates any failed or missing backup.", 6, monthly, manual, detective, false, "Managed PostgreSQL, monitoring", both(soc2("A1.2"), soc1("CO-15"))},
	{"BCP-03", "Quarterly backup restore test", "Platform restores a production backup to an isolated environment each quarter and checks payroll totals reconcile.", 6, quarterly, manual, detective, true, "Managed PostgreSQL", both(soc2("A1.3"), soc1("CO-15"))},
	{"BCP-04", "Business continuity plan tested", "The business continuity and disaster recovery plan is tested annually, including failover to the second region.", 1, annual, manual, corrective, true, "Confluence", soc2("A1.3", "CC9.1")},
	{"BCP-05", "Multi-zone deployment and health checks", "Services run in three availability zones with health checks and automatic replacement of failed instances.", 6, continuous, automated, preventive, false, "Cloud console", soc2("A1.2")},
	{"BCP-06", "Availability measured against commitments", "Support reports monthly uptime against the 99.9% commitment and explains any shortfall.", 8, monthly, manual, detective, false, "Monitoring, status page", soc2("A1.1")},
	{"BCP-07", "Insurance cover reviewed", "Finance reviews cyber and business interruption insurance cover each year.", 7, annual, manual, corrective, false, "Insurance schedule", soc2("CC9.1")},
	// Vendors
	{"VEN-01", "Vendor security due diligence", "New vendors that handle customer data complete a security questionnaire and contract review before onboarding.", 9, eventDriven, manual, preventive, false, "Vendor register", both(soc2("CC9.2"), soc1("CO-01"))},
	{"VEN-02", "Annual review of Stratus Cloud's SOC 2 report", "Compliance reviews Stratus Cloud's SOC 2 Type II report, its exceptions and the complementary controls it expects of Larkspur.", 1, annual, manual, detective, true, "Vendor register", both(soc2("CC9.2", "CC4.1", "CC6.4"), soc1("CO-01"))},
	{"VEN-03", "Vendor register reviewed", "The vendor register, data flows and contract terms are reviewed every quarter.", 9, quarterly, manual, detective, false, "Vendor register", both(soc2("CC9.2"), soc1("CO-01"))},
	// Confidentiality and data
	{"CONF-01", "Data classification policy", "Data is classified; customer payroll data is confidential and handled under the data handling standard.", 9, annual, manual, preventive, false, "Confluence", soc2("C1.1")},
	{"CONF-02", "Customer data deleted after contract end", "Customer data is deleted within 90 days of contract end on a ticketed, verified procedure.", 5, eventDriven, itdm, corrective, true, "Payroll console, Jira", soc2("C1.2")},
	{"CONF-03", "Retention schedule applied", "Records past their retention period are identified and purged each quarter.", 9, quarterly, itdm, corrective, false, "Payroll database", soc2("C1.2")},
	{"CONF-04", "Production data not used in testing", "Test environments use synthetic payrolls; copying production data needs the DPO's written approval.", 4, quarterly, manual, preventive, false, "Test environments", soc2("C1.1")},
	// Payroll processing (SOC 1)
	{"PAY-01", "Employee master data changes authorised", "Customer administrators submit master data changes through the portal; changes to bank details need a second approver.", 5, continuous, automated, preventive, true, "Customer portal, payroll engine", both(soc2("CC6.1"), soc1("CO-03"))},
	{"PAY-02", "Master data change report reviewed", "Payroll operations reviews the report of bank detail changes before each payroll run for unusual patterns.", 5, weekly, itdm, detective, true, "Payroll engine", soc1("CO-03")},
	{"PAY-03", "Tax tables updated and verified", "Statutory tax and contribution tables are updated for each legislative change and verified against published examples.", 5, eventDriven, manual, preventive, true, "Payroll engine", soc1("CO-05", "CO-12")},
	{"PAY-04", "Payroll run reconciled and approved before release", "Gross-to-net totals are reconciled to the prior run and inputs; a second analyst approves before payment files are released.", 5, eventDriven, itdm, detective, true, "Payroll engine, bank gateway", soc1("CO-05", "CO-06")},
	{"PAY-05", "Payment files transmitted securely", "Payment files go to the bank gateway over an authenticated, encrypted channel; acknowledgements are matched.", 6, continuous, automated, preventive, true, "Bank gateway", both(soc2("CC6.7"), soc1("CO-07", "CO-14"))},
	{"PAY-06", "Tax filings submitted and acknowledged", "Filings are submitted to the tax authorities by the statutory dates; acknowledgements are checked daily.", 5, daily, itdm, detective, true, "Payroll engine, tax gateway", soc1("CO-08", "CO-09")},
	{"PAY-07", "Monthly reconciliation of client funds", "Finance reconciles client funding received to salary and tax payments made each month.", 7, monthly, manual, detective, true, "Bank statements, ledger", soc1("CO-07", "CO-08")},
	{"PAY-08", "Payroll calculation exceptions reviewed", "The engine flags calculations outside tolerance; payroll analysts resolve each flag before approval.", 5, eventDriven, itdm, detective, false, "Payroll engine", soc1("CO-05")},
	{"PAY-09", "Year-end payroll procedures", "Year-end summaries and statutory forms are produced, checked against annual totals and released to customers.", 5, annual, manual, detective, false, "Payroll engine", soc1("CO-09")},
	{"PAY-10", "Customer input cut-off monitored", "Support chases customers with missing inputs ahead of cut-off and records late submissions.", 8, monthly, manual, detective, false, "Customer portal", soc1("CO-04")},
	{"PAY-11", "Payroll operations key metrics reviewed", "The head of payroll operations reviews accuracy, timeliness and complaint metrics with the executive team.", 5, monthly, manual, detective, false, "Dashboards", both(soc2("CC4.1"), soc1("CO-01"))},
	{"CLI-01", "New customer set-up checked against the order form", "Implementation configures pay groups, pay calendars, tax registrations and the funding account from the signed order form; a second consultant checks the set-up against it before the first live payroll.", 8, eventDriven, manual, preventive, true, "Payroll engine, CRM", soc1("CO-02")},
	{"CLI-02", "Customer set-up changes made only for authorised contacts", "Changes to a customer's pay calendars, tax registrations or funding account are made only on a ticket from one of the customer's authorised contacts, and a second analyst checks them against the ticket.", 8, eventDriven, itdm, preventive, true, "Help desk, payroll engine", soc1("CO-02")},
	{"PAY-12", "Imported pay input files validated", "Imported time and pay files are checked for format, control totals and unknown employees; rejected records go back to the customer and are tracked until resubmitted.", 4, continuous, automated, detective, true, "Customer portal, payroll engine", soc1("CO-04")},
	{"PAY-13", "Payroll released only after customer approval and funding", "The bank gateway releases a payroll's payment files only when the portal records the customer's approval and finance has matched the funding received to the payroll's total; a payroll lacking either is held.", 7, continuous, automated, preventive, true, "Customer portal, bank gateway, ledger", soc1("CO-06")},
	{"PAY-14", "Returned and rejected payments followed up", "Finance matches each day's returned and rejected salary payments to employees and reissues or refunds them on the customer's instruction within two business days.", 7, daily, itdm, corrective, false, "Bank gateway, ledger", soc1("CO-07")},
	{"PAY-15", "Tax remittances reconciled to withholdings", "Each month finance agrees the taxes and contributions remitted for each customer to the amounts withheld and owed in the payroll registers, and clears differences before the next due date.", 7, monthly, manual, detective, true, "Ledger, tax gateway", soc1("CO-08")},
	{"PAY-16", "Payroll reports reconciled before publication", "Before payslips and the payroll register are published to the portal, the reporting job agrees their totals to the approved payroll; a mismatch stops publication and alerts payroll operations.", 5, continuous, automated, detective, true, "Payroll engine, customer portal", soc1("CO-10")},
	// Finance and support
	{"FIN-01", "Segregation of duties in payments", "No one can both prepare and approve a payment release; the bank gateway enforces dual control.", 7, continuous, automated, preventive, true, "Bank gateway", soc1("CO-06")},
	{"FIN-02", "Quarterly review of bank gateway users", "Finance reviews bank gateway users and their limits each quarter.", 7, quarterly, manual, detective, true, "Bank gateway", both(soc2("CC6.2"), soc1("CO-11"))},
	{"FIN-03", "Refunds and corrections approved", "Corrections to paid salaries are approved by the customer and a finance manager before payment.", 7, eventDriven, manual, preventive, false, "Ledger", soc1("CO-07")},
	{"SUP-01", "Customer complaints logged and resolved", "Support logs customer complaints about payroll accuracy and tracks them to resolution; trends go to the monthly review.", 8, eventDriven, manual, corrective, false, "Help desk", both(soc2("CC2.3"), soc1("CO-10"))},
	{"SUP-02", "Customer support access to data controlled", "Support agents see customer payroll data only in a time-limited session the customer grants.", 8, continuous, automated, preventive, false, "Payroll console", both(soc2("CC6.3", "C1.1"), soc1("CO-11"))},
	{"SUP-03", "Quarterly review of support tooling access", "Support leadership reviews help desk and console support roles each quarter.", 8, quarterly, manual, detective, false, "Help desk, payroll console", soc2("CC6.2")},
	{"SUP-04", "Contractual commitments tracked", "Legal keeps the register of customer security and confidentiality commitments and checks new contracts against it.", 9, quarterly, manual, preventive, false, "Contract system", soc2("C1.1", "CC2.3")},
	{"GOV-08", "Whistleblowing channel available and monitored", "An independent channel lets staff raise concerns anonymously; the audit committee chair receives reports.", 9, quarterly, manual, detective, false, "Whistleblowing service", soc2("CC1.1", "CC2.2")},
	{"GOV-09", "Management review of control deficiencies", "Deficiencies from audits and monitoring get an owner, a plan and a date; management reviews progress quarterly.", 1, quarterly, manual, corrective, true, "socmap, Jira", both(soc2("CC4.2", "CC5.3"), soc1("CO-01"))},
	{"RSK-04", "Change in business assessed for risk", "Acquisitions, new markets and major product changes get a documented risk assessment before launch.", 1, eventDriven, manual, preventive, false, "Risk register", soc2("CC3.4", "CC9.1")},
}

// complementarySpec is a complementary control with the criteria and the
// objectives it supports, so each report lists it under its own
// requirements.
type complementarySpec struct {
	Text       string
	SOC2, SOC1 []string
}

// cuecs are the complementary user entity controls Larkspur's customers must operate.
var cuecs = []complementarySpec{
	{"Customers approve payroll inputs (hours, starters, leavers, pay changes) in the portal before the published cut-off.",
		nil, soc1("CO-03", "CO-04")},
	{"Customers manage their own administrators' access to the customer portal and remove it promptly when they leave.",
		soc2("CC6.2"), soc1("CO-10", "CO-11")},
	{"Customers review the payroll register and exception report before approving each payroll run.",
		nil, soc1("CO-05", "CO-06")},
	{"Customers notify Larkspur in writing of changes to authorised signatories and bank account details.",
		nil, soc1("CO-02", "CO-03")},
	{"Customers fund each payroll by the funding deadline so that net pay and taxes can be paid on time.",
		nil, soc1("CO-06", "CO-07", "CO-08")},
}

// csocs are the controls Larkspur expects of Stratus Cloud, the carved-out
// subservice organisation.
var csocs = []complementarySpec{
	{"Physical access to the data centres is restricted to authorised personnel and reviewed.",
		soc2("CC6.4"), soc1("CO-11")},
	{"Environmental protections (power, cooling, fire suppression) are maintained and monitored.",
		soc2("A1.2"), soc1("CO-13", "CO-15")},
	{"Storage media are sanitised or destroyed before disposal.",
		soc2("CC6.5"), soc1("CO-11")},
	{"Managed database snapshots are replicated to a second region and retained as configured.",
		soc2("A1.2"), soc1("CO-15")},
}

// operation is when a demo control runs beyond its frequency: the demo
// shows a control implemented in the period, one retired in it with its
// replacement, schedules, and a daily control that runs on business days.
type operation struct {
	implementedMonthsAgo int    // from the first of that month (0: two years ago)
	retiredMonthsAgo     int    // on the last day before that month's first (0: not retired)
	replacedBy           string // ref
	calendar             string
	schedule             *period.Schedule
}

var operations = map[string]operation{
	"OPS-05": {retiredMonthsAgo: 2, replacedBy: "OPS-08"},
	"OPS-08": {implementedMonthsAgo: 2},
	"PAY-14": {calendar: "business-days"},
	"PAY-07": {schedule: &period.Schedule{BusinessDay: 5}},
	"GOV-02": {schedule: &period.Schedule{Months: []int{1, 4, 7, 10}}},
}

// soc1Tests are the auditors' planned tests of the payroll controls in
// the SOC 1 engagement, as Section IV of the report will state them; the
// other controls in its scope get a test by their nature (plannedTest).
var soc1Tests = map[string]string{
	"CLI-01": "For a sample of customers set up in the period, agreed the pay groups, pay calendars, tax registrations and funding account in the payroll engine to the signed order form, and inspected the second consultant's sign-off before the first live payroll.",
	"CLI-02": "For a sample of changes to customers' set-up, inspected the ticket for a request from an authorised contact on the customer's contact list and the second analyst's check against it.",
	"PAY-01": "Observed a customer administrator's change to an employee's bank details being held until a second approver accepted it, and inspected the portal's approval configuration.",
	"PAY-02": "For a sample of payroll runs, inspected the bank detail change report with the analyst's review and the follow-up of the changes flagged.",
	"PAY-03": "For a sample of legislative changes in the period, inspected the updated tax and contribution tables and the verification against the published examples before the first payroll they applied to.",
	"PAY-04": "For a sample of payroll runs, reperformed the gross-to-net reconciliation to the prior run and the approved inputs, and inspected the second analyst's approval dated before the payment files were released.",
	"PAY-05": "Inspected the bank gateway's channel configuration (mutual authentication, encryption) and, for a sample of payment files, the bank's acknowledgement matched to the file sent.",
	"PAY-06": "For a sample of tax filings, agreed the submission date to the statutory due date and inspected the tax authority's acknowledgement.",
	"PAY-07": "For a sample of months, reperformed finance's reconciliation of client funding received to the salary and tax payments made, and inspected the clearance of reconciling items.",
	"PAY-08": "For a sample of payroll runs, inspected the calculation exception report and each flag's resolution before the run's approval.",
	"PAY-09": "Inspected the year-end procedures for the last tax year: the reconciliation of the year-end forms to the annual payroll totals and their release to customers by the statutory deadline.",
	"PAY-10": "For a sample of pay periods, inspected the cut-off monitoring log and the follow-up of customers whose inputs were missing.",
	"PAY-11": "For a sample of months, inspected the payroll operations metrics pack and the minutes of its review with the executive team.",
	"PAY-12": "Observed the import of a test pay file with a wrong control total and an unknown employee being rejected, and inspected the tracking of rejected records to resubmission for a sample of imports.",
	"PAY-13": "Observed a payroll without a funding match being held by the bank gateway, and for a sample of payroll runs inspected the customer's portal approval and the funding receipt dated before the payment files were released.",
	"PAY-14": "For a sample of days, inspected the matching of returned and rejected salary payments and their reissue or refund on the customer's instruction within two business days.",
	"PAY-15": "For a sample of months and customers, reperformed the agreement of taxes and contributions remitted to the amounts withheld and owed in the payroll registers.",
	"PAY-16": "Observed the reporting job stop the publication of a payroll register whose totals did not agree to the approved payroll, and inspected its configuration.",
	"FIN-01": "Inspected the bank gateway's dual-control configuration and attempted to release a payment with one user, which the gateway refused.",
	"FIN-03": "For a sample of corrections to paid salaries, inspected the customer's approval and the finance manager's approval dated before the payment.",
}
