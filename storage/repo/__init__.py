"""Repository functions: each takes an explicit session and keyword-only arguments."""
