"""Training entry point of ${{ values.name }}.

Reads a versioned experiment config, trains on the GPU(s) the Job was given
and writes a checkpoint to the PersistentVolumeClaim after each epoch, so a
preempted or failed run resumes where it stopped.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
from pathlib import Path

from experiment import Experiment, load_experiment

log = logging.getLogger("train")


def set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def build_model(exp: Experiment):
    import torch.nn as nn

    # Replace with your model: a small MLP keeps the skeleton runnable.
    return nn.Sequential(nn.Linear(32, exp.hidden_size), nn.ReLU(), nn.Linear(exp.hidden_size, 1))


def synthetic_batches(exp: Experiment, device, steps: int = 50):
    import torch

    for _ in range(steps):
        x = torch.randn(exp.batch_size, 32, device=device)
        yield x, x.sum(dim=1, keepdim=True)


def latest_checkpoint(run_dir: Path) -> Path | None:
    checkpoints = sorted(run_dir.glob("epoch-*.pt"))
    return checkpoints[-1] if checkpoints else None


def train(exp: Experiment, checkpoint_root: Path) -> Path:
    import torch

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    run_dir = checkpoint_root / f"{exp.name}-{exp.fingerprint()}"
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "experiment.json").write_text(json.dumps(exp.__dict__, indent=2))

    set_seed(exp.seed)
    model = build_model(exp).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=exp.learning_rate)
    start_epoch = 0

    resume = latest_checkpoint(run_dir)
    if resume:
        state = torch.load(resume, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"] + 1
        log.info(json.dumps({"event": "resume", "checkpoint": str(resume), "epoch": start_epoch}))

    loss_fn = torch.nn.MSELoss()
    for epoch in range(start_epoch, exp.epochs):
        model.train()
        total = 0.0
        for x, y in synthetic_batches(exp, device):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item()
        log.info(json.dumps({"event": "epoch", "epoch": epoch, "loss": total, "device": str(device)}))
        if (epoch + 1) % exp.checkpoint_every == 0 or epoch + 1 == exp.epochs:
            path = run_dir / f"epoch-{epoch:04d}.pt"
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)
    return run_dir


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="experiments/baseline.yaml")
    parser.add_argument("--checkpoints", default=os.environ.get("CHECKPOINT_DIR", "/checkpoints"))
    args = parser.parse_args()
    exp = load_experiment(args.config)
    log.info(json.dumps({"event": "start", "config": args.config, "fingerprint": exp.fingerprint()}))
    run_dir = train(exp, Path(args.checkpoints))
    log.info(json.dumps({"event": "done", "run": str(run_dir)}))


if __name__ == "__main__":
    main()
