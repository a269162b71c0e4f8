"""Masked-LM pretraining loop for a small RoBERTa encoder on CPU."""

from __future__ import annotations

import json
import math
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import torch
import torch.nn.functional as F
from tqdm import tqdm
from transformers import (
    AutoTokenizer,
    PreTrainedTokenizerBase,
    RobertaConfig,
    RobertaForMaskedLM,
    get_cosine_schedule_with_warmup,
    get_linear_schedule_with_warmup,
)

from diplo_ie.pretraining.checkpoint import TrainerState, has_checkpoint, load_checkpoint, save_checkpoint
from diplo_ie.pretraining.config import PretrainConfig, config_to_dict
from diplo_ie.pretraining.data import DataPosition, PackedStream, heldout_batches, mask_tokens

FINAL_DIR = "final"
HEAD_BUCKET = 128
LOG_FILE = "log.jsonl"


def build_model(config: PretrainConfig, tokenizer: PreTrainedTokenizerBase) -> RobertaForMaskedLM:
    m = config.model
    roberta = RobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=m.hidden_size,
        num_hidden_layers=m.num_hidden_layers,
        num_attention_heads=m.num_attention_heads,
        intermediate_size=m.intermediate_size,
        hidden_dropout_prob=m.hidden_dropout_prob,
        attention_probs_dropout_prob=m.attention_probs_dropout_prob,
        # RoBERTa numbers positions from pad_token_id + 1, so seq_len tokens need seq_len + 2 embeddings.
        max_position_embeddings=config.data.seq_len + 2,
        type_vocab_size=1,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    return RobertaForMaskedLM(roberta)


def _optimizer(model: torch.nn.Module, config: PretrainConfig) -> torch.optim.AdamW:
    # No weight decay on biases and LayerNorm gains: decaying them only hurts (standard BERT/RoBERTa recipe).
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        (no_decay if param.ndim < 2 or "LayerNorm" in name else decay).append(param)
    groups = [
        {"params": decay, "weight_decay": config.train.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=config.train.lr, betas=(0.9, 0.98), eps=1e-6)


def _scheduler(optimizer: torch.optim.Optimizer, config: PretrainConfig) -> torch.optim.lr_scheduler.LambdaLR:
    make = (
        get_cosine_schedule_with_warmup
        if config.train.schedule == "cosine"
        else get_linear_schedule_with_warmup
    )
    return make(optimizer, config.train.warmup_steps, config.train.total_steps)


def mlm_loss(
    model: RobertaForMaskedLM, inputs: torch.Tensor, labels: torch.Tensor, bf16: bool
) -> torch.Tensor:
    """Mean cross-entropy over the masked positions.

    The vocabulary projection runs only on the ~15% masked positions: over all positions it costs as much as
    the whole 4-layer encoder and its output is discarded. bf16 autocast uses the CPU's bf16 matrix units
    (AMX/AVX512-BF16) for about 2x throughput; weights and optimizer state stay fp32.
    """
    flat_labels = labels.reshape(-1)
    index = (flat_labels != -100).nonzero().squeeze(1)
    count = len(index)
    # Pad the target count up to a multiple of HEAD_BUCKET (pads point at position 0 and are ignored by the
    # loss): a handful of distinct matmul shapes instead of one per batch, so per-shape kernel setup is
    # reused.
    padded = -(-max(count, 1) // HEAD_BUCKET) * HEAD_BUCKET
    index = F.pad(index, (0, padded - count))
    targets = flat_labels[index]
    targets[count:] = -100
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        hidden = model.roberta(input_ids=inputs).last_hidden_state
        logits = model.lm_head(hidden.reshape(-1, hidden.shape[-1])[index])
    return F.cross_entropy(logits.float(), targets, ignore_index=-100)


@torch.no_grad()
def heldout_loss(
    model: RobertaForMaskedLM, batches: list[tuple[torch.Tensor, torch.Tensor]], bf16: bool = False
) -> float:
    """Mean MLM loss over all masked tokens of the fixed held-out batches."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for inputs, labels in batches:
        n = int((labels != -100).sum())
        if n:
            total += mlm_loss(model, inputs, labels, bf16).item() * n
            count += n
    model.train(was_training)
    return total / max(count, 1)


class _StopFlag:
    """Set by SIGTERM/SIGINT so that a killed run still ends with a checkpoint and an export."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True


@dataclass
class RunResult:
    step: int
    losses: list[float]
    heldout_start: float | None
    heldout_last: float | None
    stopped_by: str


class _Log:
    """Append-only JSON-lines metrics log; reopened per record so it can be tailed and survives a kill."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, record: dict[str, object]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


class _Trainer:
    """Model, optimizer, data stream and bookkeeping of one invocation (fresh or resumed)."""

    def __init__(self, config: PretrainConfig, resume: bool) -> None:
        self.config = config
        t, d = config.train, config.data
        self.out = Path(t.output_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.tokenizer = AutoTokenizer.from_pretrained(d.tokenizer)
        self.log = _Log(self.out / LOG_FILE)
        if resume:
            self._resume()
        else:
            torch.manual_seed(t.seed)
            self.model = build_model(config, self.tokenizer)
            self.optimizer = _optimizer(self.model, config)
            self.scheduler = _scheduler(self.optimizer, config)
            self.mask_generator = torch.Generator().manual_seed(t.seed)
            self.state = TrainerState()
        self.model.train()
        # Fixed masks from their own seed, so every evaluation (and every resume) scores the same targets.
        self.heldout = heldout_batches(
            d.corpus,
            self.tokenizer,
            d.seq_len,
            d.heldout_every,
            d.heldout_max_sequences,
            t.batch_size,
            d.mask_prob,
            seed=t.seed + 1,
        )
        position = DataPosition(**self.state.position) if self.state.position else None
        self.stream = PackedStream(
            d.corpus, self.tokenizer, d.seq_len, d.heldout_every, d.chunk_articles, t.seed, position
        )
        self.batches = self.stream.batches(t.batch_size)
        self.started = time.monotonic()
        self.elapsed_before = self.state.elapsed_s

    def _resume(self) -> None:
        if not has_checkpoint(self.out):
            raise FileNotFoundError(f"no checkpoint to resume in {self.out}")
        self.model, trainer_state, self.state = load_checkpoint(self.out)
        self.optimizer = _optimizer(self.model, self.config)
        self.scheduler = _scheduler(self.optimizer, self.config)
        self.optimizer.load_state_dict(trainer_state["optimizer"])
        self.scheduler.load_state_dict(trainer_state["scheduler"])
        torch.set_rng_state(trainer_state["torch_rng"])
        self.mask_generator = torch.Generator()
        self.mask_generator.set_state(trainer_state["mask_rng"])

    def elapsed(self) -> float:
        """Training seconds over all invocations of this run."""
        return self.elapsed_before + time.monotonic() - self.started

    def evaluate(self) -> float | None:
        if not self.heldout:
            return None
        loss = heldout_loss(self.model, self.heldout, self.config.train.bf16)
        step, tokens = self.state.step, self.state.tokens
        self.log.write({"event": "eval", "step": step, "heldout_loss": round(loss, 4), "tokens": tokens})
        return loss

    def train_step(self) -> float:
        """One optimizer step over ``grad_accum`` micro-batches; returns the mean loss."""
        t = self.config.train
        step_loss = 0.0
        for _ in range(t.grad_accum):
            batch = next(self.batches)
            inputs, labels = mask_tokens(
                batch, self.tokenizer, self.config.data.mask_prob, self.mask_generator
            )
            loss = mlm_loss(self.model, inputs, labels, t.bf16) / t.grad_accum
            loss.backward()
            step_loss += loss.item()
            self.state.tokens += inputs.numel()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), t.max_grad_norm)
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.state.step += 1
        return step_loss

    def checkpoint(self) -> None:
        self.state.position = self.stream.position.to_dict()
        self.state.elapsed_s = self.elapsed()
        save_checkpoint(self.out, self.model, self.optimizer, self.scheduler, self.mask_generator, self.state)


def _stop_reason(trainer: _Trainer, stop: _StopFlag, stop_at_step: int | None) -> str | None:
    t = trainer.config.train
    if trainer.state.step >= t.total_steps:
        return "total_steps"
    if stop_at_step is not None and trainer.state.step >= stop_at_step:
        return "stop_at_step"
    if stop.requested:
        return "signal"
    # The budget counts this invocation only: a resumed run gets its own --max-minutes.
    if t.max_minutes is not None and time.monotonic() - trainer.started >= t.max_minutes * 60:
        return "max_minutes"
    return None


def run(
    config: PretrainConfig,
    resume: bool = False,
    stop_at_step: int | None = None,
    progress: bool = True,
) -> RunResult:
    """Pretrain (or resume), then checkpoint and export the encoder.

    ``stop_at_step`` ends the run early without changing the learning-rate schedule (used by tests).
    """
    t = config.train
    torch.set_num_threads(t.num_threads)
    trainer = _Trainer(config, resume)
    heldout_start = None if resume else trainer.evaluate()
    heldout_last = heldout_start
    params = sum(p.numel() for p in trainer.model.parameters())
    # The full config of each invocation is logged: a resume may change e.g. total_steps or max_minutes.
    trainer.log.write(
        {
            "event": "start",
            "step": trainer.state.step,
            "resume": resume,
            "parameters": params,
            "config": config_to_dict(config),
        }
    )

    stop = _StopFlag()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    last_ckpt = last_log = time.monotonic()
    tokens_at_log = trainer.state.tokens
    losses: list[float] = []
    window: list[float] = []
    # Redirected to a file, a bar refreshed every second would fill it; once a minute is enough there.
    bar = tqdm(
        total=t.total_steps,
        initial=trainer.state.step,
        disable=not progress,
        dynamic_ncols=True,
        mininterval=1.0 if sys.stderr.isatty() else 60.0,
    )
    try:
        while (stopped_by := _stop_reason(trainer, stop, stop_at_step)) is None:
            loss = trainer.train_step()
            losses.append(loss)
            window.append(loss)
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
            bar.update(1)
            step, now = trainer.state.step, time.monotonic()
            if step % t.log_every == 0:
                rate = (trainer.state.tokens - tokens_at_log) / max(now - last_log, 1e-9)
                trainer.log.write(
                    {
                        "event": "train",
                        "step": step,
                        "loss": round(sum(window) / len(window), 4),
                        "lr": trainer.scheduler.get_last_lr()[0],
                        "tokens": trainer.state.tokens,
                        "tokens_per_s": round(rate, 1),
                        "elapsed_s": round(trainer.elapsed(), 1),
                    }
                )
                window, last_log, tokens_at_log = [], now, trainer.state.tokens
            if step % t.eval_every == 0:
                heldout_last = trainer.evaluate()
            if now - last_ckpt >= t.checkpoint_minutes * 60:
                trainer.checkpoint()
                last_ckpt = time.monotonic()
    finally:
        bar.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    if trainer.state.step % t.eval_every:
        heldout_last = trainer.evaluate()
    trainer.checkpoint()
    if losses and not math.isfinite(losses[-1]):
        raise FloatingPointError(f"training loss is not finite at step {trainer.state.step}")
    export(trainer.model, trainer.tokenizer, trainer.out / FINAL_DIR)
    trainer.log.write(
        {
            "event": "end",
            "step": trainer.state.step,
            "stopped_by": stopped_by,
            "tokens": trainer.state.tokens,
            "heldout_loss": None if heldout_last is None else round(heldout_last, 4),
        }
    )
    return RunResult(trainer.state.step, losses, heldout_start, heldout_last, stopped_by)


def export(model: RobertaForMaskedLM, tokenizer: PreTrainedTokenizerBase, out_dir: Path) -> None:
    """Save the encoder alone (no MLM head) + tokenizer: what token-classification fine-tuning starts from."""
    model.roberta.save_pretrained(str(out_dir), safe_serialization=True)
    tokenizer.save_pretrained(str(out_dir))
