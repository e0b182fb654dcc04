"""Nameko entrypoints of the sales service, one mixin per area; service.py composes them."""
