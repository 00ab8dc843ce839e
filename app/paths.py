"""Where Smart Agent keeps its files.

platformdirs gives each platform's usual places; ``SMART_AGENT_HOME=DIR`` puts all of
them under one folder (tests, portable installs), with the workspace at ``DIR/workspace``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "smart-agent"


@dataclass(frozen=True)
class Paths:
    config: Path
    data: Path
    cache: Path
    logs: Path
    workspace: Path

    @classmethod
    def from_env(cls) -> Paths:
        home = os.environ.get("SMART_AGENT_HOME")
        if home:
            root = Path(home).expanduser().resolve()
            return cls(
                config=root / "config",
                data=root / "data",
                cache=root / "cache",
                logs=root / "logs",
                workspace=root / "workspace",
            )
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            config=Path(dirs.user_config_dir),
            data=Path(dirs.user_data_dir),
            cache=Path(dirs.user_cache_dir),
            logs=Path(dirs.user_log_dir),
            workspace=Path(platformdirs.user_documents_dir()) / "Smart Agent",
        )

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def history_db(self) -> Path:
        return self.data / "history.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data / "models"

    @property
    def user_tools_dir(self) -> Path:
        return self.config / "tools"

    @property
    def prompts_dir(self) -> Path:
        return self.config / "prompts"

    def ensure(self) -> None:
        for folder in (self.config, self.data, self.cache, self.logs, self.workspace):
            folder.mkdir(parents=True, exist_ok=True)
