"""Integration tests use the real embedded model; one model per test session."""

from __future__ import annotations

import pytest

from app.errors import ModelError
from app.llm import embedded_model_path


@pytest.fixture(scope="session")
def embedded_path():
    try:
        return embedded_model_path()
    except ModelError as exc:
        pytest.fail(f"{exc}. Install everything with `make setup`.")


@pytest.fixture(scope="session")
def embedded_model(embedded_path):
    from app.llm.llama_cpp import LlamaCppModel

    model = LlamaCppModel(embedded_path, n_ctx=4096, model_id="default")
    yield model
    model.close()
