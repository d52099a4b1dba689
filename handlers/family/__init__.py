"""Family updates in plain language: `update family` drafts, the key worker edits and sends."""
