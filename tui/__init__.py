"""briefing: a keyboard-driven terminal reader for structured intelligence briefings."""
