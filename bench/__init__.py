"""Province-sized synthetic housing stock and the benchmarks that read it (`make bench`)."""
