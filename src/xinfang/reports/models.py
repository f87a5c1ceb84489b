"""Reports' stored records: generated documents (文书) kept exactly as issued, and the
templates offices edit. (Metrics and statistics are computed, never stored.)"""
