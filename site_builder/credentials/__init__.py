"""Credentials: keys, DID documents, proofs, issuing, status lists and verification."""
