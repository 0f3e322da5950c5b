package main

import (
	"math/rand/v2"
	"strings"
)

// Word pools for realistic help desk text: enough variety that full-text
// search has real work to do, drawn deterministically from a seed.
var (
	firstNames = strings.Fields("Ana Ben Chloé Dev Eitan Fatima Gustav Hana Ivan Jun Kofi Lena Mateo Nia Olga Priya Quentin Rosa Sami Tomás Uma Viktor Wen Yusuf Zoë Aarav Brigid Cem Dara Emeka Freya Giulia Hugo Ingrid Jonas Keiko Lars Maya Noor Oskar")
	lastNames  = strings.Fields("Almeida Brandt Chen Dubois Eriksen Fischer García Haddad Ito Jensen Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quinn Rossi Sato Tanaka Ueda Varga Weber Xu Yilmaz Zhang Novak Silva Murphy Khan")
	devices    = strings.Fields("laptop printer monitor keyboard mouse headset phone tablet scanner projector webcam dock router badge-reader desktop smartphone charger")
	apps       = strings.Fields("Outlook Teams VPN SAP Salesforce Excel Word SharePoint OneDrive Zoom Slack Jira Confluence Workday Citrix Chrome Firefox Acrobat Okta Zendesk")
	problems   = []string{"will not turn on", "keeps disconnecting", "is very slow", "freezes after a few minutes",
		"shows a blue screen", "cannot connect to the network", "asks for my password again and again", "stopped syncing",
		"prints blank pages", "makes a grinding noise", "crashes when I open attachments", "says my licence expired",
		"lost all my bookmarks", "will not accept my new password", "shows error 0x80070005", "is stuck on updating",
		"has a cracked screen", "drains the battery in an hour", "cannot find the shared drive", "locked my account"}
	places = []string{"on floor 3", "in meeting room Orion", "at reception", "in the warehouse", "in Building B",
		"at the Lisbon office", "from home", "in the training room", "on the night shift", "at the front desk"}
	feelings = []string{"This is urgent because I have a client call at noon.", "I have tried restarting twice already.",
		"Sorry to bother you again.", "My manager is asking when it will be fixed.", "It worked fine yesterday.",
		"Colleagues next to me have the same problem.", "I cannot finish the quarterly report without it.",
		"Please call me rather than email, my inbox is not working.", "No rush, whenever you have a moment.",
		"I am really frustrated, this is the third time this month."}
	replies = []string{"Thanks for the details. Could you send a screenshot of the error?",
		"I have reset your account; please try signing in again and let me know.",
		"A replacement is on its way and should arrive tomorrow morning.",
		"I can see the problem on our side and am working on it now.",
		"Could you tell me the asset tag on the back of the device?",
		"I have pushed an update to your machine; a restart will finish it.",
		"The supplier confirmed the part; I will keep you posted.",
		"I have escalated this to the network team with your notes."}
	notes = []string{"Checked the logs: repeated authentication failures since Monday.",
		"Probably the same driver issue as last week's batch.", "Asked facilities about the power in that room.",
		"Warranty still valid until next year.", "Needs a new licence from procurement.",
		"Same person reported a similar issue last month."}
	resolutions = []string{"Replaced the device and restored the data from backup.", "Reset the password and re-enrolled MFA.",
		"Reinstalled the application and cleared its cache.", "Reconnected the dock and updated the firmware.",
		"Granted access to the shared drive.", "Renewed the licence.", "Replaced the toner and cleaned the rollers."}
	holdReasons = []string{"Waiting for the supplier to ship the part", "Waiting for your screenshot",
		"The vendor says end of the month", "Waiting for approval from your manager", "Waiting for the licence order"}
)

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func subject(r *rand.Rand) string {
	thing := pick(r, devices)
	if r.IntN(2) == 0 {
		thing = pick(r, apps)
	}
	return "My " + thing + " " + pick(r, problems)
}

func body(r *rand.Rand) string {
	var b strings.Builder
	for i, n := 0, 2+r.IntN(3); i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch r.IntN(3) {
		case 0:
			b.WriteString("The " + pick(r, devices) + " " + pick(r, places) + " " + pick(r, problems) + ".")
		case 1:
			b.WriteString(pick(r, apps) + " " + pick(r, problems) + " since this morning.")
		default:
			b.WriteString(pick(r, feelings))
		}
	}
	return b.String()
}
