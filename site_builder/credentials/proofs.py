"""W3C Data Integrity EdDSA proofs: eddsa-rdfc-2022 and eddsa-jcs-2022 (Recommendation, May 2025).

Both suites sign the same 64 bytes, SHA-256(canonical proof configuration) followed by
SHA-256(canonical document), with pure Ed25519. They differ only in how "canonical" is reached:
RDF Dataset Canonicalization of the JSON-LD (eddsa-rdfc-2022, the one Open Badges validators and
wallets accept) or the JSON Canonicalization Scheme (eddsa-jcs-2022).

Canonicalization is where a verifier can be fooled, so this module is strict about it:
contexts come only from the bundled copies (`site_builder.credentials.contexts`), through a
context cache of its own so nothing another part of the process loaded can stand in for them;
any field or IRI that JSON-LD processing would silently drop is an error (it would not be
covered by the signature); the RDF canonicalization has a work limit against "dataset
poisoning"; and every failure is a `ProofError`, never a quiet "valid".

Speed comes from not repeating work, never from doing less checking: the active contexts
processed from the bundled files are kept for the process (`_ProcessedContexts`), and a
document shaped like an earlier one takes the template path of `site_builder.credentials.rdfc`,
which falls back to the strict pyld path here for anything it cannot prove the same.

Resolving the verification method to a key (and checking it belongs to the issuer) is the
caller's job: `verify_signature` takes the raw public key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.signing
import rfc8785
from frozendict import frozendict
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

from site_builder.credentials.contexts import CONTEXT_URLS, UnknownContextError, document_loader
from site_builder.credentials.rdfc import ABSOLUTE_IRI, Templates
from site_builder.dates import is_xsd_datetime, now, xsd
from site_builder.errors import CredcatError
from site_builder.multikey import decode_signature, encode_signature

RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
CRYPTOSUITES = (RDFC, JCS)
PROOF_TYPE = "DataIntegrityProof"
PROOF_PURPOSE = "assertionMethod"

# Dataset-poisoning limits. Blank nodes that look alike make RDFC-1.0 try permutations of them,
# and a crafted document can make that exponential. Real credentials give each blank node
# distinct content, so they stay far below these numbers; 8 look-alikes already means 8!
# orderings to try.
_MAX_LOOK_ALIKE_BLANK_NODES = 8
_MAX_N_DEGREE_HASHES = 2000



class ProofError(CredcatError, ValueError):
    """The proof cannot be checked; the message says why in words a learner or employer follows.

    `reason` and `params` are the verifier spec's code for it (site_builder/credentials/
    verifier.json); anything that stops canonicalization is `not-canonicalizable`.
    """

    def __init__(self, message: str, reason: str = "not-canonicalizable",
                 **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Proof:
    """One embedded Data Integrity proof, already checked for shape by `parse_proof`."""

    type: str
    cryptosuite: str
    created: str | None
    verification_method: str
    proof_purpose: str
    proof_value: str
    signature: bytes
    raw: dict[str, Any]


def _show(value: Any) -> str:
    """A JSON value as the browser's JSON.stringify writes it, for messages."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parse_proof(document: dict[str, Any]) -> Proof:
    """Check the single embedded proof has the only shape this catalog accepts, and decode it."""
    if not isinstance(document, dict):
        raise ProofError("The credential is not a JSON object, so it has no proof to check.")
    found = document.get("proof")
    if isinstance(found, list):
        if len(found) > 1:
            raise ProofError(
                f"The credential carries {len(found)} proofs; this catalog supports exactly one "
                "proof per credential.", "several-proofs", count=len(found)
            )
        found = found[0] if found else None
    if found is None:
        raise ProofError("The credential has no proof (signature), so it cannot be verified.",
                         "no-proof")
    if not isinstance(found, dict):
        raise ProofError("The credential's proof is not a JSON object, so it cannot be read.",
                         "proof-not-object")

    proof_type = found.get("type")
    if proof_type != PROOF_TYPE:
        raise ProofError(
            f"The proof is of type {proof_type!r}; this catalog only accepts {PROOF_TYPE!r} "
            "proofs.", "proof-type", value=_show(proof_type)
        )
    cryptosuite = found.get("cryptosuite")
    if cryptosuite not in CRYPTOSUITES:
        raise ProofError(
            f"The proof uses the cryptosuite {cryptosuite!r}, which this catalog does not accept "
            f"(accepted: {', '.join(CRYPTOSUITES)}).", "unsupported-cryptosuite",
            value=_show(cryptosuite)
        )
    purpose = found.get("proofPurpose")
    if purpose != PROOF_PURPOSE:
        raise ProofError(
            f"The proof was made for the purpose {purpose!r}, but a credential must be signed for "
            f"{PROOF_PURPOSE!r} (the issuer asserting the credential is true).",
            "wrong-proof-purpose", value=_show(purpose)
        )
    method = found.get("verificationMethod")
    if not isinstance(method, str) or not method:
        raise ProofError(
            "The proof does not say which key signed it (its 'verificationMethod' must be a URL).",
            "no-verification-method"
        )
    created = found.get("created")
    if created is not None and not is_xsd_datetime(created):
        raise ProofError(
            f"The proof's creation time {created!r} is not a valid date and time "
            "(expected a form like 2025-05-15T09:30:00Z).", "bad-created", value=_show(created)
        )
    proof_value = found.get("proofValue")
    if not isinstance(proof_value, str):
        raise ProofError("The proof has no signature value ('proofValue' must be text).",
                         "no-proof-value")
    try:
        signature = decode_signature(proof_value)
    except ValueError as err:
        raise ProofError(f"The proof's signature value is unreadable. {err}",
                         "bad-proof-value") from err
    return Proof(
        type=proof_type,
        cryptosuite=cryptosuite,
        created=created,
        verification_method=method,
        proof_purpose=purpose,
        proof_value=proof_value,
        signature=signature,
        raw=found,
    )


def canonicalize(value: dict[str, Any], cryptosuite: str, *, what: str = "document") -> bytes:
    """The exact bytes a suite hashes for one JSON object: N-Quads for RDFC, JSON for JCS.

    `what` names the object ("credential", "proof") in error messages a person will read.
    """
    if cryptosuite == RDFC:
        return _rdfc(value, what)
    if cryptosuite == JCS:
        return _jcs(value, what)
    raise ProofError(
        f"The cryptosuite {cryptosuite!r} is not one this catalog accepts "
        f"(accepted: {', '.join(CRYPTOSUITES)})."
    )


def hash_data(document: dict[str, Any], proof_config: dict[str, Any], cryptosuite: str) -> bytes:
    """The 64 bytes an EdDSA Data Integrity signature covers: SHA-256(config) || SHA-256(doc).

    `document` is hashed without any `proof` member and `proof_config` without any `proofValue`,
    so a signed document and its proof can be passed as they are. For eddsa-rdfc-2022 the
    document's `@context` is given to the config for canonicalization (the emitted proof does not
    repeat it); for eddsa-jcs-2022 the config is hashed exactly as given, since the proof itself
    carries its `@context`.
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in proof_config.items() if key != "proofValue"}
    if cryptosuite == RDFC:
        if "@context" not in unsecured:
            raise ProofError(
                "The credential has no '@context', so its data cannot be put into the canonical "
                f"form an {RDFC} signature covers."
            )
        config["@context"] = unsecured["@context"]
    config_bytes = canonicalize(config, cryptosuite, what="proof")
    document_bytes = canonicalize(unsecured, cryptosuite, what="credential")
    return hashlib.sha256(config_bytes).digest() + hashlib.sha256(document_bytes).digest()


def sign(
    document: dict[str, Any],
    signing_key: nacl.signing.SigningKey,
    *,
    verification_method: str,
    cryptosuite: str = RDFC,
    created: str | None = None,
) -> dict[str, Any]:
    """Return a copy of `document` with an embedded proof; the input is left untouched.

    eddsa-rdfc-2022 is the default because it is the suite Open Badges validators and wallets
    accept. `created` defaults to now (UTC, whole seconds); pass it to get reproducible output.
    """
    if cryptosuite not in CRYPTOSUITES:
        raise ProofError(
            f"Cannot sign with the cryptosuite {cryptosuite!r}; use one of "
            f"{', '.join(CRYPTOSUITES)}."
        )
    if "proof" in document:
        raise ProofError(
            "The document already carries a proof; this catalog signs each credential once."
        )
    if created is None:
        created = xsd(now())
    elif not is_xsd_datetime(created):
        raise ProofError(f"{created!r} is not a valid XML Schema date and time for 'created'.")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": cryptosuite,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    if cryptosuite == JCS and "@context" in document:
        proof["@context"] = _copy_json(document["@context"])
    signature = signing_key.sign(hash_data(document, proof, cryptosuite)).signature
    proof["proofValue"] = encode_signature(signature)
    signed = _copy_json(document)
    signed["proof"] = proof
    return signed


def _copy_json(value: Any) -> Any:
    """A copy of a JSON value: new dicts and lists, shared strings and numbers (immutable).

    `copy.deepcopy` did the same with a memo of every object, a fifth of the time an issuing
    run spent per credential once canonicalization was fast.
    """
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


def verify_signature(document: dict[str, Any], proof: Proof, public_key: bytes) -> bool:
    """True only if `proof` is a valid signature by `public_key` over `document` as it stands.

    False means the data or the proof was changed after signing, or another key signed it.
    Anything that prevents checking at all (unknown context, invalid JSON-LD, a bad key) raises
    `ProofError` instead, so that "could not check" is never mistaken for either answer.
    """
    try:
        verify_key = nacl.signing.VerifyKey(public_key)
    except (TypeError, ValueError) as err:
        raise ProofError("The public key must be 32 raw Ed25519 bytes.") from err
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof.raw.items() if key != "proofValue"}
    if proof.cryptosuite == JCS and "@context" in options:
        # The proof's @context is part of what was signed; the document must still begin with
        # it, in order, or a context could have been swapped in front of the signed ones.
        required = _as_list(options["@context"])
        if _as_list(unsecured.get("@context"))[: len(required)] != required:
            return False
        unsecured["@context"] = options["@context"]
    data = hash_data(unsecured, options, proof.cryptosuite)
    try:
        verify_key.verify(data, proof.signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _jcs(value: dict[str, Any], what: str) -> bytes:
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as err:
        raise ProofError(
            f"The {what} could not be put into canonical JSON form, so its signature cannot be "
            f"checked: {err}.", detail=str(err)
        ) from err


class _DataLossError(CredcatError):
    """Raised from inside pyld when JSON-LD processing would silently discard part of the input."""


class _PoisonedDatasetError(CredcatError):
    """Raised when canonicalization would take far more work than any honest credential needs."""


class _BoundedURDNA2015(URDNA2015):
    """RDFC-1.0 (URDNA2015) with a work limit, as the EdDSA Recommendation asks of verifiers."""

    def __init__(self) -> None:
        super().__init__()
        self._n_degree_hashes = 0

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._n_degree_hashes += 1
        if self._n_degree_hashes > _MAX_N_DEGREE_HASHES:
            raise _PoisonedDatasetError
        return super().hash_n_degree_quads(id_, issuer)

    def create_hash_to_related(self, id_: str, issuer: Any) -> Any:
        related = super().create_hash_to_related(id_, issuer)
        if any(len(nodes) > _MAX_LOOK_ALIKE_BLANK_NODES for nodes in related.values()):
            raise _PoisonedDatasetError
        return related


class _BundledContextCache(dict[str, Any]):
    """pyld's resolved-context cache, restricted to the bundled context URLs.

    pyld would otherwise use one process-wide cache that any other caller could fill (with
    contexts from anywhere). Inline contexts are not kept: they come from the document being
    checked, and remembering them would let a stream of documents grow memory without bound.
    """

    def __setitem__(self, key: str, value: Any) -> None:
        if key in CONTEXT_URLS:
            super().__setitem__(key, value)


_context_cache = _BundledContextCache()


class _ProcessedContexts:
    """Active contexts already computed from the bundled contexts, kept for the whole process.

    pyld keeps processed contexts too, but keyed by a fresh identifier on every clone, and a
    type-scoped context (every Open Badges type has one) is always processed on a fresh clone,
    so its cache never hits: each document re-processed the same pinned contexts, which was
    most of the time verification took. Here a result is keyed by the identity of its inputs,
    and only inputs that cannot differ between documents are accepted: the initial context or
    a result kept here, and a local context that is a bundled URL or an object inside a bundled
    file (held here, so its identity cannot be reused). Anything a document brings itself is
    processed afresh, so no document can change what another one expands to, and the number of
    entries is bounded by what the bundled files define.
    """

    _LIMIT = 4096

    def __init__(self) -> None:
        self._pinned: dict[int, Any] = {}
        self._results: dict[tuple[Any, ...], Any] = {}
        self._derived: set[int] = set()

    def pin(self, document: Any) -> None:
        """Register the context objects of a freshly loaded bundled file (kept alive here)."""
        if isinstance(document, dict):
            for key, value in document.items():
                if key == "@context":
                    for item in _as_list(value):
                        if isinstance(item, dict):
                            self._pinned[id(item)] = item
                self.pin(value)
        elif isinstance(document, list):
            for item in document:
                self.pin(item)

    def key(self, active_ctx: Any, local_ctx: Any,
            flags: tuple[bool, ...]) -> tuple[Any, ...] | None:
        """The cache key for processing `local_ctx` on `active_ctx`, or None if not cacheable."""
        if active_ctx is not _INITIAL_CONTEXT and id(active_ctx) not in self._derived:
            return None
        parts = []
        for item in local_ctx if isinstance(local_ctx, list) else [local_ctx]:
            if isinstance(item, str) and item in CONTEXT_URLS:
                parts.append(item)
            elif isinstance(item, dict) and self._pinned.get(id(item)) is item:
                parts.append(id(item))
            else:
                return None
        return (id(active_ctx), isinstance(local_ctx, list), *parts, *flags)

    def get(self, key: tuple[Any, ...]) -> Any:
        return self._results.get(key)

    def put(self, key: tuple[Any, ...], result: Any) -> None:
        # Only frozen results: pyld never changes those, so one object can serve every caller.
        if isinstance(result, frozendict) and len(self._results) < self._LIMIT:
            self._results[key] = result
            self._derived.add(id(result))


_processed_contexts = _ProcessedContexts()
_INITIAL_CONTEXT = JsonLdProcessor()._get_initial_context({"processingMode": "json-ld-1.1"})


def _static_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    # The bundled files never change while the process runs, which is what pyld's 'static'
    # tag promises; it lets the resolved context be reused instead of rebuilt on every call.
    loaded = {**document_loader(url, options), "tag": "static"}
    _processed_contexts.pin(loaded["document"])
    return loaded


class _StrictJsonLdProcessor(JsonLdProcessor):
    """pyld, made to refuse input it would otherwise silently leave out of the RDF.

    Whatever is dropped on the way to N-Quads is not covered by the signature, so it could be
    changed afterwards without breaking it: a field the contexts do not define, or a relative
    IRI (pyld would even resolve one against http://example.org/base/ unless the base is null,
    while other processors drop it). The Data Integrity Recommendation requires an error here.
    """

    def __init__(self, what: str) -> None:
        super().__init__(on_property_dropped=self._refuse_dropped_property)
        self.what = what

    def _refuse_dropped_property(self, expanded_property: str | None) -> None:
        field = f"the field {expanded_property!r}" if expanded_property else "a field"
        raise _DataLossError(
            f"the {self.what} contains {field}, which its JSON-LD vocabulary does not define, so "
            "it would not be covered by the signature"
        )

    def _process_context(self, active_ctx: Any, local_ctx: Any, options: dict[str, Any],
                         override_protected: bool = False, propagate: bool = True,
                         validate_scoped: bool = True, cycles: Any = None) -> Any:
        key = _processed_contexts.key(active_ctx, local_ctx,
                                      (override_protected, propagate, validate_scoped))
        if key is not None and (cached := _processed_contexts.get(key)) is not None:
            return cached
        result = super()._process_context(active_ctx, local_ctx, options, override_protected,
                                          propagate, validate_scoped, cycles)
        if key is not None:
            _processed_contexts.put(key, result)
        return result

    def expand(self, input_: Any, options: dict[str, Any]) -> Any:
        expanded = super().expand(input_, options)
        self._refuse_relative_iris(expanded)
        return expanded

    def _refuse_relative_iris(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self._refuse_relative_iris(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@id", "@type"):
                    for iri in _as_list(value):
                        if iri != "@json" and not ABSOLUTE_IRI.fullmatch(iri):
                            raise _DataLossError(
                                f"the {self.what} uses {iri!r} as an identifier or type, but it "
                                "is not a full URL and is not defined by its JSON-LD vocabulary, "
                                "so it would not be covered by the signature"
                            )
                elif key != "@value":
                    self._refuse_relative_iris(value)


def _to_dataset(value: dict[str, Any], what: str) -> Any:
    """pyld's RDF dataset of a JSON-LD object, refusing whatever would be left out of it."""
    options = {
        "base": None,
        "documentLoader": _static_loader,
        "contextResolver": ContextResolver(_context_cache, _static_loader),
    }
    return _StrictJsonLdProcessor(what).to_rdf(value, options)


def _canonical_nquads(dataset: Any) -> str:
    return _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})


_templates = Templates(_canonical_nquads)


def _rdfc(value: dict[str, Any], what: str) -> bytes:
    """RDFC-1.0 canonical N-Quads (UTF-8, trailing newline included) of a JSON-LD object.

    Documents shaped like earlier ones take the template path (`site_builder.credentials.rdfc`),
    which falls back to pyld and the bounded canonicalizer above for anything else.
    """
    try:
        # Inside the guard: a lone surrogate (e.g. "\ud800") has no UTF-8 form.
        return _templates.canonicalize(value, lambda document: _to_dataset(document, what))
    # Any failure here means the signature cannot be checked; none may pass for "valid".
    except Exception as err:
        explained = _explain(err, what)
        raise ProofError(
            f"The {what}'s data could not be put into canonical form, so its signature cannot "
            f"be checked: {explained}.", detail=explained
        ) from err


def _explain(err: BaseException, what: str) -> str:
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for item in chain:
        if isinstance(item, UnknownContextError):
            return (
                f"it uses the JSON-LD context {item.url!r}, which this catalog does not ship "
                "(contexts are never fetched from the network)"
            )
        if isinstance(item, _DataLossError):
            return str(item)
        if isinstance(item, _PoisonedDatasetError):
            return (
                f"the {what} is built so that canonicalizing it would take an unreasonable "
                "amount of work, which is how some attacks look"
            )
    innermost = [item for item in chain if isinstance(item, JsonLdError)]
    if innermost:
        detail = innermost[-1].code or innermost[-1].args[0]
        return f"it is not valid JSON-LD ({detail})"
    return f"unexpected error ({type(err).__name__}: {err})"
