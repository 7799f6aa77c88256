"""Local HTTP servers that behave like Altoviz, Zendesk, Google Sheets and Slack (per api_facts),
count writes per idempotency key, and misbehave on command. Real sockets on 127.0.0.1 only."""
