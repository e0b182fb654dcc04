"""Carriers (LOG-03): logistics companies and their rate cards."""
