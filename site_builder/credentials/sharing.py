"""What a learner gets to show a credential with, besides the file: an "Add to LinkedIn
profile" link, a QR code that opens the verification, and a printable certificate.

- LinkedIn's add-to-profile address (https://addtoprofile.linkedin.com/) takes the
  certification's fields as query parameters: `startTask=CERTIFICATION_NAME`, `name`,
  `organizationName` (or `organizationId`, LinkedIn's number for the organization page),
  `issueYear`/`issueMonth`, `expirationYear`/`expirationMonth`, `certUrl`, `certId`. No API
  key: the member confirms on LinkedIn. The /verify/ page builds the same address in
  templates/theme/js/verify/share.js.
- The QR code (ISO/IEC 18004, made with `segno`) carries a /verify/ link. The full link
  (`#vc=`, the whole credential, see issuing.verification_link) needs a QR code of about
  version 37 for a typical credential, too dense to scan from paper reliably, and too large
  for any QR code once a credential carries long text. So the QR code carries the short link
  instead: `#vcs=` with the credential minus its achievement, which the catalog publishes
  in the page at the achievement's id (contract.PATHS["achievement"]), plus the SHA-256 of
  that achievement (RFC 8785 canonical JSON). The page fetches the published achievement, puts
  it back only if its hash matches, and verifies the signature over the whole credential as
  usual; if the catalog entry changed since, it says the short link can no longer be checked
  and asks for the file or the full link, never "forged". docs/guides/issuers.md describes
  the route.
- The certificate is one self-contained HTML file (no script, nothing loaded from elsewhere)
  that prints on one A4 or Letter page: learner, credential, issuer, date, key facts and the
  QR code.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus, urlencode

import rfc8785
import segno

from site_builder.catalog.model import Credential
from site_builder.credentials.issuing import verification_link
from site_builder.urls import VERIFY, Site, page_path

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
# Error correction M (15 % of the code can be damaged) suits print; L only when M cannot fit.
QR_ERRORS = ("m", "l")
# The certificate loads nothing and runs nothing: its only style is its own.
CERTIFICATE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class SharingError(Exception):
    """Why a learner's sharing material cannot be made, in words that say what to do."""


def _moment(value: str | datetime | None) -> datetime | None:
    """A credential date-time in UTC (as the verify page shows dates), or None."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(
        value.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment


# Runs of the characters `quote_plus` leaves as they are (its "always safe" set).
_UNQUOTED_RUN = re.compile(r"([A-Za-z0-9_.~-]+)")


def _quote_plus(text: str, safe: str = "", encoding: str | None = None,
                errors: str | None = None) -> str:
    """`quote_plus(text)`, run by run: as fast for a long link as for a short name.

    `quote_plus` returns a string it need not change at C speed, but one that needs a single
    change goes through Python byte by byte: the LinkedIn link's `certUrl` (the whole
    credential, in its verification link) took a quarter of a roster row's time. Quoting works
    character by character, so quoting the runs apart gives the same text.
    """
    if len(text) < 200:  # a name or a date: splitting costs more than it saves
        return quote_plus(text, safe, encoding, errors)
    parts = _UNQUOTED_RUN.split(text)  # runs to quote at even places, unquoted ones at odd
    parts[::2] = [quote_plus(part, safe, encoding, errors) for part in parts[::2]]
    return "".join(parts)


def linkedin_url(*, name: str, organization: str, issued: str | datetime,
                 expires: str | datetime | None, cert_url: str, cert_id: str,
                 organization_id: str | None = None) -> str:
    """LinkedIn's add-to-profile address with the certification's fields filled in.

    Dates are the credential's validFrom / validUntil (month and year in UTC, as the
    verify page shows them).
    """
    fields: list[tuple[str, str]] = [("startTask", "CERTIFICATION_NAME"), ("name", name)]
    fields.append(("organizationId", organization_id) if organization_id
                  else ("organizationName", organization))
    for prefix, value in (("issue", issued), ("expiration", expires)):
        moment = _moment(value)
        if moment is not None:
            fields += [(f"{prefix}Year", str(moment.year)), (f"{prefix}Month", str(moment.month))]
    fields += [("certUrl", cert_url), ("certId", cert_id)]
    return f"{LINKEDIN_ADD}?{urlencode(fields, quote_via=_quote_plus)}"


def _pack(value: Any) -> str:
    packed = gzip.compress(json.dumps(value, separators=(",", ":")).encode(), mtime=0)
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def achievement_hash(achievement: dict[str, Any]) -> str:
    """Hex SHA-256 of the achievement's RFC 8785 canonical JSON (the short link's check)."""
    return hashlib.sha256(rfc8785.dumps(achievement)).hexdigest()


def short_link(site: Site, document: dict[str, Any]) -> str:
    """The /verify/#vcs= link: the credential with its achievement replaced by a reference."""
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    reference = {"id": achievement["id"], "sha256": achievement_hash(achievement)}
    short = {**document, "credentialSubject": {**subject, "achievement": reference}}
    return site.absolute(page_path(VERIFY)) + "#vcs=" + _pack(short)


def qr_code(link: str) -> segno.QRCode:
    """The QR code of `link` at the strongest error correction that fits."""
    for error in QR_ERRORS:
        try:
            return segno.make_qr(link, error=error, boost_error=False)
        except segno.DataOverflowError:
            continue
    raise SharingError(f"the verification link is {len(link)} characters, more than a QR code "
                       "holds; shorten the credential's description or criteria in the catalog")


def qr_link(site: Site, document: dict[str, Any]) -> str:
    """The link the certificate's QR code carries (the short link; see the module's notes)."""
    return short_link(site, document)


def qr_svg(link: str) -> str:
    """The QR code as an SVG element (no XML declaration), to put inside HTML."""
    # Two pixels a module on screen (what a camera or a screenshot needs); print sets its size.
    return qr_code(link).svg_inline(scale=2, border=4, title="QR code: verify this credential")


def _date(value: str | None) -> str:
    moment = _moment(value)
    return "" if moment is None else f"{moment.day} {moment:%B %Y}"


def certificate_html(*, document: dict[str, Any], learner: str, credential_name: str,
                     issuer_name: str, facts: list[tuple[str, str]], link: str,
                     qr_target: str) -> str:
    """A printable certificate as one HTML file; every value from data is escaped."""
    e = html.escape
    rows = "".join(f"<div><dt>{e(term)}</dt><dd>{e(value)}</dd></div>"
                   for term, value in facts if value)
    until = document.get("validUntil")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CERTIFICATE_CSP}">
<title>Certificate: {e(credential_name)} awarded to {e(learner)}</title>
<style>
  @page {{ size: A4; margin: 15mm; }}
  body {{ font-family: Georgia, serif; color: #111; max-width: 180mm; margin: 0 auto; }}
  .certificate {{ border: 3px double #333; padding: 12mm; text-align: center; }}
  h1 {{ font-size: 1.6rem; letter-spacing: .08em; text-transform: uppercase; }}
  .learner {{ font-size: 2rem; margin: .5rem 0; }}
  .credential {{ font-size: 1.4rem; font-weight: bold; }}
  dl {{ text-align: left; display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }}
  dl div {{ display: contents; }} dt {{ font-weight: bold; }} dd {{ margin: 0; }}
  @media print {{ .qr svg {{ width: 60mm; height: 60mm; }} }}
  .verify {{ font-size: .8rem; word-break: break-all; text-align: left; }}
</style>
</head>
<body>
<main class="certificate">
  <h1>Certificate</h1>
  <p>This certifies that</p>
  <p class="learner">{e(learner)}</p>
  <p>was awarded</p>
  <p class="credential">{e(credential_name)}</p>
  <p>by {e(issuer_name)} on {e(_date(document.get("validFrom")))}{
      f", valid until {e(_date(until))}" if until else ""}.</p>
  <dl>{rows}</dl>
  <figure class="qr">{qr_svg(qr_target)}
    <figcaption>Scan to verify, or choose a photo of this page on the catalog's verify page.
    </figcaption></figure>
  <p class="verify">Verify online: <a href="{e(link)}">{e(link[:80])}…</a></p>
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class LearnerMaterial:
    """What `credcat issue` writes for one learner besides the credential file."""

    link: str  # the full verification link (issuing.verification_link)
    linkedin: str
    certificate: str | None  # None when the issuer asked for none


def learner_material(site: Site, credential: Credential, document: dict[str, Any],
                     learner: str, *, certificate: bool = True) -> LearnerMaterial:
    """The LinkedIn link and, unless `certificate` is false, the certificate for one signed
    credential (its QR code is most of the time a roster takes: `credcat issue
    --no-certificates` skips it).

    The LinkedIn `certUrl` is the full verification link (it opens the page with the whole
    credential); the certificate's QR code carries the short link (see the module's notes).
    """
    link = verification_link(site, document)
    issuer = credential.issuer
    linkedin = linkedin_url(name=credential.name, organization=issuer.name,
                            organization_id=issuer.linkedin_organization_id,
                            issued=document["validFrom"], expires=document.get("validUntil"),
                            cert_url=link, cert_id=document["id"])
    if not certificate:
        return LearnerMaterial(link, linkedin, None)
    facts = [("What it certifies", credential.summary),
             ("Skills", ", ".join(skill.name for skill in credential.skills)),
             ("Catalog entry", site.absolute(page_path("credentials", credential.id))),
             ("Credential id", document["id"])]
    return LearnerMaterial(link, linkedin, certificate_html(
        document=document, learner=learner, credential_name=credential.name,
        issuer_name=issuer.name, facts=facts, link=link, qr_target=qr_link(site, document)))
