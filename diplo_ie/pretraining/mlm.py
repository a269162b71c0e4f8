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
    make = get_cosine_schedule_with_warmup if config.train.schedule == "cosine" else get_linear_schedule_with_warmup
    return make(optimizer, config.train.warmup_steps, config.train.total_steps)


def mlm_loss(model: RobertaForMaskedLM, inputs: torch.Tensor, labels: torch.Tensor, bf16: bool) -> torch.Tensor:
    """Mean cross-entropy over the masked positions.

    The vocabulary projection runs only on the ~15% masked positions: over all positions it costs as much as
    the whole 4-layer encoder and its output is discarded. bf16 autocast uses the CPU's bf16 matrix units
    (AMX/AVX512-BF16) for about 2x throughput; weights and optimizer state stay fp32.
    """
    flat_labels = labels.reshape(-1)
    index = (flat_labels != -100).nonzero().squeeze(1)
    count = len(index)
    # Pad the target count up to a multiple of HEAD_BUCKET (pads point at position 0 and are ignored by the
    # loss): a handful of distinct matmul shapes instead of one per batch, so per-shape kernel setup is reused.
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
    """Set by SIGTERM/SIGINT so a killed run still ends with a checkpoint instead of losing minutes of work."""

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
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, record: dict[str, object]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def run(
    config: PretrainConfig,
    resume: bool = False,
    stop_at_step: int | None = None,
    progress: bool = True,
) -> RunResult:
    """Pretrain (or resume) and export the encoder; ``stop_at_step`` ends early without changing the schedule."""
    t = config.train
    torch.set_num_threads(t.num_threads)
    out = Path(t.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(config.data.tokenizer)
    log = _Log(out / LOG_FILE)

    if resume:
        if not has_checkpoint(out):
            raise FileNotFoundError(f"no checkpoint to resume in {out}")
        model, trainer_state, state = load_checkpoint(out)
        optimizer = _optimizer(model, config)
        scheduler = _scheduler(optimizer, config)
        optimizer.load_state_dict(trainer_state["optimizer"])
        scheduler.load_state_dict(trainer_state["scheduler"])
        torch.set_rng_state(trainer_state["torch_rng"])
        mask_generator = torch.Generator()
        mask_generator.set_state(trainer_state["mask_rng"])
    else:
        torch.manual_seed(t.seed)
        model = build_model(config, tokenizer)
        optimizer = _optimizer(model, config)
        scheduler = _scheduler(optimizer, config)
        mask_generator = torch.Generator().manual_seed(t.seed)
        state = TrainerState()
        (out / "config.json").write_text(json.dumps(config_to_dict(config), indent=1), encoding="utf-8")
    model.train()

    d = config.data
    heldout = heldout_batches(d.corpus, tokenizer, d.seq_len, d.heldout_every, d.heldout_max_sequences,
                              t.batch_size, d.mask_prob, seed=t.seed + 1)
    stream = PackedStream(d.corpus, tokenizer, d.seq_len, d.heldout_every, d.chunk_articles, t.seed,
                          DataPosition(**state.position) if state.position else None)
    batches = stream.batches(t.batch_size)

    def evaluate() -> float | None:
        if not heldout:
            return None
        loss = heldout_loss(model, heldout, t.bf16)
        log.write({"event": "eval", "step": state.step, "heldout_loss": round(loss, 4), "tokens": state.tokens})
        return loss

    heldout_start = evaluate() if not resume else None
    heldout_last = heldout_start
    params = sum(p.numel() for p in model.parameters())
    log.write({"event": "start", "step": state.step, "resume": resume, "parameters": params})

    stop = _StopFlag()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    started = last_ckpt = last_log = time.monotonic()
    elapsed_before = state.elapsed_s
    tokens_at_log = state.tokens
    losses: list[float] = []
    window: list[float] = []
    stopped_by = "total_steps"
    bar = tqdm(total=t.total_steps, initial=state.step, disable=not progress, dynamic_ncols=True,
               mininterval=1.0 if sys.stderr.isatty() else 60.0)

    def checkpoint() -> None:
        state.position = stream.position.to_dict()
        state.elapsed_s = elapsed_before + time.monotonic() - started
        save_checkpoint(out, model, optimizer, scheduler, mask_generator, state)

    try:
        while state.step < t.total_steps:
            if stop_at_step is not None and state.step >= stop_at_step:
                stopped_by = "stop_at_step"
                break
            if stop.requested:
                stopped_by = "signal"
                break
            if t.max_minutes is not None and time.monotonic() - started >= t.max_minutes * 60:
                stopped_by = "max_minutes"
                break
            step_loss = 0.0
            for _ in range(t.grad_accum):
                inputs, labels = mask_tokens(next(batches), tokenizer, d.mask_prob, mask_generator)
                loss = mlm_loss(model, inputs, labels, t.bf16) / t.grad_accum
                loss.backward()
                step_loss += loss.item()
                state.tokens += inputs.numel()
            torch.nn.utils.clip_grad_norm_(model.parameters(), t.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            state.step += 1
            losses.append(step_loss)
            window.append(step_loss)
            bar.update(1)
            bar.set_postfix(loss=f"{step_loss:.3f}")
            now = time.monotonic()
            if state.step % t.log_every == 0:
                log.write({
                    "event": "train", "step": state.step, "loss": round(sum(window) / len(window), 4),
                    "lr": scheduler.get_last_lr()[0], "tokens": state.tokens,
                    "tokens_per_s": round((state.tokens - tokens_at_log) / max(now - last_log, 1e-9), 1),
                    "elapsed_s": round(elapsed_before + now - started, 1),
                })
                window, last_log, tokens_at_log = [], now, state.tokens
            if state.step % t.eval_every == 0:
                heldout_last = evaluate()
            if now - last_ckpt >= t.checkpoint_minutes * 60:
                checkpoint()
                last_ckpt = time.monotonic()
    finally:
        bar.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    if state.step % t.eval_every:
        heldout_last = evaluate()
    checkpoint()
    if not math.isfinite(losses[-1] if losses else 0.0):
        raise FloatingPointError("training loss is not finite")
    export(model, tokenizer, out / FINAL_DIR)
    log.write({"event": "end", "step": state.step, "stopped_by": stopped_by, "tokens": state.tokens,
               "heldout_loss": None if heldout_last is None else round(heldout_last, 4)})
    return RunResult(state.step, losses, heldout_start, heldout_last, stopped_by)


def export(model: RobertaForMaskedLM, tokenizer: PreTrainedTokenizerBase, out_dir: Path) -> None:
    """Save the encoder alone (no MLM head) + tokenizer: what token-classification fine-tuning starts from."""
    model.roberta.save_pretrained(str(out_dir), safe_serialization=True)
    tokenizer.save_pretrained(str(out_dir))
