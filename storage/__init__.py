"""Persistence for TAC Bot: SQLAlchemy models, repository functions, migrations, the audit trail."""
