"""Generator of the sample evidence folders and of the benchmark corpus."""
