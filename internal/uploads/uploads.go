// Package uploads decides what an uploaded evidence file makes of its
// evidence: available, rejected with the reason, or scanning for malware. It
// is the one code path that POST …/upload-complete, the bucket's S3
// notifications and the local server's embedded S3 all run, so whichever
// comes first decides and the others find the decision made: S3 delivers
// notifications at least once and in no particular order with the API's own
// call.
package uploads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/evidence"
	"github.com/partnerready/partnerready/internal/store"
)

// URLLifetime is how long an upload URL lives: within DESIGN's 15 minutes
// (blob.MaxUploadExpiry), long enough to send 100 MiB over a slow line.
const URLLifetime = 10 * time.Minute

// clockSkew is the margin past an upload URL's expiry before a missing file
// is given up on: S3 accepts a request signed just before its expiry, and
// our clock and S3's differ by seconds.
const clockSkew = time.Minute

// ErrNotUploaded: no file has been uploaded for the evidence yet, and its
// upload URL is still valid, so one may still come.
var ErrNotUploaded = errors.New("uploads: the file has not been uploaded yet")

// ErrScanIncomplete: GuardDuty could not scan the file (ACCESS_DENIED,
// FAILED: the protection plan's role, or GuardDuty itself, not the file).
// The evidence stays scanning; a notification fails, for the function's
// error alarm to show it.
var ErrScanIncomplete = errors.New("uploads: the malware scan did not complete")

// UploadExpired reports whether ev's upload URL, and the margin after it,
// is over at now: no file can arrive for it any more.
func UploadExpired(ev *evidence.Evidence, now time.Time) bool {
	return !now.Before(ev.CreatedAt.Add(URLLifetime + clockSkew))
}

// Checker verifies uploads against their evidence.
type Checker struct {
	store *store.Store
	blobs *blob.Store
	// scanning: GuardDuty Malware Protection scans the bucket, and verified
	// evidence waits for its result tag before it counts.
	scanning bool
	now      func() time.Time
}

func NewChecker(st *store.Store, blobs *blob.Store, scanning bool, now func() time.Time) *Checker {
	if now == nil {
		now = time.Now
	}
	return &Checker{store: st, blobs: blobs, scanning: scanning, now: now}
}

// outcome is what a check decided: a status, why when rejected, and the
// S3 version of the file verified (kept when "").
type outcome struct {
	status  evidence.Status
	reason  string
	version string
}

// Check decides the evidence's status from its file, if it is still to be
// decided (pending_upload or scanning), and returns the evidence as it then
// is. Decided evidence is returned as it is: checking is idempotent. A file
// not uploaded yet is ErrNotUploaded while its URL lives, and rejects the
// evidence after.
func (c *Checker) Check(ctx context.Context, pid, id string) (evidence.Evidence, error) {
	return c.check(ctx, pid, id, asked, "")
}

// cause is what a check answers: the API's call, or a notification of the
// object.
type cause int8

const (
	asked    cause = iota // upload-complete
	uploaded              // ObjectCreated: the file was (re)written
	retagged              // ObjectTagging:Put: only its tags changed
)

// check is Check for why; version is the S3 version a notification names.
func (c *Checker) check(ctx context.Context, pid, id string, why cause, version string) (evidence.Evidence, error) {
	ev, err := c.store.GetEvidence(ctx, pid, id)
	if err != nil {
		return ev, err
	}
	key, err := blob.EvidenceKey(pid, id)
	if err != nil {
		return ev, err
	}
	var out outcome
	switch {
	case ev.Status == evidence.StatusPendingUpload && why != retagged:
		// A tag change decides no upload: the upload's own notification
		// is on its way.
		out, err = c.verify(ctx, key, &ev)
	case ev.Status == evidence.StatusScanning && !c.scanning:
		// Verified while scanning was on, and scanning is off now: nothing
		// will tag it any more.
		out, err = c.counted(ctx, key, ev.FileVersion)
	case ev.Status == evidence.StatusScanning:
		out, err = c.scanned(ctx, key, ev.FileVersion)
	case ev.Status == evidence.StatusAvailable && why == uploaded:
		// Written again (a client retrying its PUT while the URL lives,
		// or the notification of the upload already checked): the new
		// object is tagged pending, and the lifecycle rule would remove
		// the counted file unless it is verified in its turn. The
		// notification of the very version verified changes nothing.
		if version != "" && version == ev.FileVersion {
			return ev, nil
		}
		out, err = c.reverify(ctx, key, &ev)
	case ev.Status == evidence.StatusAvailable && why == retagged:
		// Tags are written whole: a writer that read them before our
		// verified tag puts pending back, and the lifecycle rule would
		// remove a counted file.
		if err := c.blobs.MarkVerified(ctx, key, ev.FileVersion); err != nil && !errors.Is(err, blob.ErrNotFound) {
			return ev, err
		}
		return ev, nil
	default:
		return ev, nil
	}
	if errors.Is(err, ErrScanIncomplete) && why == asked {
		return ev, nil // still scanning, as far as the partner can tell
	}
	if err != nil || out.status == ev.Status && (out.version == "" || out.version == ev.FileVersion) {
		return ev, err
	}
	return c.decide(ctx, pid, ev, out)
}

// reverify checks the file of available evidence again: the same bytes are
// tagged verified and become the version served (the one verified before
// is noncurrent now, and the lifecycle removes noncurrent versions after 30
// days); other bytes (which S3 refuses under the signed checksum, but
// another engine may take) reject the evidence.
func (c *Checker) reverify(ctx context.Context, key string, ev *evidence.Evidence) (outcome, error) {
	v, err := c.blobs.Verify(ctx, key, ev.SizeBytes, ev.SHA256, ev.ContentType)
	switch {
	case err != nil:
		return outcome{}, err
	case v.Missing():
		return outcome{status: ev.Status}, nil
	case !v.OK():
		return outcome{status: evidence.StatusRejected, reason: "the verified file was replaced by another that does not match the declaration: " + v.Reason()}, nil
	}
	return outcome{status: ev.Status, version: v.Found.VersionID}, c.blobs.MarkVerified(ctx, key, v.Found.VersionID)
}

// verify reads the file and compares it with the declaration (blob.Verify:
// the size and SHA-256 of the bytes stored, streamed).
func (c *Checker) verify(ctx context.Context, key string, ev *evidence.Evidence) (outcome, error) {
	v, err := c.blobs.Verify(ctx, key, ev.SizeBytes, ev.SHA256, ev.ContentType)
	switch {
	case err != nil:
		return outcome{}, err
	case v.Missing():
		expired := ev.CreatedAt.Add(URLLifetime)
		if !UploadExpired(ev, c.now()) {
			return outcome{}, ErrNotUploaded
		}
		return outcome{status: evidence.StatusRejected, reason: fmt.Sprintf(
			"no file was uploaded before the upload URL expired at %s: submit the evidence again for a new URL",
			expired.UTC().Format(time.RFC3339))}, nil
	case !v.OK():
		return outcome{status: evidence.StatusRejected, reason: v.Reason()}, nil
	}
	if !c.scanning {
		return c.counted(ctx, key, v.Found.VersionID)
	}
	return c.scanned(ctx, key, v.Found.VersionID)
}

// counted tags the file verified, so that it outlives the lifecycle rule
// that removes abandoned, rejected and infected uploads, and makes the
// evidence available. With scanning on, only after GuardDuty's clean
// result: GuardDuty rewrites the tag set once per object, and a tag written
// before it would be lost in its write, or lose its result.
func (c *Checker) counted(ctx context.Context, key, version string) (outcome, error) {
	if err := c.blobs.MarkVerified(ctx, key, version); err != nil {
		return outcome{}, err
	}
	return outcome{status: evidence.StatusAvailable, version: version}, nil
}

// scanned reads GuardDuty's verdict on the file: only a clean scan lets it count.
func (c *Checker) scanned(ctx context.Context, key, version string) (outcome, error) {
	s, err := c.blobs.ScanResult(ctx, key, version)
	if errors.Is(err, blob.ErrNotFound) {
		return outcome{status: evidence.StatusRejected, reason: "the file is no longer stored: no clean malware scan came within two days of its upload; submit it again as new evidence"}, nil
	}
	if err != nil {
		return outcome{}, err
	}
	switch s {
	case blob.ScanClean:
		return c.counted(ctx, key, version)
	case blob.ScanPending:
		return outcome{status: evidence.StatusScanning, version: version}, nil
	case blob.ScanThreatsFound:
		return outcome{status: evidence.StatusRejected, reason: "the malware scan found threats in the file: it is never served; check the document and submit a clean copy as new evidence"}, nil
	case blob.ScanUnsupported:
		return outcome{status: evidence.StatusRejected, reason: "the malware scan could not read the file (a password-protected or oversized archive, for example): submit it unprotected, as new evidence"}, nil
	}
	return outcome{status: evidence.StatusScanning, version: version}, fmt.Errorf("%w: %s on %s", ErrScanIncomplete, s, key)
}

// decide records the outcome, unless another check recorded one first. An
// evidence that becomes available supersedes, in the same write, the
// available (or scanning) one it is a new version of; one whose
// predecessor another version superseded first is rejected, so that a
// document never has two current versions; and one a newer version already
// superseded is superseded at once.
func (c *Checker) decide(ctx context.Context, pid string, ev evidence.Evidence, out outcome) (evidence.Evidence, error) {
	changed, err := c.store.ChangeEvidence(ctx, pid, func(all map[string]*evidence.Evidence) ([]evidence.Evidence, error) {
		cur := all[ev.ID]
		if cur == nil {
			return nil, store.ErrNotFound
		}
		if cur.Status != ev.Status {
			return nil, nil // decided meanwhile (or deleted)
		}
		next := *cur
		next.Status, next.RejectedReason = out.status, out.reason
		if out.version != "" {
			next.FileVersion = out.version
		}
		if next.Status != evidence.StatusAvailable {
			return []evidence.Evidence{next}, nil
		}
		if newer := availableSuccessor(all, next.ID); newer != "" {
			next.Status = evidence.StatusSuperseded
			return []evidence.Evidence{next}, nil
		}
		p := all[next.Supersedes]
		switch {
		case p == nil:
		case p.Status == evidence.StatusSuperseded:
			next.Status = evidence.StatusRejected
			next.RejectedReason = fmt.Sprintf("evidence %s, which this version supersedes, was superseded by %s first: "+
				"submit this file again as a new version of %s", p.ID, availableSuccessor(all, p.ID), availableSuccessor(all, p.ID))
		case p.Status == evidence.StatusAvailable || p.Status == evidence.StatusScanning:
			old := *p
			old.Status = evidence.StatusSuperseded
			return []evidence.Evidence{next, old}, nil
		}
		return []evidence.Evidence{next}, nil
	})
	if err != nil {
		return ev, err
	}
	if len(changed) == 0 {
		return c.store.GetEvidence(ctx, pid, ev.ID)
	}
	return changed[0], nil
}

// availableSuccessor is the available new version of id, or "".
func availableSuccessor(all map[string]*evidence.Evidence, id string) string {
	for _, e := range all {
		if e.Supersedes == id && e.Status == evidence.StatusAvailable {
			return e.ID
		}
	}
	return ""
}

// Notified checks the evidence of every object an S3 notification reports.
// Evidence no longer there (its partner's data erased) has nothing to
// decide. Any other failure is returned, joined, for the notification to be
// delivered again: checking twice is harmless.
func (c *Checker) Notified(ctx context.Context, objects []blob.Object) error {
	var errs []error
	for _, o := range objects {
		why := uploaded
		if o.Tagged {
			why = retagged
		}
		_, err := c.check(ctx, o.PartnerID, o.EvidenceID, why, o.VersionID)
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrNoPartner) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", o.Key, err))
		}
	}
	return errors.Join(errs...)
}
