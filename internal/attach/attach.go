// Package attach keeps the bytes of the files on tickets, and serves them
// back safely.
//
// Files are stored content-addressed, under the hex SHA-256 of their bytes
// ("sha256/ab/ab12…"), in a gocloud.dev blob bucket: a folder on disk by
// default (fileblob), or an S3-compatible service for several nodes
// (s3blob); both go through the same Store and the same tests (run on
// fileblob and memblob; S3 itself is not exercised by the tests). The
// database holds each file's record (rapport.Attachment), written in the
// same transaction as its event by internal/desk: a blob is written first,
// so a change that rolls back leaves at most a blob no record points at,
// never a record without its blob. Such orphans are harmless: the same
// bytes sent again reuse them.
//
// The type of a file is sniffed from its bytes (mimetype), never taken
// from the sender. Serve sends a file as a download, inline only for a few
// image types, with headers that keep an uploaded HTML or SVG file from
// ever running as the site.
package attach

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gabriel-vasile/mimetype"
	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	"gocloud.dev/gcerrors"

	// s3:// URLs: AWS S3 and S3-compatible services (MinIO, Ceph, R2, ...).
	_ "gocloud.dev/blob/s3blob"

	"github.com/rapportdesk/rapport"
)

// DefaultMaxSize is the largest file accepted unless configured otherwise.
const DefaultMaxSize = 25 << 20

// Store keeps attachment bytes in a bucket.
type Store struct {
	bucket *blob.Bucket
	// Max is the largest file Put accepts, in bytes.
	Max int64
	// TempDir is where Put spools a file while hashing it ("": the
	// system's temporary folder).
	TempDir string
}

// Blob is a stored file's content: its key, size and sniffed type.
type Blob struct {
	SHA256 string
	Size   int64
	Type   string
}

// ErrTooLarge is returned by Put for a file over Store.Max.
var ErrTooLarge = errors.New("attach: file too large")

// New returns a Store on bucket, which it owns from then on (Close closes it).
func New(bucket *blob.Bucket, max int64) *Store {
	return &Store{bucket: bucket, Max: max}
}

// Open opens the storage named by where: a folder (created when missing),
// or a URL gocloud.dev knows: file:///abs/path, s3://bucket?region=R
// (with endpoint=https://host and use_path_style=true for S3-compatible
// services; credentials from the usual AWS environment) or mem:// (kept in
// memory, for tests).
func Open(ctx context.Context, where string, max int64) (*Store, error) {
	if where == "" {
		return nil, errors.New("attach: no storage given")
	}
	if !strings.Contains(where, "://") {
		dir, err := filepath.Abs(where)
		if err != nil {
			return nil, fmt.Errorf("attachments folder %s: %w", where, err)
		}
		// No temporary folder: fileblob renames a finished file into place,
		// which fails across file systems; metadata comes from the database.
		b, err := fileblob.OpenBucket(dir, &fileblob.Options{CreateDir: true, DirFileMode: 0o750, NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
		if err != nil {
			return nil, fmt.Errorf("attachments folder %s: %w", dir, err)
		}
		return New(b, max), nil
	}
	b, err := blob.OpenBucket(ctx, where)
	if err != nil {
		return nil, fmt.Errorf("attachments storage %s: %w", redact(where), err)
	}
	return New(b, max), nil
}

// redact drops a URL's password, for messages.
func redact(where string) string {
	if i, j := strings.Index(where, "://"), strings.LastIndex(where, "@"); i >= 0 && j > i {
		return where[:i+3] + "…" + where[j:]
	}
	return where
}

// Close closes the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// key is where the blob with hex SHA-256 sum lives.
func key(sum string) string { return "sha256/" + sum[:2] + "/" + sum }

var hexSum = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Put stores what r yields and says what it stored. It reads r to its end
// or to Max+1 bytes, spooling to a temporary file while hashing, so a file
// of any size costs no memory; past Max it returns ErrTooLarge and stores
// nothing. The same bytes stored twice are written once.
func (s *Store) Put(ctx context.Context, r io.Reader) (Blob, error) {
	f, err := os.CreateTemp(s.TempDir, "rapport-upload-*")
	if err != nil {
		return Blob{}, fmt.Errorf("spool upload: %w", err)
	}
	defer func() { f.Close(); os.Remove(f.Name()) }()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, s.Max+1))
	if err != nil {
		return Blob{}, fmt.Errorf("read upload: %w", err)
	}
	if n > s.Max {
		return Blob{}, ErrTooLarge
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Blob{}, err
	}
	mt, err := mimetype.DetectReader(f)
	if err != nil {
		return Blob{}, fmt.Errorf("sniff upload: %w", err)
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Type: mt.String()}
	k := key(b.SHA256)
	if ok, err := s.bucket.Exists(ctx, k); err != nil {
		return Blob{}, fmt.Errorf("store upload: %w", err)
	} else if ok {
		return b, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Blob{}, err
	}
	if err := s.bucket.Upload(ctx, k, f, &blob.WriterOptions{ContentType: b.Type}); err != nil {
		return Blob{}, fmt.Errorf("store upload: %w", err)
	}
	return b, nil
}

// Reader is an open blob: it reads, seeks (for ranges) and closes.
type Reader = io.ReadSeekCloser

// Get opens the blob with hex SHA-256 sum; ENOTFOUND when it is missing.
func (s *Store) Get(ctx context.Context, sum string) (Reader, error) {
	if !hexSum.MatchString(sum) {
		return nil, fmt.Errorf("attach: bad key %q", sum)
	}
	r, err := s.bucket.NewReader(ctx, key(sum), nil)
	if gcerrors.Code(err) == gcerrors.NotFound {
		return nil, rapport.Errorf(rapport.ENOTFOUND, "This file's content is missing from storage.")
	} else if err != nil {
		return nil, fmt.Errorf("open attachment: %w", err)
	}
	return r, nil
}
