package zvcmstest

// pageSize is the page size served for the one asked: Config.MaxPageSize
// caps it when set.
func (s *Server) pageSize(asked int64) int64 {
	if s.cfg.MaxPageSize > 0 && asked > int64(s.cfg.MaxPageSize) {
		return int64(s.cfg.MaxPageSize)
	}
	return asked
}
