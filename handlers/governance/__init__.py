"""Information governance: sharing inputs, auditing reads, the audit trail, pupil details, erasure."""
