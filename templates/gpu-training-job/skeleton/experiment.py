"""Experiment configuration: versioned files under experiments/ make a run reproducible."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

SUPPORTED_VERSIONS = {1}


@dataclass(frozen=True)
class Experiment:
    version: int
    name: str
    seed: int
    epochs: int
    batch_size: int
    learning_rate: float
    hidden_size: int
    checkpoint_every: int = 1

    def fingerprint(self) -> str:
        """Stable hash of the parameters: runs with the same fingerprint are comparable."""
        canonical = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def load_experiment(path: str | Path) -> Experiment:
    data = yaml.safe_load(Path(path).read_text())
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(f"{path}: unsupported config version {version!r}")
    experiment = Experiment(**data)
    if experiment.epochs < 1 or experiment.batch_size < 1 or experiment.learning_rate <= 0:
        raise ValueError(f"{path}: epochs, batch_size and learning_rate must be positive")
    return experiment
