"""GUI tests run offscreen (no X server needed) and fail on Qt warnings (see pyproject)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
