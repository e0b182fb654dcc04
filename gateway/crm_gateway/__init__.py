"""The HTTP API gateway: identity, permissions and data scope in front of the services."""
