"""The pretraining loop: objective (masked LM or ELECTRA), data, checkpoints, metrics log, export."""

from __future__ import annotations

import copy
import json
import math
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import torch
from tqdm import tqdm
from transformers import (
    AutoTokenizer,
    PreTrainedTokenizerBase,
    RobertaModel,
)

from diplo_ie.pretraining.checkpoint import (
    TrainerState,
    has_checkpoint,
    load_checkpoint,
    load_weights,
    read_config,
    read_state,
    save_checkpoint,
)
from diplo_ie.pretraining.config import PretrainConfig
from diplo_ie.pretraining.data import (
    HELDOUT,
    TRAIN,
    DataPosition,
    SequenceSampler,
    ensure_pack,
    heldout_sequences,
    load_tokens,
)
from diplo_ie.pretraining.electra import Electra
from diplo_ie.pretraining.masking import TokenTable, mask_tokens
from diplo_ie.pretraining.mlm import MaskedLM, SpecialIds
from diplo_ie.run_folder import run_folder_lock

FINAL_DIR = "final"
PRETRAINING_FILE = "pretraining.json"
LOG_FILE = "log.jsonl"

Objective = MaskedLM | Electra


def build_objective(config: PretrainConfig, tokenizer: PreTrainedTokenizerBase) -> Objective:
    ids = SpecialIds(len(tokenizer), tokenizer.pad_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id)
    return Electra(config, ids) if config.model.objective == "electra" else MaskedLM(config, ids)


def _optimizer(model: torch.nn.Module, config: PretrainConfig) -> torch.optim.AdamW:
    # No weight decay on biases and LayerNorm gains: decaying them only hurts (standard BERT/RoBERTa recipe).
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        (no_decay if param.ndim < 2 or "LayerNorm" in name else decay).append(param)
    groups = [
        {"params": decay, "weight_decay": config.training.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=config.training.learning_rate, betas=(0.9, 0.98), eps=1e-6)


def _lr_factor(
    config: PretrainConfig, minutes_done: Callable[[], float], rewarm_from: int | None = None
) -> Callable[[int], float]:
    """Linear warm-up, then linear or cosine decay to zero over the steps (or minutes) left.

    ``rewarm_from``: the step a run resumed at with a fresh optimizer. Adam's moment estimates restart from
    zero and are noisy for their first steps, so the rate climbs back over a tenth of the warm-up.
    """
    t = config.training
    rewarm = max(1, t.warmup_steps // 10)

    def scheduled(step: int) -> float:
        if step < t.warmup_steps:
            return step / t.warmup_steps
        if t.schedule_minutes is None:
            progress = (step - t.warmup_steps) / max(1, t.total_steps - t.warmup_steps)
        else:
            progress = minutes_done() / t.schedule_minutes
        progress = min(progress, 1.0)
        return 1.0 - progress if t.schedule == "linear" else 0.5 * (1.0 + math.cos(math.pi * progress))

    def factor(step: int) -> float:
        if rewarm_from is not None and rewarm_from <= step < rewarm_from + rewarm:
            return scheduled(step) * (step - rewarm_from + 1) / rewarm
        return scheduled(step)

    return factor


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
    tokens: int


class _Log:
    """Append-only JSON-lines metrics log; reopened per record so it can be tailed and survives a kill."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, record: dict[str, object]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def _rounded(metrics: dict[str, float], prefix: str = "") -> dict[str, float]:
    return {f"{prefix}{name}": round(value, 4) for name, value in metrics.items()}


class _Trainer:
    """Model, optimizer, data and bookkeeping of one invocation (fresh or resumed)."""

    def __init__(self, config: PretrainConfig, resume: bool) -> None:
        self.config = config
        t, d = config.training, config.data
        self.out = Path(config.output_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.device = torch.device(t.device)
        self.tokenizer = AutoTokenizer.from_pretrained(d.tokenizer)
        self.table = TokenTable.from_tokenizer(self.tokenizer).to(self.device)
        self.log = _Log(self.out / LOG_FILE)
        if resume and not has_checkpoint(self.out):
            raise FileNotFoundError(f"no checkpoint to resume in {self.out}")
        self.manifest = ensure_pack(d.corpora, self.tokenizer, d.heldout_every, d.pack_dir)
        torch.manual_seed(config.seed)
        self.model = build_objective(config, self.tokenizer).to(self.device)
        self.optimizer = _optimizer(self.model, config)
        self.started = time.monotonic()
        self.scheduler = self._scheduler()
        self.generator = torch.Generator(self.device).manual_seed(config.seed)
        self.state = TrainerState()
        # False for a checkpoint that kept its weights and data position but not its optimizer.
        self.optimizer_restored = True
        if resume:
            self._resume()
        self.model.train()
        if t.compile:
            self.model.compile_stacks()
        position = DataPosition(**self.state.position) if self.state.position else None
        self.sampler = SequenceSampler(
            load_tokens(d.pack_dir, TRAIN), d.seq_len, self.tokenizer.bos_token_id, config.seed, position
        )
        self.heldout = self._heldout_batches()
        self.started = time.monotonic()
        self.elapsed_before = self.state.elapsed_s

    def _scheduler(self, rewarm_from: int | None = None) -> torch.optim.lr_scheduler.LambdaLR:
        factor = _lr_factor(self.config, self._minutes, rewarm_from)
        return torch.optim.lr_scheduler.LambdaLR(self.optimizer, factor)

    def _minutes(self) -> float:
        return (time.monotonic() - self.started) / 60

    def _resume(self) -> None:
        trainer_state, self.state = load_checkpoint(self.out, self.model)
        if trainer_state is None:
            self._resume_without_optimizer()
            return
        self.optimizer.load_state_dict(trainer_state["optimizer"])
        self.scheduler.load_state_dict(trainer_state["scheduler"])
        rng = trainer_state["rng"]
        torch.set_rng_state(rng["torch"])
        if "cuda" in rng and self.device.type == "cuda":
            torch.cuda.set_rng_state(rng["cuda"], self.device)
        self.generator.set_state(rng["run"])

    def _resume_without_optimizer(self) -> None:
        """Go on from the checkpoint's step with a fresh optimizer: the rate schedule continues where it was,
        and the random streams (masks, dropout) are seeded from the step, so the continuation is reproducible
        from the checkpoint alone."""
        step = self.state.step
        self.optimizer_restored = False
        self.scheduler = self._scheduler(rewarm_from=step)
        self.scheduler.last_epoch = step
        for group, base in zip(self.optimizer.param_groups, self.scheduler.base_lrs, strict=True):
            group["lr"] = base * self.scheduler.lr_lambdas[0](step)
        torch.manual_seed(self.config.seed + step)
        self.generator.manual_seed(self.config.seed + step)

    def _rng_states(self) -> dict[str, torch.Tensor]:
        states = {"torch": torch.get_rng_state(), "run": self.generator.get_state()}
        if self.device.type == "cuda":
            states["cuda"] = torch.cuda.get_rng_state(self.device)
        return states

    def _mask(self, batch: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        d = self.config.data
        return mask_tokens(
            batch,
            self.table,
            d.mask_prob,
            generator,
            whole_word=d.whole_word,
            name_runs=d.name_runs,
            # ELECTRA's generator sees plain <mask>; the random replacements are the generator's job.
            corrupt=self.config.model.objective == "mlm",
        )

    def _heldout_batches(self) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
        """Fixed masked batches of held-out text: the same targets every evaluation keep losses comparable."""
        t, d = self.config.training, self.config.data
        seqs = heldout_sequences(
            load_tokens(d.pack_dir, HELDOUT), d.seq_len, self.tokenizer.bos_token_id, d.heldout_max_sequences
        ).to(self.device)
        generator = torch.Generator(self.device).manual_seed(self.config.seed + 1)
        batches = []
        for i in range(0, len(seqs), t.batch_size):
            original = seqs[i : i + t.batch_size]
            batches.append((original, *self._mask(original, generator)))
        return batches

    def _autocast(self) -> torch.autocast:
        return torch.autocast(
            self.device.type, dtype=torch.bfloat16, enabled=self.config.training.precision == "bfloat16"
        )

    def elapsed(self) -> float:
        """Training seconds over all invocations of this run."""
        return self.elapsed_before + time.monotonic() - self.started

    @torch.no_grad()
    def evaluate(self) -> float | None:
        """Held-out loss (and the objective's other metrics), weighted by the number of targets."""
        if not self.heldout:
            return None
        self.model.eval()
        # ELECTRA's fills are sampled: a fixed seed gives every evaluation the same draws.
        sampler = torch.Generator(self.device).manual_seed(self.config.seed + 2)
        totals: dict[str, float] = {}
        weight = 0
        for original, inputs, labels in self.heldout:
            n = int((labels != -100).sum())
            if not n:
                continue
            with self._autocast():
                out = self.model(original, inputs, labels, sampler)
            for name, value in {"loss": out.loss, **out.metrics}.items():
                totals[name] = totals.get(name, 0.0) + float(value) * n
            weight += n
        self.model.train()
        metrics = {name: total / max(weight, 1) for name, total in totals.items()}
        self.log.write(
            {
                "event": "eval",
                "step": self.state.step,
                "tokens": self.state.tokens,
                **_rounded(metrics, "heldout_"),
            }
        )
        return metrics.get("loss")

    def train_step(self) -> dict[str, torch.Tensor]:
        """One optimizer step over the accumulated micro-batches; returns its mean loss and metrics."""
        t = self.config.training
        sums: dict[str, torch.Tensor] = {}
        for _ in range(t.gradient_accumulation_steps):
            batch = self.sampler.next_batch(t.batch_size).to(self.device, non_blocking=True)
            inputs, labels = self._mask(batch, self.generator)
            with self._autocast():
                out = self.model(batch, inputs, labels, self.generator)
            (out.loss / t.gradient_accumulation_steps).backward()
            for name, value in {"loss": out.loss.detach(), **out.metrics}.items():
                sums[name] = sums.get(name, 0) + value / t.gradient_accumulation_steps
            self.state.tokens += batch.numel()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), t.max_grad_norm)
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.state.step += 1
        return sums

    def checkpoint(self) -> None:
        self.state.position = self.sampler.position.to_dict()
        self.state.elapsed_s = self.elapsed()
        save_checkpoint(
            self.out,
            self.model,
            self.optimizer,
            self.scheduler,
            self._rng_states(),
            self.state,
            self.config.model_dump(mode="json"),
        )


def _stop_reason(trainer: _Trainer, stop: _StopFlag, stop_at_step: int | None) -> str | None:
    t = trainer.config.training
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
    """Pretrain (or resume), then checkpoint and export the encoder to ``<output_dir>/final``.

    ``stop_at_step`` ends the run early without changing the learning-rate schedule (used by tests). Raises
    :class:`~diplo_ie.run_folder.FolderInUse` while another process pretrains into the same output_dir.
    """
    with run_folder_lock(Path(config.output_dir)):
        return _run(config, resume, stop_at_step, progress)


def _run(config: PretrainConfig, resume: bool, stop_at_step: int | None, progress: bool) -> RunResult:
    t = config.training
    torch.set_num_threads(t.num_threads)
    trainer = _Trainer(config, resume)
    heldout_start = None if resume else trainer.evaluate()
    heldout_last = heldout_start
    # The full config of each invocation is logged: a resume may change e.g. total_steps or max_minutes.
    trainer.log.write(
        {
            "event": "start",
            "step": trainer.state.step,
            "tokens": trainer.state.tokens,
            "resume": resume,
            "optimizer_restored": trainer.optimizer_restored,
            "parameters": sum(p.numel() for p in trainer.model.parameters()),
            "encoder_parameters": sum(p.numel() for p in trainer.model.encoder.parameters()),
            "train_tokens_in_pack": trainer.manifest["train_tokens"],
            "config": config.model_dump(mode="json"),
        }
    )

    stop = _StopFlag()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    last_ckpt = last_log = time.monotonic()
    tokens_at_log = trainer.state.tokens
    losses: list[float] = []
    window: dict[str, torch.Tensor] = {}
    window_steps = 0
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
            metrics = trainer.train_step()
            for name, value in metrics.items():
                window[name] = window.get(name, 0) + value
            window_steps += 1
            bar.update(1)
            step = trainer.state.step
            if step % t.log_every == 0:
                now = time.monotonic()
                means = {name: float(total) / window_steps for name, total in window.items()}
                losses.append(means["loss"])
                rate = (trainer.state.tokens - tokens_at_log) / max(now - last_log, 1e-9)
                bar.set_postfix(loss=f"{means['loss']:.3f}", refresh=False)
                trainer.log.write(
                    {
                        "event": "train",
                        "step": step,
                        **_rounded(means),
                        "lr": trainer.scheduler.get_last_lr()[0],
                        "tokens": trainer.state.tokens,
                        "tokens_per_s": round(rate, 1),
                        "elapsed_s": round(trainer.elapsed(), 1),
                    }
                )
                window, window_steps, last_log, tokens_at_log = {}, 0, now, trainer.state.tokens
            if step % t.eval_every == 0:
                heldout_last = trainer.evaluate()
            if time.monotonic() - last_ckpt >= t.checkpoint_minutes * 60:
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
    export_encoder(trainer.model.encoder, trainer.tokenizer, trainer.out / FINAL_DIR, state=trainer.state)
    trainer.log.write(
        {
            "event": "end",
            "step": trainer.state.step,
            "stopped_by": stopped_by,
            "tokens": trainer.state.tokens,
            "elapsed_s": round(trainer.elapsed(), 1),
            "heldout_loss": None if heldout_last is None else round(heldout_last, 4),
        }
    )
    return RunResult(
        trainer.state.step, losses, heldout_start, heldout_last, stopped_by, trainer.state.tokens
    )


def export_encoder(
    encoder: RobertaModel,
    tokenizer: PreTrainedTokenizerBase,
    out_dir: Path,
    max_shard_bytes: int | None = None,
    bf16_weights: bool = False,
    state: TrainerState | None = None,
) -> None:
    """Save the encoder alone (no pretraining heads) + tokenizer: what fine-tuning starts from
    (``model.encoder: <out_dir>``). ``state`` (steps, tokens seen, time) goes beside it in
    ``pretraining.json``, so a fine-tuned model can say how much pretraining it started from.

    ``bf16_weights`` stores the weights in bfloat16 (half the bytes, so few small shards) while the config
    still says float32: ``from_pretrained`` then loads them as float32, ready for fine-tuning.
    """
    config = copy.deepcopy(encoder.config)
    fresh = RobertaModel(config, add_pooling_layer=False)
    fresh.load_state_dict({name: value.detach().cpu() for name, value in encoder.state_dict().items()})
    if bf16_weights:
        fresh.to(torch.bfloat16)
    shard = "50GB" if max_shard_bytes is None else max_shard_bytes
    fresh.save_pretrained(str(out_dir), safe_serialization=True, max_shard_size=shard)
    if bf16_weights:
        config_path = out_dir / "config.json"
        saved = json.loads(config_path.read_text(encoding="utf-8"))
        saved["dtype"] = "float32"
        config_path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    tokenizer.save_pretrained(str(out_dir))
    if state is not None:
        summary = {"step": state.step, "tokens": state.tokens, "elapsed_s": round(state.elapsed_s, 1)}
        (out_dir / PRETRAINING_FILE).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


def export_checkpoint(output_dir: Path, out_dir: Path) -> TrainerState:
    """Export the encoder of ``output_dir``'s latest checkpoint as a finished run exports its final one: to
    fine-tune from a pretraining that is still running, or was stopped before its end."""
    if not has_checkpoint(output_dir):
        raise FileNotFoundError(f"no pretraining checkpoint in {output_dir}")
    state = read_state(output_dir)
    config = PretrainConfig.model_validate(read_config(output_dir))
    tokenizer = AutoTokenizer.from_pretrained(config.data.tokenizer)
    model = build_objective(config, tokenizer)
    load_weights(output_dir, model)
    export_encoder(model.encoder, tokenizer, out_dir, state=state)
    return state
