"""The console's browser tests: one Chromium per test module, and the helpers in console_browser.py
(importable because --import-mode=importlib puts no test directory on sys.path)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from console_browser import launch  # noqa: E402


@pytest.fixture(scope="module")
def browser(stack):
    yield from launch(stack)


@pytest.fixture(scope="module")
def base(stack):
    return f"http://127.0.0.1:{stack.gateway_port}"
