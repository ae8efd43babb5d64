"""Baked badges: credentials carried inside PNG and SVG badge images (OB 3.0)."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest

from site_builder.credentials import baking
from site_builder.publishing.project import Project

from .conftest import REPO, run_credcat

CREDENTIAL = json.dumps({"name": "Tricky ]]> </openbadges:credential> <script>", "n": 1})


def tiny_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (baking.PNG_SIGNATURE + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def test_png_round_trip_and_rebake_replaces_the_chunk() -> None:
    baked = baking.bake_png(tiny_png(), CREDENTIAL)
    assert baking.unbake_png(baked) == CREDENTIAL
    again = baking.bake_png(baked, '{"second": true}')
    assert again.count(baking.KEYWORD) == 1
    assert json.loads(baking.unbake_png(again)) == {"second": True}
    assert again.endswith(b"IEND\xaeB`\x82")


def test_png_without_credential_or_not_png() -> None:
    with pytest.raises(baking.BakingError, match="carries no credential"):
        baking.unbake_png(tiny_png())
    with pytest.raises(baking.BakingError, match="not a PNG"):
        baking.unbake_png(b"GIF89a")


def test_svg_round_trip_keeps_cdata_safe() -> None:
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">' \
          "<title>Badge</title></svg>"
    baked = baking.bake_svg(svg, CREDENTIAL)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert baked.index("<openbadges:credential>") == baked.index(">", baked.index("<svg")) + 1
    assert json.loads(baking.unbake_svg(baked)) == json.loads(CREDENTIAL)
    assert baked.count("]]>") == 1
    rebaked = baking.bake_svg(baked, '{"second": true}')
    assert rebaked.count("<openbadges:credential>") == 1
    assert rebaked.count("xmlns:openbadges") == 1


def test_extract_reads_json_png_and_svg() -> None:
    assert baking.extract(CREDENTIAL.encode()) == json.loads(CREDENTIAL)
    assert baking.extract(baking.bake_png(tiny_png(), CREDENTIAL)) == json.loads(CREDENTIAL)
    svg = baking.bake_svg("<svg xmlns='http://www.w3.org/2000/svg'></svg>", CREDENTIAL)
    assert baking.extract(svg.encode()) == json.loads(CREDENTIAL)


@pytest.mark.slow  # issues and verifies through the CLI
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_issue_bakes_the_badge_and_verify_reads_it(project: Path, tmp_path: Path,
                                                   suffix: str) -> None:
    catalog = Project.from_config(project / "mkdocs.yml").require()
    credential = next(c for c in catalog.credentials.values()
                      if c.active and c.image and c.image.endswith(suffix))
    private = tmp_path / "key.pem"
    assert run_credcat("keygen", credential.issuer.id, "--out", private,
                       cwd=project).returncode == 0
    out = tmp_path / "award.json"
    issued = run_credcat("issue", credential.id, "--key", private, "--name", "Ana",
                         "--email", "ana@example.org", "-o", out, "--bake", cwd=project)
    assert issued.returncode == 0, issued.stderr
    badge = out.with_suffix(suffix)
    original = (REPO / "catalog" / credential.image).read_bytes()
    assert badge.read_bytes() != original
    assert baking.extract(badge.read_bytes()) == json.loads(out.read_text())
    verified = run_credcat("verify", badge, "--json", cwd=project)
    assert verified.returncode == 0, verified.stdout
    assert json.loads(verified.stdout)[0]["verdict"] == "verified"


def test_bake_refuses_a_credential_without_image(project: Path, tmp_path: Path) -> None:
    catalog = Project.from_config(project / "mkdocs.yml").require()
    credential = next(c for c in catalog.credentials.values() if c.active and not c.image)
    private = tmp_path / "key.pem"
    run_credcat("keygen", credential.issuer.id, "--out", private, cwd=project)
    result = run_credcat("issue", credential.id, "--key", private, "--name", "Ana", "--email",
                         "ana@example.org", "-o", tmp_path / "a.json", "--bake", cwd=project)
    assert result.returncode == 1 and "no badge image" in result.stderr
    assert not (tmp_path / "a.json").exists()
