"""Unified search across the platform: documents, PostgreSQL and Elasticsearch backends (issue 8)."""
