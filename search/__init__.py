"""Unified search: documents, PostgreSQL and Elasticsearch backends (issue 8)."""
