"""Reads an Ember checkpoint in Python, doubles every kernel, and writes it back for Ember to load.

usage: python3 roundtrip.py IN OUT
Uses the `safetensors` package when it imports; otherwise a small numpy reader and writer of the
same format (8-byte little-endian header length, JSON header, raw little-endian data), so the test
runs wherever numpy does. Prints one JSON line: which reader ran, the tensors seen and the metadata keys.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64}


def read_numpy(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[base + begin:base + end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
                                      ).reshape(info["shape"]).copy()
    return tensors, meta


def write_numpy(path, tensors, meta):
    header = {"__metadata__": meta}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        code = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64"}[array.dtype]
        blob = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": code, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main(src, dst):
    try:
        import safetensors
        from safetensors import safe_open
        from safetensors.numpy import save_file
        with safe_open(src, framework="np") as f:
            meta = f.metadata()
            tensors = {k: f.get_tensor(k) for k in f.keys()}
        reader = "safetensors " + safetensors.__version__
        writer = save_file
    except ImportError:
        tensors, meta = read_numpy(src)
        reader = "numpy " + np.__version__
        writer = write_numpy
    architecture = json.loads(meta["architecture"])
    out = {k: (v * 2 if k.endswith("/kernel") and not k.startswith("optimizer/") else v) for k, v in tensors.items()}
    meta = dict(meta, written_by="python")
    if writer is write_numpy:
        writer(dst, out, meta)
    else:
        writer(out, dst, metadata=meta)
    print(json.dumps({"reader": reader,
                      "tensors": {k: [str(v.dtype), list(v.shape)] for k, v in sorted(tensors.items())},
                      "layers": [layer["kind"] for layer in architecture["layers"]],
                      "kernel_sum": float(sum(v.sum() for k, v in tensors.items()
                                              if k.endswith("/kernel") and not k.startswith("optimizer/")))}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
