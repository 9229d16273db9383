package uploads_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
	"github.com/partnerready/partnerready/internal/domain"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
	"github.com/partnerready/partnerready/internal/store/storetest"
	"github.com/partnerready/partnerready/internal/uploads"
)

const pid = "1234567"

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t       *testing.T
	store   *store.Store
	bucket  blobtest.Bucket
	clock   *clock
	checker *uploads.Checker
}

// setup is a partner with a profile on real engines (minidyn or moto's
// DynamoDB, gofakes3 or moto's S3), and a checker of its uploads.
func setup(t *testing.T, scanning bool) *fixture {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)}
	st := storetest.New(t).Store(c.now)
	if _, _, err := st.PutPartner(context.Background(), domain.Partner{ID: pid, Name: "Contoso", Country: "FR"}, store.Precondition{}); err != nil {
		t.Fatal(err)
	}
	b := blobtest.New(t)
	return &fixture{t: t, store: st, bucket: b, clock: c, checker: uploads.NewChecker(st, b.Store, scanning, c.now)}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// declare creates pending evidence for body, as POST …/evidence does, and
// returns it with its upload.
func (f *fixture) declare(body []byte, supersedes string) (evidence.Evidence, blob.Upload) {
	f.t.Helper()
	id := store.NewID(f.clock.now())
	ev := evidence.Evidence{ID: id, Status: evidence.StatusPendingUpload, Metadata: evidence.Metadata{
		SpecializationID: "linux-and-open-source-database-migration-to-microsoft-azure",
		Controls:         []string{"B4.1"}, Customers: []string{}, Individuals: []string{}, Kind: evidence.KindSolutionDesign,
		Language: "en", Title: "Design", FileName: "design.pdf", ContentType: "application/pdf",
		SizeBytes: int64(len(body)), SHA256: sum(body), Supersedes: supersedes,
	}}
	out, err := f.store.ChangeEvidence(context.Background(), pid, func(map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		return []evidence.Evidence{ev}, nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	key, _ := blob.EvidenceKey(pid, id)
	up, err := f.bucket.Store.PresignPut(context.Background(), key, ev.ContentType, ev.SizeBytes, ev.SHA256, uploads.URLLifetime)
	if err != nil {
		f.t.Fatal(err)
	}
	return out[0], up
}

func (f *fixture) check(id string) evidence.Evidence {
	f.t.Helper()
	ev, err := f.checker.Check(context.Background(), pid, id)
	if err != nil {
		f.t.Fatalf("%s: Check: %v", f.bucket.Engine, err)
	}
	return ev
}

func (f *fixture) key(id string) string {
	k, _ := blob.EvidenceKey(pid, id)
	return k
}

var pdf = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("evidence "), 2000)...)

// A file as declared makes its evidence available and is tagged verified,
// so the lifecycle rule for abandoned uploads never removes it; checking
// again changes nothing.
func TestMatchingUploadIsAvailable(t *testing.T) {
	f := setup(t, false)
	ev, up := f.declare(pdf, "")
	if code := blobtest.Put(t, up, pdf); code != 200 {
		t.Fatalf("PUT: %d", code)
	}
	got := f.check(ev.ID)
	if got.Status != evidence.StatusAvailable || got.Version != 2 || got.RejectedReason != "" {
		t.Fatalf("after check: %+v", got)
	}
	if tags := f.bucket.Tags(t, f.key(ev.ID)); tags[blob.StateTag] != blob.StateVerified {
		t.Fatalf("tags: %v", tags)
	}
	if again := f.check(ev.ID); again.Version != 2 || again.Status != evidence.StatusAvailable {
		t.Fatalf("checked again: %+v", again)
	}
}

// Bytes that differ from the declaration reject the evidence, saying why:
// the embedded S3 enforces no signed checksum, so the check is the guard.
// The rejected file is never tagged verified: it keeps the pending tag its
// upload set, for the lifecycle rule to remove it.
func TestTamperedUploadIsRejected(t *testing.T) {
	f := setup(t, false)
	tampered := bytes.Clone(pdf)
	tampered[100] ^= 1
	cases := []struct {
		name string
		body []byte
		says string
	}{
		{"same length, one bit changed", tampered, "SHA-256"},
		{"one byte more", append(bytes.Clone(pdf), '!'), "bytes"},
		{"truncated", pdf[:len(pdf)-1], "bytes"},
	}
	for _, c := range cases {
		ev, up := f.declare(pdf, "")
		code := blobtest.Put(t, up, c.body)
		if code != 200 {
			// A real S3 refuses bytes that do not match the signed
			// headers; then no file is there and the evidence stays
			// pending until its URL expires (TestMissingUpload).
			if f.bucket.Engine == blobtest.EngineGofakes3 {
				t.Fatalf("%s: gofakes3 refused the PUT (%d)", c.name, code)
			}
			continue
		}
		got := f.check(ev.ID)
		if got.Status != evidence.StatusRejected || !strings.Contains(got.RejectedReason, c.says) {
			t.Errorf("%s: %s %q", c.name, got.Status, got.RejectedReason)
		}
		tags := f.bucket.Tags(t, f.key(ev.ID))
		if tags[blob.StateTag] != blob.StatePending {
			t.Errorf("%s: tags %v", c.name, tags)
		}
	}
}

// A file not uploaded yet leaves the evidence pending while its URL lives;
// once the URL has expired (and a minute's skew), the evidence is rejected.
func TestMissingUpload(t *testing.T) {
	f := setup(t, false)
	ev, _ := f.declare(pdf, "")
	if _, err := f.checker.Check(context.Background(), pid, ev.ID); !errors.Is(err, uploads.ErrNotUploaded) {
		t.Fatalf("before expiry: %v", err)
	}
	f.clock.add(uploads.URLLifetime + 59*time.Second)
	if _, err := f.checker.Check(context.Background(), pid, ev.ID); !errors.Is(err, uploads.ErrNotUploaded) {
		t.Fatalf("within the skew: %v", err)
	}
	f.clock.add(2 * time.Second)
	got := f.check(ev.ID)
	if got.Status != evidence.StatusRejected || !strings.Contains(got.RejectedReason, "expired") {
		t.Fatalf("after expiry: %+v", got)
	}
}

// A new version supersedes its predecessor in the same write that makes it
// available, and not before.
func TestNewVersionSupersedesOnceAvailable(t *testing.T) {
	f := setup(t, false)
	old, up := f.declare(pdf, "")
	blobtest.Put(t, up, pdf)
	f.check(old.ID)
	v2 := append(bytes.Clone(pdf), " v2"...)
	next, up2 := f.declare(v2, old.ID)
	if got, _ := f.store.GetEvidence(context.Background(), pid, old.ID); got.Status != evidence.StatusAvailable {
		t.Fatalf("predecessor before the upload: %s", got.Status)
	}
	blobtest.Put(t, up2, v2)
	if got := f.check(next.ID); got.Status != evidence.StatusAvailable {
		t.Fatalf("new version: %+v", got)
	}
	if got, _ := f.store.GetEvidence(context.Background(), pid, old.ID); got.Status != evidence.StatusSuperseded || got.Version != 3 {
		t.Fatalf("predecessor after: %s v%d", got.Status, got.Version)
	}
}

// With malware scanning on, verified evidence waits for GuardDuty's tag: a
// clean scan makes it available, and only then is the file tagged verified
// (a tag written before GuardDuty's rewrite of the set would be lost, or
// lose its result); threats or an unreadable file reject it and leave it
// pending, for the lifecycle rule to remove. A scan that could not run
// (our side) leaves it scanning, and fails the notification for the alarm.
func TestMalwareScanDecides(t *testing.T) {
	f := setup(t, true)
	for _, c := range []struct {
		tag      blob.ScanStatus
		want     evidence.Status
		stateTag string
	}{
		{blob.ScanClean, evidence.StatusAvailable, blob.StateVerified},
		{blob.ScanThreatsFound, evidence.StatusRejected, blob.StatePending},
		{blob.ScanUnsupported, evidence.StatusRejected, blob.StatePending},
		{blob.ScanFailed, evidence.StatusScanning, blob.StatePending},
		{blob.ScanAccessDenied, evidence.StatusScanning, blob.StatePending},
	} {
		ev, up := f.declare(pdf, "")
		blobtest.Put(t, up, pdf)
		if got := f.check(ev.ID); got.Status != evidence.StatusScanning {
			t.Fatalf("%s: before the scan: %s", c.tag, got.Status)
		}
		if got := f.check(ev.ID); got.Status != evidence.StatusScanning || got.Version != 2 {
			t.Fatalf("%s: checked again before the scan: %s v%d", c.tag, got.Status, got.Version)
		}
		tags := f.bucket.Tags(t, f.key(ev.ID))
		if tags[blob.StateTag] != blob.StatePending {
			t.Fatalf("%s: tagged %v before the scan", c.tag, tags)
		}
		// GuardDuty rewrites the tag set with its result, beside ours.
		tags[blob.ScanTag] = string(c.tag)
		f.bucket.Tag(t, f.key(ev.ID), tags)
		err := f.checker.Notified(context.Background(), []blob.Object{{Key: f.key(ev.ID), PartnerID: pid, EvidenceID: ev.ID, Tagged: true}})
		if (c.want == evidence.StatusScanning) != errors.Is(err, uploads.ErrScanIncomplete) {
			t.Errorf("%s: the notification answered %v", c.tag, err)
		}
		got := f.check(ev.ID)
		if got.Status != c.want || (c.want == evidence.StatusRejected) != (got.RejectedReason != "") {
			t.Errorf("%s: %s %q", c.tag, got.Status, got.RejectedReason)
		}
		if tags := f.bucket.Tags(t, f.key(ev.ID)); tags[blob.StateTag] != c.stateTag || tags[blob.ScanTag] != string(c.tag) {
			t.Errorf("%s: tags after the scan %v", c.tag, tags)
		}
	}
	// Scanning switched off: what waited for a scan counts as verified.
	ev, up := f.declare(pdf, "")
	blobtest.Put(t, up, pdf)
	f.check(ev.ID)
	off := uploads.NewChecker(f.store, f.bucket.Store, false, f.clock.now)
	if got, err := off.Check(context.Background(), pid, ev.ID); err != nil || got.Status != evidence.StatusAvailable {
		t.Fatalf("scanning off: %s %v", got.Status, err)
	}
}

// S3 delivers notifications at least once, in any order with the API's own
// call: the same object reported twice, and by racing checkers, is decided
// once. Objects whose evidence is gone are skipped.
func TestNotificationsAreIdempotent(t *testing.T) {
	f := setup(t, false)
	ev, up := f.declare(pdf, "")
	blobtest.Put(t, up, pdf)
	o := blob.Object{Key: f.key(ev.ID), PartnerID: pid, EvidenceID: ev.ID}
	gone := blob.Object{Key: f.key("0190f5c2-0000-7000-8000-000000000000"), PartnerID: pid, EvidenceID: "0190f5c2-0000-7000-8000-000000000000"}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- f.checker.Notified(context.Background(), []blob.Object{o, gone, o}) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.store.GetEvidence(context.Background(), pid, ev.ID)
	if got.Status != evidence.StatusAvailable || got.Version != 2 {
		t.Fatalf("after the notifications: %s v%d", got.Status, got.Version)
	}
}

// Decided evidence stays decided: a tombstone is not revived by a late
// notification of its file.
func TestDeletedStaysDeleted(t *testing.T) {
	f := setup(t, false)
	ev, up := f.declare(pdf, "")
	if _, err := f.store.ChangeEvidence(context.Background(), pid, func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		d := *all[ev.ID]
		d.Status = evidence.StatusDeleted
		return []evidence.Evidence{d}, nil
	}); err != nil {
		t.Fatal(err)
	}
	blobtest.Put(t, up, pdf)
	if got := f.check(ev.ID); got.Status != evidence.StatusDeleted {
		t.Fatalf("late upload of a tombstone: %s", got.Status)
	}
}

// A tag change decides no upload (the upload's own notification does), and
// puts the verified tag back on a counted file if another writer of the
// tags (GuardDuty adding its result) put pending back.
func TestTagNotifications(t *testing.T) {
	f := setup(t, false)
	ev, up := f.declare(pdf, "")
	blobtest.Put(t, up, pdf)
	o := blob.Object{Key: f.key(ev.ID), PartnerID: pid, EvidenceID: ev.ID, Tagged: true}
	if err := f.checker.Notified(context.Background(), []blob.Object{o}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.store.GetEvidence(context.Background(), pid, ev.ID); got.Status != evidence.StatusPendingUpload {
		t.Fatalf("a tag change decided the upload: %s", got.Status)
	}
	f.check(ev.ID)
	f.bucket.Tag(t, f.key(ev.ID), map[string]string{blob.StateTag: blob.StatePending, blob.ScanTag: string(blob.ScanClean)})
	if err := f.checker.Notified(context.Background(), []blob.Object{o}); err != nil {
		t.Fatal(err)
	}
	if tags := f.bucket.Tags(t, f.key(ev.ID)); tags[blob.StateTag] != blob.StateVerified || tags[blob.ScanTag] != string(blob.ScanClean) {
		t.Fatalf("tags after the notification: %v", tags)
	}
}

// A file written again after it was verified (a client retrying its PUT
// while the URL lives) is tagged verified in its turn, or the lifecycle
// rule for abandoned uploads would remove a counted file; other bytes
// reject the evidence, which no longer has the file that was verified.
func TestUploadedAgain(t *testing.T) {
	f := setup(t, false)
	ev, up := f.declare(pdf, "")
	blobtest.Put(t, up, pdf)
	f.check(ev.ID)
	o := blob.Object{Key: f.key(ev.ID), PartnerID: pid, EvidenceID: ev.ID}
	blobtest.Put(t, up, pdf) // the retry: tagged pending by its upload
	if err := f.checker.Notified(context.Background(), []blob.Object{o}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.GetEvidence(context.Background(), pid, ev.ID)
	if tags := f.bucket.Tags(t, f.key(ev.ID)); got.Status != evidence.StatusAvailable || tags[blob.StateTag] != blob.StateVerified {
		t.Fatalf("after the same bytes again: %s %v", got.Status, tags)
	}
	other := bytes.Clone(pdf)
	other[0] = '#'
	if code := blobtest.Put(t, up, other); code != 200 {
		return // an S3 that checks the signed checksum refused them: nothing changed
	}
	if err := f.checker.Notified(context.Background(), []blob.Object{o}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.store.GetEvidence(context.Background(), pid, ev.ID); got.Status != evidence.StatusRejected || !strings.Contains(got.RejectedReason, "replaced") {
		t.Fatalf("after other bytes: %s %q", got.Status, got.RejectedReason)
	}
}

// A document has one current version whatever order its versions are
// checked in: a second new version of the same predecessor is rejected once
// the first superseded it, and a predecessor verified after its successor is
// superseded at once. A predecessor that never counted stays as it was.
func TestOneCurrentVersion(t *testing.T) {
	f := setup(t, false)
	v1, up1 := f.declare(pdf, "")
	blobtest.Put(t, up1, pdf)
	f.check(v1.ID)
	b2, b3 := append(bytes.Clone(pdf), '2'), append(bytes.Clone(pdf), '3')
	v2, up2 := f.declare(b2, v1.ID)
	blobtest.Put(t, up2, b2) // uploaded, not checked yet
	v3, up3 := f.declare(b3, v1.ID)
	blobtest.Put(t, up3, b3)
	if got := f.check(v3.ID); got.Status != evidence.StatusAvailable {
		t.Fatalf("v3: %s", got.Status)
	}
	got := f.check(v2.ID)
	if got.Status != evidence.StatusRejected || !strings.Contains(got.RejectedReason, v3.ID) {
		t.Fatalf("v2 after v3 superseded v1: %s %q", got.Status, got.RejectedReason)
	}

	p, upP := f.declare(pdf, "") // its file comes late
	b4 := append(bytes.Clone(pdf), '4')
	s, upS := f.declare(b4, p.ID)
	blobtest.Put(t, upS, b4)
	f.check(s.ID)
	if got, _ := f.store.GetEvidence(context.Background(), pid, p.ID); got.Status != evidence.StatusPendingUpload {
		t.Fatalf("a predecessor that never counted was changed: %s", got.Status)
	}
	blobtest.Put(t, upP, pdf)
	if got := f.check(p.ID); got.Status != evidence.StatusSuperseded {
		t.Fatalf("a predecessor verified after its successor: %s", got.Status)
	}
}

// In a versioned bucket (the stack's), the version verified is the one
// tagged and served: its own notification changes nothing and reads nothing
// again; the same bytes written again become the version served (the first
// is noncurrent now, which the lifecycle removes after 30 days); other bytes
// reject the evidence.
func TestVersionedBucket(t *testing.T) {
	f := setup(t, false)
	f.bucket.EnableVersioning(t)
	ev, up := f.declare(pdf, "")
	blobtest.Put(t, up, pdf)
	got := f.check(ev.ID)
	if got.Status != evidence.StatusAvailable || got.FileVersion == "" {
		t.Fatalf("%s: verified %s, version %q", f.bucket.Engine, got.Status, got.FileVersion)
	}
	first := got.FileVersion
	o := blob.Object{Key: f.key(ev.ID), PartnerID: pid, EvidenceID: ev.ID, VersionID: first}
	if err := f.checker.Notified(context.Background(), []blob.Object{o}); err != nil {
		t.Fatal(err)
	}
	if again, _ := f.store.GetEvidence(context.Background(), pid, ev.ID); again.Version != got.Version {
		t.Fatalf("the notification of the version verified changed the evidence: v%d → v%d", got.Version, again.Version)
	}
	blobtest.Put(t, up, pdf)
	o.VersionID = "another"
	if err := f.checker.Notified(context.Background(), []blob.Object{o}); err != nil {
		t.Fatal(err)
	}
	now, _ := f.store.GetEvidence(context.Background(), pid, ev.ID)
	if now.Status != evidence.StatusAvailable || now.FileVersion == first || f.bucket.VersionTags(t, f.key(ev.ID), now.FileVersion)[blob.StateTag] != blob.StateVerified {
		t.Fatalf("the same bytes again: %s %q (first %q)", now.Status, now.FileVersion, first)
	}
	dl, err := f.bucket.Store.PresignGet(context.Background(), f.key(ev.ID), now.FileVersion, "d.pdf", "application/pdf", time.Minute)
	if err != nil || !strings.Contains(dl.URL, "versionId=") {
		t.Fatalf("download of the version verified: %v %v", dl.URL, err)
	}
}
