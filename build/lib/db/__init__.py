"""Database models, sessions, queries and migrations."""
