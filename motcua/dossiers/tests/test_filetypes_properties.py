"""The upload inspector under hypothesis: any bytes with any name give an inspection or a refusal with a
stable code, never another exception; damaged copies of real scans (bytes flipped, cut, repeated) too."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.dossiers.filetypes import ACCEPTED, Inspection, RefusedFile, inspect_upload
from motcua.dossiers.tests.hostile_files import LIMIT, image, object_stream, pdf, tiff_pages

CODES = {
    "unsupported_file_type",
    "unsafe_file_name",
    "file_name_mismatch",
    "malformed_file",
    "truncated_file",
    "polyglot_file",
    "decompression_bomb",
    "active_content",
}
MAGIC = [b"%PDF-1.7\n", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b""]
SAMPLES = [
    pdf(),
    pdf(object_stream(b"4 0 << /Type /Page >>")),
    image("JPEG"),
    image("PNG"),
    image("TIFF"),
    tiff_pages(2),
]


def _outcome(data: bytes, name: str) -> Inspection | DomainError:
    try:
        return inspect_upload(data, name=name, inflate_budget=10 * LIMIT)
    except RefusedFile as refused:
        return refused


def _check(outcome: Inspection | DomainError) -> None:
    if isinstance(outcome, DomainError):
        assert outcome.code in CODES
        assert outcome.message
    else:
        assert outcome.content_type in ACCEPTED
        assert outcome.pages >= 1


@settings(max_examples=300)
@given(magic=st.sampled_from(MAGIC), rest=st.binary(max_size=2000), name=st.text(max_size=40))
def test_any_bytes_after_any_magic_give_an_inspection_or_a_stable_refusal(magic: bytes, rest: bytes, name: str) -> None:
    _check(_outcome(magic + rest, name))


@settings(max_examples=300)
@given(
    sample=st.sampled_from(SAMPLES),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    cut=st.none() | st.integers(0, 10**6),
    repeat=st.none() | st.tuples(st.integers(0, 10**6), st.integers(1, 400), st.integers(2, 20)),
)
def test_damaged_scans_give_an_inspection_or_a_stable_refusal(
    sample: bytes, flips: list[tuple[int, int]], cut: int | None, repeat: tuple[int, int, int] | None
) -> None:
    data = bytearray(sample)
    for at, value in flips:
        data[at % len(data)] = value
    if repeat is not None:
        at, length, times = repeat
        at %= len(data)
        data[at:at] = bytes(data[at : at + length]) * times
    if cut is not None:
        del data[cut % len(data) :]
    _check(_outcome(bytes(data), "scan"))
