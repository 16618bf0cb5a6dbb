package tasks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/socmap/socmap/internal/apperr"
	"github.com/socmap/socmap/internal/store/storetest"
)

func TestCalendarFeedIsValidICalendar(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	p.tasks.settings.PublicURL = "https://socmap.example.com/"
	c := p.control("AC-03", "monthly")
	p.engagement("2026-01-01", "2026-06-30", c.ID)
	title := `Auditor follow-up; "why", ümlauts \ and a long line ` + strings.Repeat("ß", 60)
	due := "2026-03-20"
	if _, err := p.tasks.CreateAdhoc(p.ctx, p.admin.User.ID, AdhocInput{Title: &title, OwnerID: &p.owner.ID, DueOn: &due}); err != nil {
		t.Fatal(err)
	}
	p.refresh()
	token, err := p.tasks.NewFeed(p.ctx, p.owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.tasks.WriteCalendar(p.ctx, &buf, token); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line %d is %d octets: %q", i+1, len(line), line)
		}
	}
	cal, err := ical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	for _, prop := range []string{ical.PropVersion, ical.PropProductID} {
		if cal.Props.Get(prop) == nil {
			t.Errorf("calendar lacks %s", prop)
		}
	}
	events := cal.Events()
	if len(events) != 7 { // six monthly windows and the ad-hoc task
		t.Fatalf("%d events, want 7", len(events))
	}
	uids := map[string]bool{}
	var adhoc *ical.Event
	for i, e := range events {
		uid, err := e.Props.Text(ical.PropUID)
		if err != nil || uid == "" || uids[uid] {
			t.Errorf("event %d: UID %q (%v)", i, uid, err)
		}
		uids[uid] = true
		if _, err := e.DateTimeStart(time.UTC); err != nil {
			t.Errorf("event %d: DTSTART: %v", i, err)
		}
		if stamp := e.Props.Get(ical.PropDateTimeStamp); stamp == nil || !strings.HasSuffix(stamp.Value, "Z") {
			t.Errorf("event %d: DTSTAMP %+v", i, stamp)
		}
		if s, _ := e.Props.Text(ical.PropSummary); strings.HasPrefix(s, "Auditor") {
			adhoc = &events[i]
		}
	}
	if adhoc == nil {
		t.Fatal("the ad-hoc task is missing")
	}
	if s, _ := adhoc.Props.Text(ical.PropSummary); s != title {
		t.Errorf("summary does not round-trip:\n got %q\nwant %q", s, title)
	}
	if start, _ := adhoc.DateTimeStart(time.UTC); start.Format(time.DateOnly) != due {
		t.Errorf("the event is on %s, want the due date %s", start, due)
	}
	if d, _ := adhoc.Props.Text(ical.PropDescription); !strings.Contains(d, "https://socmap.example.com/tasks") {
		t.Errorf("description lacks the link: %q", d)
	}
	// A new token revokes the old one; revoking ends the feed.
	newer, err := p.tasks.NewFeed(p.ctx, p.owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.tasks.WriteCalendar(p.ctx, &bytes.Buffer{}, token); !isNotFound(err) {
		t.Errorf("the replaced token still works: %v", err)
	}
	if err := p.tasks.RevokeFeed(p.ctx, p.owner.ID); err != nil {
		t.Fatal(err)
	}
	if err := p.tasks.WriteCalendar(p.ctx, &bytes.Buffer{}, newer); !isNotFound(err) {
		t.Errorf("the revoked token still works: %v", err)
	}
}

// A feed with no open tasks is still a calendar, so subscribers clear the
// events of tasks that are done.
func TestEmptyCalendarFeed(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	idle := p.user("idle@example.com", "owner")
	token, err := p.tasks.NewFeed(p.ctx, idle.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.tasks.WriteCalendar(p.ctx, &buf, token); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(buf.String(), "END:VCALENDAR\r\n") {
		t.Errorf("not a calendar: %q", buf.String())
	}
	cal, err := ical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatalf("the empty feed does not parse: %v", err)
	}
	name, err := cal.Props.Text("X-WR-CALNAME")
	if err != nil || name != "socmap tasks: idle@example.com" || len(cal.Events()) != 0 || cal.Props.Get(ical.PropVersion) == nil {
		t.Errorf("empty feed: name %q (%v), %d events, %v", name, err, len(cal.Events()), cal.Props)
	}
}

func isNotFound(err error) bool {
	var e *apperr.Error
	return errors.As(err, &e) && e.Kind == apperr.KindNotFound
}

// countingMailer records what it sends; failing makes it refuse.
type countingMailer struct {
	mu      sync.Mutex
	sent    map[string]int
	failing bool
}

func (m *countingMailer) Send(_ context.Context, to, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failing {
		return errors.New("550 mailbox unavailable")
	}
	if m.sent == nil {
		m.sent = map[string]int{}
	}
	m.sent[to]++
	return nil
}

func TestOneDigestPerOwnerPerPeriodWithTwoSchedulers(t *testing.T) {
	for _, target := range storetest.Targets(t) {
		t.Run(target.Name, func(t *testing.T) {
			p := newProgram(t, target)
			second := p.user("second@example.com", "owner")
			c := p.control("AC-03", "monthly")
			d := p.control("AC-04", "quarterly")
			if _, err := p.controls.Update(p.ctx, d.ID, controlsOwner(second.ID)); err != nil {
				t.Fatal(err)
			}
			p.engagement("2026-01-01", "2026-06-30", c.ID, d.ID)
			p.refresh()
			// Two instances share the database and the mail server.
			other := NewService(p.db, p.engagements, DefaultSettings())
			other.SetClock(p.tasks.now)
			mailer := &countingMailer{}
			var wg sync.WaitGroup
			for _, svc := range []*Service{p.tasks, other, p.tasks, other} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := svc.SendDigests(p.ctx, "2026-03-15", mailer); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if mailer.sent["owner@example.com"] != 1 || mailer.sent["second@example.com"] != 1 || len(mailer.sent) != 2 {
				t.Errorf("sent %v, want one each", mailer.sent)
			}
			// The next period sends again.
			if n, err := other.SendDigests(p.ctx, "2026-03-16", mailer); err != nil || n != 2 {
				t.Errorf("next day: %d digests, %v", n, err)
			}
			out, total, err := p.tasks.Outbox(p.ctx, 10, 0)
			if err != nil || total != 4 || out[0].Status != "sent" || out[0].SentAt == nil {
				t.Fatalf("outbox %d %+v %v", total, out, err)
			}
			for _, d := range out {
				body := p.digestBody(t, d)
				if d.Recipient == "owner@example.com" && (!strings.Contains(body, "Upload evidence for AC-03, January 2026") ||
					!strings.Contains(d.Subject, "2 overdue and 1 due")) {
					t.Errorf("digest: %s\n%s", d.Subject, body)
				}
			}
		})
	}
}

func TestDigestsWithoutMailServerStayInTheOutbox(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	c := p.control("AC-03", "monthly")
	p.engagement("2026-01-01", "2026-06-30", c.ID)
	p.refresh()
	if n, err := p.tasks.SendDigests(p.ctx, "2026-W11", nil); err != nil || n != 1 {
		t.Fatalf("%d %v", n, err)
	}
	out, _, err := p.tasks.Outbox(p.ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Status != "outbox" || out[0].Recipient != "owner@example.com" {
		t.Errorf("outbox: %+v", out)
	}
	// A refused message is retried, up to a limit.
	mailer := &countingMailer{failing: true}
	if _, err := p.tasks.SendDigests(p.ctx, "2026-W12", mailer); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := p.tasks.RetryFailed(p.ctx, mailer); err != nil {
			t.Fatal(err)
		}
	}
	if out, _, err = p.tasks.Outbox(p.ctx, 10, 0); err != nil {
		t.Fatal(err)
	}
	if out[0].Status != "failed" || out[0].Attempts != maxAttempts || !strings.Contains(out[0].Error, "550") {
		t.Errorf("failed digest: %+v", out[0])
	}
}

func TestDigestSchedule(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		cadence, now, want string
	}{
		{"daily", "2026-03-16T06:59:00Z", ""},           // 07:59 in Berlin
		{"daily", "2026-03-16T07:00:00Z", "2026-03-16"}, // 08:00
		{"daily", "2026-03-16T23:30:00Z", ""},           // 00:30 on the 17th in Berlin: not yet 08:00
		{"weekdays", "2026-03-21T09:00:00Z", ""},        // Saturday
		{"weekdays", "2026-03-20T09:00:00Z", "2026-03-20"},
		{"weekly", "2026-03-18T09:00:00Z", "2026-W12"},
		{"off", "2026-03-16T09:00:00Z", ""},
	} {
		sch := Schedule{Cadence: tt.cadence, At: 8 * time.Hour}
		if got := sch.Period(at(tt.now), berlin); got != tt.want {
			t.Errorf("%s at %s: %q, want %q", tt.cadence, tt.now, got, tt.want)
		}
	}
}

func TestSMTPDelivery(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	received := make(chan string, 1)
	go fakeSMTP(ln, received)
	addr := ln.Addr().(*net.TCPAddr)
	m := SMTP{Host: "127.0.0.1", Port: addr.Port, From: "socmap@example.com", Timeout: 5 * time.Second}
	if err := m.Send(context.Background(), "owner@example.com", "socmap: 1 overdue — ünd", "Line one\nLine two"); err != nil {
		t.Fatal(err)
	}
	msg := <-received
	for _, want := range []string{"MAIL FROM:<socmap@example.com>", "RCPT TO:<owner@example.com>",
		"Subject: =?utf-8?q?", "Content-Type: text/plain; charset=utf-8", "Line one\r\nLine two"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	go fakeSMTP(ln, received)
	m.StartTLS = true
	if err := m.Send(context.Background(), "owner@example.com", "s", "b"); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("a server without STARTTLS was used anyway: %v", err)
	}
	if err := m.Send(context.Background(), "a@example.com\r\nBcc: x@example.com", "s", "b"); err == nil {
		t.Error("an address with a line break was used")
	}
}

// fakeSMTP answers one SMTP session and reports what the client said.
func fakeSMTP(ln net.Listener, received chan<- string) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	var log strings.Builder
	say := func(s string) { _, _ = conn.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		log.WriteString(line)
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case inData && cmd == ".":
			inData = false
			say("250 queued")
		case inData:
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-fake\r\n250 8BITMIME")
		case cmd == "DATA":
			inData = true
			say("354 go ahead")
		case cmd == "QUIT":
			say("221 bye")
			received <- log.String()
			return
		default:
			say("250 ok")
		}
	}
}

func TestSchedulerRefreshesAndSendsOnStart(t *testing.T) {
	p := newProgram(t, storetest.Targets(t)[0])
	c := p.control("AC-03", "monthly")
	p.engagement("2026-01-01", "2026-06-30", c.ID) // no refresh here: the scheduler does it
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.tasks.Run(ctx, Schedule{Cadence: "daily", At: 8 * time.Hour}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(10 * time.Second)
	var out []DigestSummary
	for time.Now().Before(deadline) {
		var err error
		if out, _, err = p.tasks.Outbox(p.ctx, 10, 0); err != nil {
			t.Fatal(err)
		}
		if len(out) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if len(out) != 1 || out[0].Period != "2026-03-15" || out[0].Status != "outbox" {
		t.Errorf("outbox after the first run: %+v", out)
	}
}
