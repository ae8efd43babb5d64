"""Data Integrity EdDSA proofs, checked against the W3C test vectors and against tampering.

The vectors under tests/w3c_vectors/ are the W3C Recommendation's own (see the README there):
every intermediate value, not just the final signature, must come out byte for byte the same.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import socket
from pathlib import Path
from typing import Any

import base58
import nacl.signing
import pytest
from pyld import jsonld

from site_builder.credentials import contexts
from site_builder.credentials.contexts import (
    CONTEXT_URLS,
    UnknownContextError,
    context_files,
    document_loader,
    load_context,
)
from site_builder.credentials.proofs import (
    CRYPTOSUITES,
    JCS,
    RDFC,
    Proof,
    ProofError,
    canonicalize,
    hash_data,
    is_xsd_datetime,
    parse_proof,
    sign,
    verify_signature,
)
from site_builder.multikey import (
    decode_public_key,
    decode_secret_key,
    decode_signature,
    encode_public_key,
    encode_secret_key,
    encode_signature,
)

VECTORS = Path(__file__).parent / "w3c_vectors"
KEY_PAIR = json.loads((VECTORS / "keyPair.json").read_text())
SIGNING_KEY = nacl.signing.SigningKey(decode_secret_key(KEY_PAIR["privateKeyMultibase"]))
PUBLIC_KEY = decode_public_key(KEY_PAIR["publicKeyMultibase"])
CREATED = "2023-02-24T23:36:38Z"  # the vectors' fixed creation time
TEST_METHOD = "did:example:issuer#key-1"

# (folder, cryptosuite, file-name suffix the W3C uses, unsigned document)
VECTOR_SETS = [
    ("eddsa-rdfc-2022", RDFC, "DataInt", "unsigned.json"),
    ("eddsa-rdfc-2022/employ", RDFC, "DataInt", "employmentAuth.json"),
    ("eddsa-jcs-2022", JCS, "JCS", "unsigned.json"),
]
VECTOR_IDS = [folder for folder, *_ in VECTOR_SETS]
SIGNED_VECTORS = [
    "eddsa-rdfc-2022/signedDataInt.json",
    "eddsa-rdfc-2022/employ/signedDataInt.json",
    "eddsa-rdfc-2022/repo-2023/signedDataInt.json",
    "eddsa-jcs-2022/signedJCS.json",
    "eddsa-jcs-2022/repo-2023/signedJCS.json",
]

# Digests that specifications publish for the contexts they define.
PUBLISHED_CONTEXT_SHA256 = {
    # VC Data Model 2.0 (W3C Rec, 2025-05-15), Appendix B.1 Base Context
    "https://www.w3.org/ns/credentials/v2": (
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    ),
    # VC Data Integrity 1.0 (W3C Rec, 2025-05-15), Section 2.4 Contexts and Vocabularies
    "https://w3id.org/security/data-integrity/v2": (
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4"
    ),
    "https://w3id.org/security/multikey/v1": (
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597"
    ),
}


def vector_bytes(path: str) -> bytes:
    return (VECTORS / path).read_bytes()


def vector_json(path: str) -> dict[str, Any]:
    return json.loads(vector_bytes(path))


def vector_text(path: str) -> str:
    return vector_bytes(path).decode("utf-8")


def signed(name: str) -> dict[str, Any]:
    return vector_json(name)


def verifies(document: dict[str, Any], key: bytes = PUBLIC_KEY) -> bool:
    return verify_signature(document, parse_proof(document), key)


# --- the W3C test vectors, step by step --------------------------------------------------------


def test_key_pair_is_one_ed25519_key() -> None:
    assert bytes(SIGNING_KEY.verify_key) == PUBLIC_KEY


@pytest.mark.parametrize(("folder", "suite", "suffix", "unsigned"), VECTOR_SETS, ids=VECTOR_IDS)
def test_canonical_document_and_its_hash(folder: str, suite: str, suffix: str, unsigned: str):
    canonical = canonicalize(vector_json(f"{folder}/{unsigned}"), suite)
    assert canonical == vector_bytes(f"{folder}/canonDoc{suffix}.txt")
    published = vector_text(f"{folder}/docHash{suffix}.txt")
    assert hashlib.sha256(canonical).hexdigest() == published


@pytest.mark.parametrize(("folder", "suite", "suffix", "unsigned"), VECTOR_SETS, ids=VECTOR_IDS)
def test_canonical_proof_config_and_its_hash(folder: str, suite: str, suffix: str, unsigned: str):
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    assert config["@context"] == vector_json(f"{folder}/{unsigned}")["@context"]
    canonical = canonicalize(config, suite)
    assert canonical == vector_bytes(f"{folder}/proofCanon{suffix}.txt")
    published = vector_text(f"{folder}/proofHash{suffix}.txt")
    assert hashlib.sha256(canonical).hexdigest() == published


def test_rdfc_hashes_include_the_trailing_newline() -> None:
    """The published hash is of the N-Quads *with* their final newline (RDFC-1.0 form)."""
    canonical = vector_bytes("eddsa-rdfc-2022/canonDocDataInt.txt")
    assert canonical.endswith(b" .\n")
    published = vector_text("eddsa-rdfc-2022/docHashDataInt.txt")
    assert hashlib.sha256(canonical).hexdigest() == published
    assert hashlib.sha256(canonical.rstrip(b"\n")).hexdigest() != published


@pytest.mark.parametrize(("folder", "suite", "suffix", "unsigned"), VECTOR_SETS, ids=VECTOR_IDS)
def test_combined_hash_data(folder: str, suite: str, suffix: str, unsigned: str) -> None:
    data = hash_data(
        vector_json(f"{folder}/{unsigned}"),
        vector_json(f"{folder}/proofConfig{suffix}.json"),
        suite,
    )
    assert data.hex() == vector_text(f"{folder}/combinedHash{suffix}.txt")
    assert data[:32].hex() == vector_text(f"{folder}/proofHash{suffix}.txt")
    assert data[32:].hex() == vector_text(f"{folder}/docHash{suffix}.txt")


@pytest.mark.parametrize(("folder", "suite", "suffix", "unsigned"), VECTOR_SETS, ids=VECTOR_IDS)
def test_signing_reproduces_the_published_signed_document(
    folder: str, suite: str, suffix: str, unsigned: str
) -> None:
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    result = sign(
        vector_json(f"{folder}/{unsigned}"),
        SIGNING_KEY,
        verification_method=config["verificationMethod"],
        cryptosuite=suite,
        created=config["created"],
    )
    proof_value = result["proof"]["proofValue"]
    assert proof_value == vector_text(f"{folder}/sigBTC58{suffix}.txt")
    assert decode_signature(proof_value).hex() == vector_text(f"{folder}/sigHex{suffix}.txt")
    # Same members, same order, same values: the W3C file is exactly json.dumps(indent=2).
    assert json.dumps(result, indent=2) == vector_text(f"{folder}/signed{suffix}.json")


@pytest.mark.parametrize("name", SIGNED_VECTORS)
def test_published_signed_documents_verify(name: str) -> None:
    document = signed(name)
    proof = parse_proof(document)
    assert proof.created == CREATED
    assert verify_signature(document, proof, PUBLIC_KEY) is True


def test_sign_leaves_its_input_alone() -> None:
    unsigned = vector_json("eddsa-rdfc-2022/employ/employmentAuth.json")
    before = copy.deepcopy(unsigned)
    for suite in CRYPTOSUITES:
        result = sign(
            unsigned, SIGNING_KEY, verification_method="did:example:1#k", cryptosuite=suite
        )
        result["credentialSubject"]["givenName"] = "CHANGED"
        result["@context"].append("https://example.org/ctx")
    assert unsigned == before


def test_created_defaults_to_now_in_utc_seconds() -> None:
    result = sign(
        vector_json("eddsa-jcs-2022/unsigned.json"), SIGNING_KEY, verification_method=TEST_METHOD
    )
    assert result["proof"]["cryptosuite"] == RDFC
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result["proof"]["created"])
    assert "@context" not in result["proof"]
    assert verifies(result)


# --- an Open Badges credential, both suites ----------------------------------------------------

OPEN_BADGE: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:2b4f8a0e-3c1d-4e5f-9a6b-7c8d9e0f1a2b",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": "did:web:badges.example.edu",
        "type": ["Profile"],
        "name": "Example University",
        "url": "https://badges.example.edu/",
    },
    "validFrom": "2025-06-01T00:00:00Z",
    "name": "Data Literacy",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": "sha256$" + "6f1ed002ab5595859014ebf0951522d9"
                "a1c2b8ec2c5e5b1c7ab1d2c1a0f2e7b5",
                "identityType": "emailAddress",
                "hashed": True,
                "salt": "kHn3Qw",
            }
        ],
        "achievement": {
            "id": "https://badges.example.edu/achievements/data-literacy",
            "type": ["Achievement"],
            "name": "Data Literacy",
            "description": "Reads, cleans and charts tabular data.",
            "criteria": {"narrative": "Pass the **final project**."},
            "achievementType": "MicroCredential",
            "alignment": [
                {
                    "type": ["Alignment"],
                    "targetName": "Data analysis",
                    "targetUrl": "https://skills.example.org/data-analysis",
                }
            ],
        },
    },
}


@pytest.fixture(params=CRYPTOSUITES)
def signed_badge(request: pytest.FixtureRequest) -> dict[str, Any]:
    return sign(
        OPEN_BADGE,
        SIGNING_KEY,
        verification_method="did:web:badges.example.edu#key-1",
        cryptosuite=request.param,
        created="2025-06-01T00:00:00Z",
    )


def test_open_badge_round_trip(signed_badge: dict[str, Any]) -> None:
    assert verifies(signed_badge)


# --- tampering and wrong keys ------------------------------------------------------------------


def _set(path: str, value: Any):
    def change(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _delete(key: str):
    def change(document: dict[str, Any]) -> None:
        del document[key]

    return change


BADGE_TAMPERING = {
    "credential name": _set("name", "Data Literacy (Honours)"),
    "issuer id": _set("issuer.id", "did:web:evil.example"),
    "issuer name": _set("issuer.name", "Another University"),
    "valid from": _set("validFrom", "2024-06-01T00:00:00Z"),
    "achievement name": _set("credentialSubject.achievement.name", "Data Science"),
    "criteria narrative": _set("credentialSubject.achievement.criteria.narrative", "Attend."),
    "alignment target": _set(
        "credentialSubject.achievement.alignment.0.targetUrl", "https://evil.example/"
    ),
    "learner identity hash": _set(
        "credentialSubject.identifier.0.identityHash", "sha256$" + "0" * 64
    ),
    "hashed flag": _set("credentialSubject.identifier.0.hashed", False),
    "type list": _set("type", ["VerifiableCredential"]),
    "added validUntil": _set("validUntil", "2026-01-01T00:00:00Z"),
    "removed name": _delete("name"),
    "proof created": _set("proof.created", "2025-06-02T00:00:00Z"),
    "proof verification method": _set("proof.verificationMethod", "did:web:evil.example#key-1"),
}


@pytest.mark.parametrize("change", BADGE_TAMPERING.values(), ids=BADGE_TAMPERING.keys())
def test_any_change_breaks_the_signature(signed_badge: dict[str, Any], change) -> None:
    tampered = copy.deepcopy(signed_badge)
    change(tampered)
    assert verifies(tampered) is False


@pytest.mark.parametrize("name", SIGNED_VECTORS)
def test_published_vectors_fail_when_tampered(name: str) -> None:
    document = signed(name)
    document["name"] = document["name"] + "."
    assert verifies(document) is False


@pytest.mark.parametrize("name", SIGNED_VECTORS)
def test_a_flipped_signature_bit_fails(name: str) -> None:
    document = signed(name)
    signature = bytearray(decode_signature(document["proof"]["proofValue"]))
    signature[10] ^= 0x01
    document["proof"]["proofValue"] = encode_signature(bytes(signature))
    assert verifies(document) is False


@pytest.mark.parametrize("name", SIGNED_VECTORS)
def test_wrong_key_fails(name: str) -> None:
    other = bytes(nacl.signing.SigningKey(b"\x07" * 32).verify_key)
    assert verifies(signed(name), other) is False


def test_proof_from_another_document_fails(signed_badge: dict[str, Any]) -> None:
    other = sign(
        {**OPEN_BADGE, "name": "Something else"},
        SIGNING_KEY,
        verification_method="did:web:badges.example.edu#key-1",
        cryptosuite=signed_badge["proof"]["cryptosuite"],
        created="2025-06-01T00:00:00Z",
    )
    assert verify_signature(signed_badge, parse_proof(other), PUBLIC_KEY) is False


def test_jcs_document_context_must_start_with_the_proof_context() -> None:
    document = signed("eddsa-jcs-2022/signedJCS.json")
    document["@context"] = list(reversed(document["@context"]))
    assert verifies(document) is False
    document = signed("eddsa-jcs-2022/signedJCS.json")
    document["@context"] = document["@context"][:1]
    assert verifies(document) is False


def test_jcs_context_appended_after_signing_is_tolerated_as_the_spec_says() -> None:
    """Verify Proof (eddsa-jcs-2022) step 4 only requires the document to *start* with the
    proof's contexts and then hashes the document with the proof's @context."""
    document = signed("eddsa-jcs-2022/signedJCS.json")
    document["@context"].append("https://w3id.org/security/data-integrity/v2")
    assert verifies(document) is True


def test_jcs_proof_context_is_signed() -> None:
    document = signed("eddsa-jcs-2022/signedJCS.json")
    document["proof"]["@context"] = document["proof"]["@context"][:1]
    assert verifies(document) is False


def test_a_bad_public_key_is_an_error_not_a_verdict() -> None:
    document = signed("eddsa-rdfc-2022/signedDataInt.json")
    with pytest.raises(ProofError, match="32 raw Ed25519 bytes"):
        verify_signature(document, parse_proof(document), PUBLIC_KEY[:31])


# --- proofs this catalog refuses to read -------------------------------------------------------


REFUSED = {
    "no proof": ({"proof": None}, "has no proof"),
    "empty proof list": ({"proof": []}, "has no proof"),
    "two proofs": ({"proof": "two"}, "carries 2 proofs; this catalog supports exactly one"),
    "proof not an object": ({"proof": "z123"}, "not a JSON object"),
    "legacy proof type": ({"type": "Ed25519Signature2020"}, "type 'Ed25519Signature2020'"),
    "wrong cryptosuite": (
        {"cryptosuite": "eddsa-2022"},
        "The proof uses the cryptosuite 'eddsa-2022', which this catalog does not accept",
    ),
    "ecdsa cryptosuite": ({"cryptosuite": "ecdsa-rdfc-2019"}, "cryptosuite 'ecdsa-rdfc-2019'"),
    "authentication purpose": ({"proofPurpose": "authentication"}, "purpose 'authentication'"),
    "no verification method": ({"verificationMethod": ""}, "does not say which key"),
    "verification method object": ({"verificationMethod": {"id": "x"}}, "does not say which key"),
    "no proof value": ({"proofValue": 12}, "no signature value"),
    "base64 proof value": ({"proofValue": "u" + "A" * 86}, "must start with 'z'"),
    "invalid base58": ({"proofValue": "z0OIl" + "1" * 80}, "not allowed in base58btc"),
    "63-byte signature": ({"proofValue": "z" + "2" * 86}, "must be 64 bytes"),
    "65-byte signature": (
        {"proofValue": "z" + base58.b58encode(b"\x01" * 65).decode()},
        "must be 64 bytes",
    ),
    "impossible date": ({"created": "2023-02-30T00:00:00Z"}, "not a valid date and time"),
    "date with a space": ({"created": "2023-02-24 23:36:38Z"}, "not a valid date and time"),
    "words for a date": ({"created": "yesterday"}, "not a valid date and time"),
    "date as number": ({"created": 1677281798}, "not a valid date and time"),
}


@pytest.mark.parametrize(("change", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_malformed_proofs_are_refused_in_plain_words(change: dict[str, Any], message: str) -> None:
    document = signed("eddsa-rdfc-2022/signedDataInt.json")
    if "proof" in change:
        value = change["proof"]
        if value is None:
            del document["proof"]
        elif value == "two":
            document["proof"] = [document["proof"], document["proof"]]
        else:
            document["proof"] = value
    else:
        document["proof"].update(change)
    with pytest.raises(ProofError, match=re.escape(message)):
        parse_proof(document)


def test_a_single_proof_in_a_list_is_read() -> None:
    document = signed("eddsa-rdfc-2022/signedDataInt.json")
    proof = parse_proof(document)
    document["proof"] = [document["proof"]]
    assert parse_proof(document) == proof
    assert isinstance(proof, Proof)
    assert proof.signature == decode_signature(proof.proof_value)
    assert proof.raw["proofValue"] == proof.proof_value


def test_sign_refuses_bad_requests() -> None:
    unsigned = vector_json("eddsa-jcs-2022/unsigned.json")
    with pytest.raises(ProofError, match="cryptosuite 'eddsa-2022'"):
        sign(unsigned, SIGNING_KEY, verification_method=TEST_METHOD, cryptosuite="eddsa-2022")
    with pytest.raises(ProofError, match="not a valid XML Schema date"):
        sign(unsigned, SIGNING_KEY, verification_method=TEST_METHOD, created="2023-13-01T00:00:00Z")
    with pytest.raises(ProofError, match="already carries a proof"):
        sign(signed("eddsa-jcs-2022/signedJCS.json"), SIGNING_KEY, verification_method=TEST_METHOD)
    with pytest.raises(ProofError, match="not one this catalog accepts"):
        hash_data(unsigned, {}, "eddsa-2022")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2023-02-24T23:36:38Z", True),
        ("2023-02-24T23:36:38.123+05:30", True),
        ("2023-02-24T23:36:38", True),  # XML Schema makes the zone optional
        ("2024-02-29T00:00:00Z", True),
        ("2000-02-29T00:00:00Z", True),
        ("2023-02-24T24:00:00Z", True),
        ("-0044-03-15T12:00:00Z", True),
        ("2023-02-29T00:00:00Z", False),
        ("1900-02-29T00:00:00Z", False),
        ("2023-04-31T00:00:00Z", False),
        ("2023-02-24T24:00:01Z", False),
        ("2023-02-24T23:36:38+15:00", False),
        ("2023-02-24", False),
        ("2023-02-24T23:36:38Z\n", False),
        ("\uff12\uff10\uff12\uff13-02-24T23:36:38Z", False),  # full-width digits
        (None, False),
    ],
)
def test_xsd_datetime(value: object, valid: bool) -> None:
    assert is_xsd_datetime(value) is valid


# --- canonicalization must fail loudly ---------------------------------------------------------


def test_undefined_field_is_refused_not_silently_unsigned() -> None:
    """Without a definition the field would be dropped from the N-Quads: changing it later
    would not break the signature, so signing or verifying such a document is an error."""
    document = copy.deepcopy(OPEN_BADGE)
    document["credentialSubject"]["achievement"]["favouriteColour"] = "blue"
    with pytest.raises(ProofError, match=r"'favouriteColour'.*not be covered by the signature"):
        sign(document, SIGNING_KEY, verification_method=TEST_METHOD)
    badge = sign(OPEN_BADGE, SIGNING_KEY, verification_method=TEST_METHOD)
    badge["extraClaim"] = "added later"
    with pytest.raises(ProofError, match="'extraClaim'"):
        verifies(badge)


def test_relative_identifier_is_refused() -> None:
    """pyld would resolve it against http://example.org/base/ unless the base is null, and other
    processors drop it: either way the signed data would not be what the credential says."""
    document = copy.deepcopy(OPEN_BADGE)
    document["issuer"]["id"] = "example-university"
    with pytest.raises(ProofError, match=r"'example-university'.*not a full URL"):
        canonicalize(document, RDFC)
    with pytest.raises(ProofError, match=r"'key-1'.*not a full URL"):
        sign(OPEN_BADGE, SIGNING_KEY, verification_method="key-1")


def test_undefined_type_is_refused() -> None:
    document = copy.deepcopy(OPEN_BADGE)
    document["type"].append("MicroCredentialOfExcellence")
    with pytest.raises(ProofError, match="'MicroCredentialOfExcellence'"):
        canonicalize(document, RDFC)


def test_undefined_proof_field_is_refused() -> None:
    document = signed("eddsa-rdfc-2022/signedDataInt.json")
    document = {**document, "@context": [document["@context"][0]]}
    document["proof"] = {**document["proof"], "comment": "hello"}
    with pytest.raises(ProofError, match=r"The proof's data .* 'comment'"):
        verifies(document)


def test_document_without_context_cannot_use_rdfc() -> None:
    with pytest.raises(ProofError, match="has no '@context'"):
        hash_data({"name": "x"}, {"type": "DataIntegrityProof"}, RDFC)


def test_invalid_json_ld_is_an_error() -> None:
    document = copy.deepcopy(OPEN_BADGE)
    document["@context"].append(5)
    with pytest.raises(ProofError, match="not valid JSON-LD"):
        canonicalize(document, RDFC)


def test_jcs_refuses_numbers_it_cannot_represent() -> None:
    with pytest.raises(ProofError, match="canonical JSON form"):
        canonicalize({"n": float("nan")}, JCS)
    with pytest.raises(ProofError, match="canonical JSON form"):
        canonicalize({"n": 2**60}, JCS)


def _blank_node_clique(size: int) -> dict[str, Any]:
    ids = [f"_:n{i}" for i in range(size)]
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "@graph": [{"@id": i, "knows": [{"@id": j} for j in ids if j != i]} for i in ids],
    }


def test_small_look_alike_blank_nodes_still_canonicalize() -> None:
    assert canonicalize(_blank_node_clique(4), RDFC).count(b"\n") == 12


@pytest.mark.parametrize("size", [7, 12])
def test_dataset_poisoning_is_stopped(size: int) -> None:
    with pytest.raises(ProofError, match="unreasonable amount of work"):
        canonicalize(_blank_node_clique(size), RDFC)


# --- the bundled contexts and the loader -------------------------------------------------------


@pytest.mark.parametrize("url", PUBLISHED_CONTEXT_SHA256)
def test_bundled_context_matches_the_digest_its_spec_publishes(url: str) -> None:
    digest = hashlib.sha256(context_files()[url].read_bytes()).hexdigest()
    assert digest == PUBLISHED_CONTEXT_SHA256[url]


def test_every_bundled_context_is_listed_with_its_digest_in_the_readme() -> None:
    readme = (contexts.CONTEXTS_DIR / "README.md").read_text()
    files = context_files()
    assert set(files) == set(CONTEXT_URLS)
    assert sorted(path.name for path in files.values()) == sorted(
        path.name for path in contexts.CONTEXTS_DIR.glob("*.json")
    )
    for url, path in files.items():
        assert url in readme
        assert path.name in readme
        assert hashlib.sha256(path.read_bytes()).hexdigest() in readme


@pytest.mark.parametrize("url", CONTEXT_URLS)
def test_loader_serves_bundled_contexts(url: str) -> None:
    remote = document_loader(url, {})
    assert remote == {"contextUrl": None, "documentUrl": url, "document": load_context(url)}
    assert "@context" in remote["document"]


def test_loaded_contexts_are_independent_copies() -> None:
    url = "https://www.w3.org/ns/credentials/v2"
    load_context(url)["@context"]["name"] = "https://evil.example/name"
    assert load_context(url)["@context"]["name"] == "https://schema.org/name"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/my-context.jsonld",
        "http://www.w3.org/ns/credentials/v2",  # same document over http is still refused
        "https://www.w3.org/ns/credentials/v2/",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "https://www.w3.org/2018/credentials/v1",
    ],
)
def test_loader_refuses_other_urls(url: str) -> None:
    with pytest.raises(UnknownContextError) as caught:
        document_loader(url)
    assert caught.value.url == url
    assert "never fetched" in str(caught.value)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any socket use fails the test, and pyld's own default loader is booby-trapped."""
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(repr(args))
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    def poisoned_loader(url: str, options: Any = None) -> dict[str, Any]:
        attempts.append(url)
        evil = {"@context": {"@vocab": "https://evil.example/#", "name": "https://evil.example/n"}}
        return {"contextUrl": None, "documentUrl": url, "document": evil}

    monkeypatch.setattr(jsonld, "_default_document_loader", poisoned_loader)
    return attempts


def test_unknown_context_is_refused_without_any_fetch(no_network: list[str]) -> None:
    document = copy.deepcopy(OPEN_BADGE)
    document["@context"].append("https://contexts.example.org/badge-extras.jsonld")
    with pytest.raises(ProofError, match=r"badge-extras\.jsonld'.*does not ship"):
        sign(document, SIGNING_KEY, verification_method=TEST_METHOD)
    document = signed("eddsa-rdfc-2022/signedDataInt.json")
    document["@context"][1] = "https://www.w3.org/2018/credentials/examples/v1"
    with pytest.raises(ProofError, match="never fetched from the network"):
        verifies(document)
    assert no_network == []


def test_pyld_defaults_cannot_stand_in_for_the_bundled_contexts(no_network: list[str]) -> None:
    document = vector_json("eddsa-rdfc-2022/unsigned.json")
    expected = vector_text("eddsa-rdfc-2022/docHashDataInt.txt")
    assert hashlib.sha256(canonicalize(document, RDFC)).hexdigest() == expected
    assert verifies(signed("eddsa-rdfc-2022/signedDataInt.json"))
    assert no_network == []


def test_pyld_process_wide_context_cache_is_not_consulted(monkeypatch: pytest.MonkeyPatch):
    """Anything else in the process using pyld fills one shared cache of resolved contexts;
    a 'static' entry there would be used without asking any loader. Ours must not be."""
    from pyld.resolved_context import ResolvedContext

    evil = ResolvedContext({"@vocab": "https://evil.example/#"})
    poisoned = {"https://www.w3.org/ns/credentials/examples/v2": {"static": [evil]}}
    monkeypatch.setattr(jsonld, "_resolved_context_cache", poisoned)
    canonical = canonicalize(vector_json("eddsa-rdfc-2022/unsigned.json"), RDFC)
    assert canonical == vector_bytes("eddsa-rdfc-2022/canonDocDataInt.txt")


# --- Multikey ----------------------------------------------------------------------------------


def test_multikey_round_trips() -> None:
    for seed in (b"\x00" * 32, b"\xff" * 32, bytes(range(32))):
        key = nacl.signing.SigningKey(seed)
        public = encode_public_key(bytes(key.verify_key))
        secret = encode_secret_key(seed)
        assert public.startswith("z6Mk")
        assert secret.startswith("z3u2")
        assert decode_public_key(public) == bytes(key.verify_key)
        assert decode_secret_key(secret) == seed
        signature = key.sign(b"message").signature
        assert decode_signature(encode_signature(signature)) == signature
    assert encode_public_key(PUBLIC_KEY) == KEY_PAIR["publicKeyMultibase"]
    assert encode_secret_key(bytes(SIGNING_KEY)) == KEY_PAIR["privateKeyMultibase"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (KEY_PAIR["privateKeyMultibase"], "not an Ed25519 public key"),  # a secret key
        ("z" + "1" * 40, "not an Ed25519 public key"),
        ("zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "not an Ed25519 public key"),
        ("f" + "ed01" + "00" * 32, "must start with 'z'"),
        ("z6Mk0OIl", "not allowed in base58btc"),
        ("", "must start with 'z'"),
        ("z" + base58.b58encode(b"\xed\x01" + PUBLIC_KEY[:31]).decode(), "must be 32 bytes"),
        (encode_public_key(PUBLIC_KEY)[:1] + "2" + encode_public_key(PUBLIC_KEY)[1:], "type"),
    ],
)
def test_public_key_decoding_refuses_anything_else(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_public_key(value)


def test_public_key_with_extra_bytes_is_refused() -> None:
    value = "z" + base58.b58encode(b"\xed\x01" + PUBLIC_KEY + b"\x00").decode()
    with pytest.raises(ValueError, match="must be 32 bytes long, but it is 33"):
        decode_public_key(value)


def test_secret_key_decoding_refuses_a_public_key() -> None:
    with pytest.raises(ValueError, match="not an Ed25519 secret key"):
        decode_secret_key(KEY_PAIR["publicKeyMultibase"])


@pytest.mark.parametrize("length", [0, 31, 33])
def test_encoders_refuse_wrong_lengths(length: int) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        encode_public_key(b"\x01" * length)
    with pytest.raises(ValueError, match="32 bytes"):
        encode_secret_key(b"\x01" * length)
    with pytest.raises(ValueError, match="64 bytes"):
        encode_signature(b"\x01" * length)


def test_signature_decoding_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a text value"):
        decode_signature(b"z123")  # type: ignore[arg-type]


def test_bundled_contexts_are_processed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The general path re-processed the same pinned contexts for every document (most of the
    time a verification took); once processed, they are reused."""
    from site_builder.credentials import proofs

    document = vector_json("eddsa-rdfc-2022/employ/employmentAuth.json")
    expected = vector_bytes("eddsa-rdfc-2022/employ/canonDocDataInt.txt")
    assert proofs._canonical_nquads(proofs._to_dataset(document, "credential")).encode() == (
        expected)
    defined: list[str] = []
    original = jsonld.JsonLdProcessor._create_term_definition

    def counted(self: Any, active_ctx: Any, local_ctx: Any, term: str, *args: Any,
                **kwargs: Any) -> Any:
        defined.append(term)
        return original(self, active_ctx, local_ctx, term, *args, **kwargs)

    monkeypatch.setattr(jsonld.JsonLdProcessor, "_create_term_definition", counted)
    assert proofs._canonical_nquads(proofs._to_dataset(document, "credential")).encode() == (
        expected)
    assert defined == []
    # A context of the document's own is processed afresh, every time.
    own = {**document, "@context": [*document["@context"], {"extra": "https://x.example/e"}]}
    proofs._to_dataset(own, "credential")
    assert "extra" in defined
