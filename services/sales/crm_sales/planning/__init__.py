"""Planning (SAL-10, SAL-11): sales targets and their progress, campaigns and what they brought."""
