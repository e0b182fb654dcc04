"""The event catalog and the reliable publish/consume plumbing."""
