package blob

// SetMaxSize lowers the object size limit, so that tests can cross it
// without uploading 100 MiB.
func SetMaxSize(s *Store, n int64) { s.maxSize = n }
