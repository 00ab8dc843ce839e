"""gguf:PATH — GGUF models through llama-cpp-python.

We drive ``Llama.generate`` directly rather than ``create_chat_completion``: the chat
wrapper costs a large share of throughput on small models. The prompt is rendered with the
model's own chat template; everything before the last turn (the long, stable part: tool
lists, few-shot examples) is tokenized on its own so that its KV state can be saved once and
restored on later calls, even after other prompts ran on the same model in between.
"""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from app.errors import ModelError
from app.llm.base import (
    Constraint,
    Generation,
    Grammar,
    JsonSchema,
    Message,
    Model,
    StreamingModel,
    Usage,
)
from app.llm.json_grammar import json_schema_grammar

CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
PREFIX_CACHE_ENTRIES = 4
# the prompt is evaluated in batches of about this long, with a cancellation check between
# them: Stop must act within half a second even while a long prompt is read (issue 15)
EVAL_BATCH_SECONDS = 0.15
EVAL_FIRST_BATCH = 16


def _shared_start(a: list[int], b: tuple[int, ...]) -> int:
    """How many leading tokens ``a`` and ``b`` have in common."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def auto_threads(configured: int, cores: int | None = None) -> tuple[int, int]:
    """(prompt threads, generation threads) for ``llama.n_threads`` = ``configured``.

    0 means automatic: every core reads the prompt (short bursts), and all but one write
    the reply, because llama.cpp's threads spin while they wait and a reply streams for
    seconds: with every core taken the window's own thread misses its frames (measured
    by tests/bench/gui_stall.py). A configured number is used for both.
    """
    if configured > 0:
        return configured, configured
    cores = cores or os.cpu_count() or 1
    return cores, max(1, cores - 1)


class ChatTokenizer:
    """Messages → prompt tokens, exactly as this model is prompted (its own chat template).

    Shared by inference and by training (``app.learn``), so an adapter is trained on the
    very token sequence it will see. Works on a vocab-only ``Llama`` too.
    """

    def __init__(self, llm: Any):
        self._llm = llm
        template = llm.metadata.get("tokenizer.chat_template") or CHATML
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        eos = self.token_text(llm.token_eos())
        bos = self.token_text(llm.token_bos())
        self._render_open = Jinja2ChatFormatter(template, eos, bos, add_generation_prompt=True)
        self._render_closed = Jinja2ChatFormatter(template, eos, bos, add_generation_prompt=False)

    @classmethod
    def open(cls, path: str | Path) -> ChatTokenizer:
        """The tokenizer of a GGUF file, without loading its weights."""
        import llama_cpp

        return cls(llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False))

    def token_text(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm.detokenize([token], special=True).decode("utf-8", errors="ignore")

    @property
    def eos(self) -> int:
        return int(self._llm.token_eos())

    def tokenize_text(self, text: str) -> list[int]:
        """A reply's tokens as the model would write them (no BOS, no special tokens)."""
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def tokenize_messages(self, messages: list[Message]) -> tuple[list[int], int]:
        """Prompt tokens and how many of them are the reusable prefix (all but the last turn)."""
        llm = self._llm
        full = self._render_open(messages=cast(Any, messages)).prompt
        if len(messages) > 1:
            prefix = self._render_closed(messages=cast(Any, messages[:-1])).prompt
            if prefix and full.startswith(prefix):
                head = llm.tokenize(prefix.encode("utf-8"), add_bos=True, special=True)
                rest = full[len(prefix) :].encode("utf-8")
                tail = llm.tokenize(rest, add_bos=False, special=True)
                return head + tail, len(head)
        return llm.tokenize(full.encode("utf-8"), add_bos=True, special=True), 0


class LlamaCppModel(StreamingModel):
    supports_grammar = True
    supports_json_schema = True

    def __init__(
        self,
        path: str | Path,
        *,
        n_ctx: int = 4096,
        n_threads: int = 0,
        n_gpu_layers: int = 0,
        model_id: str | None = None,
    ):
        super().__init__()
        self.path = Path(path).expanduser()
        self.id = model_id or f"gguf:{self.path.name}"
        if not self.path.is_file():
            raise ModelError(f"model file not found: {self.path}")
        try:
            import llama_cpp
        except ImportError as exc:
            raise ModelError(
                f"llama-cpp-python is not installed ({exc}); run `make setup`"
            ) from None
        self._lib = llama_cpp
        batch_threads, threads = auto_threads(n_threads)
        try:
            self._llm: Any = llama_cpp.Llama(
                model_path=str(self.path),
                n_ctx=n_ctx,
                n_threads=threads,
                n_threads_batch=batch_threads,
                n_gpu_layers=n_gpu_layers,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load model {self.path.name}: {exc}") from None
        self._vocab = self._llm._model.vocab
        self.chat = ChatTokenizer(self._llm)
        # saved prefix KV states per adapter: a KV computed under one adapter is never
        # reused under another (or under none)
        self._states: dict[Path | None, OrderedDict[tuple[int, ...], bytes]] = {}
        self._prefix_states = self._states.setdefault(None, OrderedDict())
        self._adapters: dict[Path, Any] = {}
        self._active: Path | None = None
        self._grammars: dict[str, Any] = {}
        self._pieces: dict[int, bytes] = {}

    @property
    def n_ctx(self) -> int:
        return int(self._llm.n_ctx())

    def _grammar(self, constraint: Constraint | None) -> Any:
        if constraint is None:
            return None
        from llama_cpp.llama_grammar import LlamaGrammar

        if isinstance(constraint, Grammar):
            key = constraint.text
            if key not in self._grammars:
                self._grammars[key] = LlamaGrammar.from_string(key, verbose=False)
        elif isinstance(constraint, JsonSchema):
            key = json.dumps(constraint.schema, sort_keys=True)
            if key not in self._grammars:
                text = json_schema_grammar(constraint.schema)  # strings without raw \n
                self._grammars[key] = LlamaGrammar.from_string(text, verbose=False)
        else:
            raise ModelError(f"unsupported constraint {constraint!r}")
        return self._grammars[key]

    # -- LoRA adapters --------------------------------------------------------------------

    def with_adapter(self, path: str | Path) -> LoraView:
        """This model with a GGUF LoRA adapter applied; the weights stay loaded once."""
        adapter = Path(path).expanduser()
        with self.lock:
            self._load_adapter(adapter)
        return LoraView(self, adapter, adapter.stem)

    def _load_adapter(self, path: Path) -> Any:
        handle = self._adapters.get(path)
        if handle is None:
            if not path.is_file():
                raise ModelError(f"LoRA adapter not found: {path}")
            handle = self._lib.llama_adapter_lora_init(self._llm.model, str(path).encode())
            if not handle:
                raise ModelError(
                    f"cannot load LoRA adapter {path.name}: not a GGUF LoRA adapter for "
                    f"{self.path.name} (see the log for llama.cpp's reason)"
                )
            self._adapters[path] = handle
        return handle

    def _use_adapter(self, path: Path | None) -> None:
        """Apply ``path`` (or no adapter) to the context; switching drops the live KV."""
        if path == self._active:
            return
        ctx = self._llm._ctx.ctx
        if path is None:
            result = self._lib.llama_set_adapters_lora(ctx, None, 0, None)
        else:
            handles = (self._lib.llama_adapter_lora_p_ctypes * 1)(self._load_adapter(path))
            scales = (ctypes.c_float * 1)(1.0)
            result = self._lib.llama_set_adapters_lora(ctx, handles, 1, scales)
        if result != 0:
            raise ModelError(f"llama.cpp refused the adapter {path} (code {result})")
        self._active = path
        self._llm.n_tokens = 0  # the KV was computed under the other adapter
        self._prefix_states = self._states.setdefault(path, OrderedDict())

    # -- KV prefix reuse ------------------------------------------------------------------

    def _evaluate(self, tokens: list[int], cancel: threading.Event | None) -> bool:
        """Evaluate ``tokens`` after the KV cache's, in short batches; False if cancelled.

        ``Llama.eval`` reads a whole prompt in batches of ``n_batch`` (512) tokens without a
        pause; a batch takes seconds on a slow machine or a large model. Batches sized to
        about ``EVAL_BATCH_SECONDS`` (measured as they go) keep Stop prompt.
        """
        llm = self._llm
        size = EVAL_FIRST_BATCH
        done = 0
        while done < len(tokens):
            if cancel is not None and cancel.is_set():
                return False
            batch = tokens[done : done + size]
            began = time.perf_counter()
            llm.eval(batch)
            done += len(batch)
            per_token = (time.perf_counter() - began) / len(batch)
            size = int(EVAL_BATCH_SECONDS / max(per_token, 1e-6))
            size = max(EVAL_FIRST_BATCH // 2, min(size, int(llm.n_batch)))
        return True

    def _prepare_prefix(
        self, prefix: tuple[int, ...], cancel: threading.Event | None = None
    ) -> bool:
        """Make the KV cache start with ``prefix``, evaluating as little of it as possible.

        Candidates: what the KV holds now (a loop agent's next turn extends the transcript the
        last turn just wrote, so most of it is there) and the saved prefix states (the
        planner's long system prompt after a caller call). The longest shared start wins;
        only the rest is evaluated, and the new prefix's state is saved for next time.
        """
        llm = self._llm
        n = len(prefix)
        if not n:
            return True
        live = _shared_start(llm.input_ids[: llm.n_tokens].tolist(), prefix)
        if live == n:
            return True
        saved = max(
            (key for key in self._prefix_states if len(key) > live and prefix[: len(key)] == key),
            key=len,
            default=None,
        )
        ctx = llm._ctx.ctx
        if saved is not None and self._restore(saved):
            start = len(saved)
        elif live > 0:
            llm.n_tokens = live  # eval() drops the KV cells from here on
            start = live
        else:
            llm.reset()
            start = 0
        if not self._evaluate(list(prefix[start:]), cancel):
            return False  # the KV keeps what was read; the next call starts from there
        size = self._lib.llama_state_seq_get_size(ctx, 0)
        buffer = (ctypes.c_uint8 * size)()
        written = self._lib.llama_state_seq_get_data(ctx, buffer, size, 0)
        self._prefix_states[prefix] = bytes(buffer)[:written]
        while len(self._prefix_states) > PREFIX_CACHE_ENTRIES:
            self._prefix_states.popitem(last=False)
        return True

    def _restore(self, key: tuple[int, ...]) -> bool:
        """Load the saved KV state of ``key``; False (and an empty cache) if it fails."""
        llm = self._llm
        state = self._prefix_states[key]
        self._prefix_states.move_to_end(key)
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if self._lib.llama_state_seq_set_data(llm._ctx.ctx, buffer, len(state), 0) != len(state):
            llm.reset()
            return False
        llm.input_ids[: len(key)] = key
        llm.n_tokens = len(key)
        return True

    def _piece(self, token: int) -> bytes:
        """The bytes of one generated token (cached: the same tokens recur constantly)."""
        piece = self._pieces.get(token)
        if piece is None:
            buffer = ctypes.create_string_buffer(64)
            n = self._lib.llama_token_to_piece(self._vocab, token, buffer, 64, 0, False)
            piece = self._pieces[token] = buffer.raw[: max(n, 0)]
        return piece

    # -- generation -----------------------------------------------------------------------

    def _stream(
        self,
        messages: list[Message],
        constraint: Constraint | None,
        max_tokens: int,
        temperature: float,
        stop: tuple[str, ...],
        cancel: threading.Event | None,
        usage: Usage,
        adapter: Path | None = None,
    ) -> Iterator[str]:
        with self.lock:
            start = time.perf_counter()
            try:
                self._use_adapter(adapter)
                tokens, prefix_len = self.chat.tokenize_messages(messages)
                if len(tokens) >= self.n_ctx:
                    raise ModelError(
                        f"the prompt has {len(tokens)} tokens but {self.id} holds only "
                        f"{self.n_ctx}; shorten the task or raise llama.n_ctx"
                    )
                max_tokens = min(max_tokens, self.n_ctx - len(tokens))
                usage.prompt_tokens = len(tokens)
                grammar = self._grammar(constraint)
                # the whole prompt but its last token is read here, cancellably; generate()
                # then finds it in the KV cache and evaluates just that one token
                if not (
                    self._prepare_prefix(tuple(tokens[:prefix_len]), cancel)
                    and self._read_prompt(tokens, cancel)
                ):
                    usage.seconds = time.perf_counter() - start
                    return
                usage.seconds = time.perf_counter() - start
                yield from self._decode(
                    tokens, grammar, max_tokens, temperature, stop, cancel, usage
                )
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"{self.id} failed to generate: {exc}") from None

    def _read_prompt(self, tokens: list[int], cancel: threading.Event | None) -> bool:
        """Evaluate all of ``tokens`` but the last, reusing what the KV cache holds."""
        llm = self._llm
        live = _shared_start(llm.input_ids[: llm.n_tokens].tolist(), tuple(tokens[:-1]))
        llm.n_tokens = live  # eval() drops the KV cells from here on
        return self._evaluate(tokens[live:-1], cancel)

    def _decode(
        self,
        tokens: list[int],
        grammar: Any,
        max_tokens: int,
        temperature: float,
        stop: tuple[str, ...],
        cancel: threading.Event | None,
        usage: Usage,
    ) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        is_eog = self._lib.llama_vocab_is_eog
        vocab = self._vocab
        piece_of = self._piece
        tail = ""
        holdback = max((len(s) for s in stop), default=0)
        stream = self._llm.generate(
            tokens,
            temp=temperature,
            top_k=40,
            top_p=0.95,
            min_p=0.05,
            repeat_penalty=1.0,
            grammar=grammar,
        )
        clock = time.perf_counter
        try:
            while True:
                began = clock()
                token = next(stream, None)
                usage.seconds += clock() - began  # model time only, not the consumer's
                if token is None or is_eog(vocab, token):
                    break
                usage.completion_tokens += 1
                piece = decoder.decode(piece_of(token))
                if stop:
                    tail += piece
                    hit = min((i for s in stop if (i := tail.find(s)) >= 0), default=-1)
                    if hit >= 0:
                        if tail[:hit]:
                            yield tail[:hit]
                        return
                    if len(tail) > holdback:
                        piece, tail = tail[: len(tail) - holdback], tail[len(tail) - holdback :]
                    else:
                        piece = ""
                if piece:
                    yield piece
                if usage.completion_tokens >= max_tokens or (cancel and cancel.is_set()):
                    break
            rest = tail + decoder.decode(b"", final=True)
            if rest:
                yield rest
        finally:
            stream.close()

    def close(self) -> None:
        with self.lock:
            self._states.clear()
            llm, self._llm = self._llm, None
            if llm is not None:
                llm.close()
            # adapters are freed with the model (llama.cpp owns them); forget the handles
            self._adapters.clear()


class LoraView(Model):
    """A role's view of a loaded GGUF model with its own LoRA adapter on top.

    Several views (planner, caller, solver adapters) share one ``LlamaCppModel``: one copy
    of the weights, calls serialised by the model's lock, the adapter switched per call.
    """

    supports_grammar = True
    supports_json_schema = True

    def __init__(self, base: LlamaCppModel, adapter: Path, name: str):
        super().__init__()
        self.base = base
        self.adapter = str(adapter)
        self.lock = base.lock
        self.id = f"{base.id}+lora:{name}"
        self._path = adapter

    def generate(
        self,
        messages: list[Message],
        *,
        constraint: Constraint | None = None,
        max_tokens: int = 512,
        temperature: float = 0.0,
        stop: tuple[str, ...] = (),
        cancel: threading.Event | None = None,
    ) -> Generation:
        usage = Usage()
        pieces = self.base._stream(
            messages, constraint, max_tokens, temperature, stop, cancel, usage, self._path
        )
        return Generation(pieces, usage)

    def without_adapter(self) -> Model:
        return self.base
