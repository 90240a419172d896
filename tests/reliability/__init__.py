"""Reliability proofs: kill -9 resume, model fuzz, tool faults, prompt injection, storage."""
