import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from experiment import load_experiment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_baseline_loads_and_has_a_stable_fingerprint():
    a = load_experiment(ROOT / "experiments" / "baseline.yaml")
    b = load_experiment(ROOT / "experiments" / "baseline.yaml")
    assert a.version == 1
    assert a.fingerprint() == b.fingerprint()


def test_rejects_unknown_versions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 99\nname: x\nseed: 1\nepochs: 1\nbatch_size: 1\nlearning_rate: 0.1\nhidden_size: 2\n")
    with pytest.raises(ValueError, match="unsupported config version"):
        load_experiment(bad)
