"""The document centre's bytes (WSP-06): streamed by the gateway between the client and the
storage, never over RabbitMQ. See docs/workspace.md for why."""
