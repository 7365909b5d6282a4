"""Generator of the bundled corpus corpora/events.jsonl; run corpora/generate_events.py."""
