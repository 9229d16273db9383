package blob_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/partnerready/partnerready/internal/blob"
	"github.com/partnerready/partnerready/internal/blob/blobtest"
)

func TestScanResultReadsGuardDutysTag(t *testing.T) {
	bk := blobtest.New(t)
	ctx := context.Background()
	body := []byte("well-architected review\n")
	k := key(t, 600)

	if _, err := bk.Store.ScanResult(ctx, k, ""); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("no object: err %v, want ErrNotFound", err)
	}
	up := presign(t, bk, k, "text/plain", body)
	if code := sendBytes(t, up, up.Headers, body); code != http.StatusOK {
		t.Fatalf("upload: %d", code)
	}
	got, err := bk.Store.ScanResult(ctx, k, "")
	if err != nil || got != blob.ScanPending {
		t.Fatalf("before the scan: %q, %v; want pending", got, err)
	}
	for _, status := range []blob.ScanStatus{blob.ScanThreatsFound, blob.ScanUnsupported, blob.ScanAccessDenied, blob.ScanFailed, "SOMETHING_NEW", blob.ScanClean} {
		bk.Tag(t, k, map[string]string{"project": "contoso", blob.ScanTag: string(status)})
		if got, err := bk.Store.ScanResult(ctx, k, ""); err != nil || got != status {
			t.Errorf("tagged %s: %q, %v", status, got, err)
		}
	}
	if _, err := bk.Store.ScanResult(ctx, "other/1234567/x", ""); !errors.Is(err, blob.ErrInvalid) {
		t.Errorf("key outside the prefix: err %v, want ErrInvalid", err)
	}
}

// Verified uploads lose the pending state the lifecycle would expire, and
// keep their other tags (GuardDuty's scan result).
func TestMarkVerifiedKeepsOtherTags(t *testing.T) {
	bk := blobtest.New(t)
	ctx := context.Background()
	body := []byte("a,b\n")
	k := key(t, 601)
	up := presign(t, bk, k, "text/csv", body)
	if code := sendBytes(t, up, up.Headers, body); code != http.StatusOK {
		t.Fatalf("upload: %d", code)
	}
	bk.Tag(t, k, map[string]string{blob.StateTag: blob.StatePending, blob.ScanTag: string(blob.ScanClean)})
	if err := bk.Store.MarkVerified(ctx, k, ""); err != nil {
		t.Fatal(err)
	}
	if st, err := bk.Store.ScanResult(ctx, k, ""); err != nil || st != blob.ScanClean {
		t.Fatalf("scan tag after marking: %q %v", st, err)
	}
	if tags := bk.Tags(t, k); tags[blob.StateTag] != blob.StateVerified || len(tags) != 2 {
		t.Fatalf("tags %v", tags)
	}
	if err := bk.Store.MarkVerified(ctx, key(t, 602), ""); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("no object: %v", err)
	}
}
