"""The list file: a HashList's columns and indexes as named sections inside a sealed stream.

    section: u16 name length | name | u8 dtype length | numpy dtype | u8 ndim | u64 dims... | data
    first section "meta" (JSON: list metadata, counts, index plan), last section "end".

Loading reads each section straight into its numpy array, one chunk at a time: memory is the
list itself plus one 4 MiB chunk, and no index is rebuilt.
"""

import json
import math
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hashdb.atomicfile import atomic_writer
from hashdb.columns import StringColumn
from hashdb.entry import ListMeta
from hashdb.errors import ListFileError
from hashdb.hashlist import HashList
from hashdb.index import ExactIndex, MihPlan, PdqIndex
from hashdb.kinds import BYTE_LENGTH, DIGESTS
from hashdb.sealed import SealedReader, SealedWriter, Unwrap, Wrap

FORMAT_VERSION = 1
MAX_SECTION_BYTES = 1 << 36


def _put(writer: SealedWriter, name: str, array: np.ndarray) -> None:
    array = np.ascontiguousarray(array)
    dtype = array.dtype.str.encode()
    raw_name = name.encode()
    head = struct.pack(">H", len(raw_name)) + raw_name + struct.pack(">B", len(dtype)) + dtype
    head += struct.pack(">B", array.ndim) + b"".join(struct.pack(">Q", d) for d in array.shape)
    writer.write(head)
    view = array.reshape(-1).view(np.uint8).data if array.size else memoryview(b"")
    step = 1 << 24
    for at in range(0, len(view), step):
        writer.write(view[at:at + step])


def _put_json(writer: SealedWriter, name: str, value: Any) -> None:
    _put(writer, name, np.frombuffer(json.dumps(value).encode(), dtype=np.uint8))


_ALLOWED_DTYPES = {"|u1", "<u2", "<u4", "<u8", "|b1"}


def _get(reader: SealedReader) -> tuple[str, np.ndarray]:
    (length,) = struct.unpack(">H", reader.read(2))
    name = reader.read(length).decode("utf-8", "replace")
    (length,) = struct.unpack(">B", reader.read(1))
    dtype = reader.read(length).decode("ascii", "replace")
    if dtype not in _ALLOWED_DTYPES:
        raise ListFileError(f"the list file holds an unknown column type {dtype!r}")
    (ndim,) = struct.unpack(">B", reader.read(1))
    if ndim > 2:
        raise ListFileError("the list file's columns are damaged")
    shape = tuple(struct.unpack(">Q", reader.read(8))[0] for _ in range(ndim))
    size = math.prod(shape) * np.dtype(dtype).itemsize if shape else 0
    if size > min(MAX_SECTION_BYTES, reader.bytes_left()):
        # a column cannot be larger than what is left of the file: nothing is allocated
        # for a size the file cannot hold
        raise ListFileError("the list file's columns are damaged")
    array = np.empty(shape, dtype=dtype)
    if size:
        reader.readinto(array.reshape(-1).view(np.uint8).data)
    return name, array


def _get_json(reader: SealedReader, expected: str) -> Any:
    name, array = _get(reader)
    if name != expected:
        raise ListFileError(f"the list file is damaged: {expected!r} expected, got {name!r}")
    try:
        return json.loads(array.tobytes())
    except (ValueError, RecursionError):
        raise ListFileError(f"the list file is damaged: its {expected!r} section") from None


def _columns(hashlist: HashList) -> Iterator[tuple[str, np.ndarray]]:
    yield "verdict", hashlist.verdict
    yield "category", hashlist.category
    yield "source_id.offsets", hashlist.source_id.stored_offsets()
    yield "source_id.blob", hashlist.source_id.blob
    yield "other.offsets", hashlist.other.stored_offsets()
    yield "other.blob", hashlist.other.blob
    for kind in DIGESTS:
        yield f"{kind.value}.digests", hashlist.exact[kind].digests
        yield f"{kind.value}.ids", hashlist.exact[kind].ids
    yield from _pdq_columns("pdq", hashlist.pdq)
    if len(hashlist.frames):
        yield from _pdq_columns("vpdq", hashlist.frames)


def _pdq_columns(prefix: str, index: PdqIndex) -> Iterator[tuple[str, np.ndarray]]:
    yield f"{prefix}.codes", index.codes
    yield f"{prefix}.ids", index.ids
    yield f"{prefix}.quality", index.quality
    if index.plan is not None:
        assert index.perm is not None
        assert index.counts is not None
        yield f"{prefix}.mih.perm", index.perm
        yield f"{prefix}.mih.counts", index.counts


def _plan_json(index: PdqIndex) -> dict[str, Any] | None:
    plan = index.plan
    return None if plan is None else {"parts": plan.parts, "radius": plan.radius}


def _pdq_index(prefix: str, columns: dict[str, np.ndarray], mih: Any) -> PdqIndex:
    plan = None if mih is None else MihPlan(tuple(tuple(p) for p in mih["parts"]),
                                            int(mih["radius"]))
    return PdqIndex(columns[f"{prefix}.codes"].reshape(-1, 32), columns[f"{prefix}.ids"],
                    columns[f"{prefix}.quality"], plan, columns.get(f"{prefix}.mih.perm"),
                    columns.get(f"{prefix}.mih.counts"))


def write_list(fh: BinaryIO, hashlist: HashList, wrap: Wrap,
               signer: Ed25519PrivateKey | None = None) -> None:
    writer = SealedWriter(fh, wrap, signer)
    _put_json(writer, "meta", {
        "format": "hotline-list", "version": FORMAT_VERSION, "list": hashlist.meta.to_json(),
        "counts": hashlist.counts(), "categories": hashlist.categories,
        "mih": _plan_json(hashlist.pdq), "mih_frames": _plan_json(hashlist.frames),
    })
    for name, array in _columns(hashlist):
        _put(writer, name, array)
    _put_json(writer, "end", {})
    writer.close()


def save_list(path: Path, hashlist: HashList, wrap: Wrap,
              signer: Ed25519PrivateKey | None = None) -> None:
    """Write atomically: a crash leaves the old file or the new one."""
    with atomic_writer(path) as fh:
        write_list(fh, hashlist, wrap, signer)


def _read_meta(reader: SealedReader) -> dict[str, Any]:
    meta = _get_json(reader, "meta")
    if not isinstance(meta, dict) or meta.get("format") != "hotline-list":
        raise ListFileError("not a Hotline Triage list file")
    if meta.get("version") != FORMAT_VERSION:
        raise ListFileError(f"list file version {meta.get('version')} is not supported")
    return meta


def read_list(fh: BinaryIO, unwrap: Unwrap,
              trusted_signer: Callable[[bytes], bool] | None = None) -> HashList:
    reader = SealedReader(fh, unwrap, trusted_signer)
    meta = _read_meta(reader)
    columns: dict[str, np.ndarray] = {}
    while True:
        name, array = _get(reader)
        if name == "end":
            break
        columns[name] = array
    if not reader.at_end():
        raise ListFileError("the list file has data after its end")
    try:
        exact = {kind: ExactIndex(columns[f"{kind.value}.digests"].reshape(
            -1, BYTE_LENGTH[kind]), columns[f"{kind.value}.ids"]) for kind in DIGESTS}
        pdq = _pdq_index("pdq", columns, meta.get("mih"))
        # Video frames came with the second release of the format's content; older files
        # have none, and read the same.
        frames = _pdq_index("vpdq", columns, meta.get("mih_frames")) \
            if "vpdq.codes" in columns else None
        n = len(columns["verdict"])
        return HashList(
            ListMeta.from_json(meta["list"]), columns["verdict"], columns["category"],
            list(meta["categories"]),
            StringColumn.stored(n, columns["source_id.offsets"], columns["source_id.blob"]),
            StringColumn.stored(n, columns["other.offsets"], columns["other.blob"]), exact, pdq,
            frames)
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        raise ListFileError(f"the list file is damaged: {exc}") from None


def load_list(path: Path, unwrap: Unwrap,
              trusted_signer: Callable[[bytes], bool] | None = None) -> HashList:
    try:
        with path.open("rb") as fh:
            return read_list(fh, unwrap, trusted_signer)
    except FileNotFoundError:
        raise ListFileError(f"no list file at {path}") from None


def peek_meta(path: Path, unwrap: Unwrap) -> tuple[ListMeta, dict[str, int]]:
    """The list's metadata and counts, decrypting only the first chunk."""
    with path.open("rb") as fh:
        meta = _read_meta(SealedReader(fh, unwrap))
    return ListMeta.from_json(meta["list"]), dict(meta["counts"])
