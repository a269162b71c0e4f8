"""Fine-tuning loop: data selection, model construction, early stopping, checkpoints and resume."""

from __future__ import annotations

import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from tqdm.auto import tqdm

from diplo_ie.annotations import load_documents
from diplo_ie.annotations.corpus import CorpusUnavailableError
from diplo_ie.config import ConfigError
from diplo_ie.core.schema import Document
from diplo_ie.core.spec import CALL_SPEC, SpecError, load_spec
from diplo_ie.evaluation.evaluate import evaluate
from diplo_ie.lexicon.leaders import Gazetteer
from diplo_ie.modeling.features import collate, window_rows
from diplo_ie.modeling.model import DiploModel
from diplo_ie.modeling.precision import autocast
from diplo_ie.modeling.tokenizer import load_tokenizer, train_bpe_tokenizer
from diplo_ie.pretraining.embeddings import EmbeddingError, initialise_word_embeddings, load_embeddings
from diplo_ie.run_folder import run_folder_lock
from diplo_ie.training.augment import MentionPools, replace_mentions
from diplo_ie.training.config import TrainConfig, TrainingSettings
from diplo_ie.training.silver import silver_documents
from diplo_ie.training.state import has_training_state, load_training_state, save_training_state

BEST_DIR = "best"
CHECKPOINT_DIR = "checkpoint"
METRICS_FILE = "metrics.jsonl"


@dataclass
class DataSplit:
    train: list[Document]
    dev: list[Document]
    # (corpus, article id) of every annotated corpus article loaded, whatever its split.
    annotated: frozenset[tuple[str, str]] = frozenset()


def select_documents(cfg: TrainConfig) -> DataSplit:
    missing = [p for p in cfg.data.annotations if not Path(p).exists()]
    if missing:
        raise ConfigError(f"data.annotations: no such file or directory: {', '.join(missing)}")
    docs, warnings = load_documents(cfg.data.annotations, skip_unavailable=True)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    dev = [d for d in docs if cfg.data.dev_split is not None and d.split == cfg.data.dev_split]
    train = [d for d in docs if d.source in cfg.data.train_sources and d.split in cfg.data.train_splits]
    if not train:
        raise ConfigError("data: no training documents match train_sources/train_splits")
    annotated = frozenset(
        (d.meta["standoff"]["corpus"], d.meta["standoff"]["article_id"]) for d in docs if "standoff" in d.meta
    )
    return DataSplit(train, dev, annotated)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def build_model(cfg: TrainConfig, train_docs: list[Document]) -> DiploModel:
    from transformers import AutoConfig

    m = cfg.model
    heads, encoding = m.heads, m.encoding
    try:
        spec = load_spec(m.event_spec) if m.event_spec else CALL_SPEC
    except SpecError as exc:
        raise ConfigError(f"model.event_spec: {exc}") from None
    tokenizer = None
    if m.tokenizer == "train-from-data":
        tokenizer = train_bpe_tokenizer((d.text for d in train_docs), vocab_size=m.tokenizer_vocab_size)
    elif m.tokenizer is not None:
        tokenizer = load_tokenizer(m.tokenizer)
    if m.encoder != "random":
        if m.embeddings is not None:
            raise ConfigError("model.embeddings: only a random encoder starts from separate embeddings")
        return DiploModel.from_encoder(m.encoder, tokenizer, heads, encoding, spec, m.features)
    if tokenizer is None:
        raise ConfigError("model.tokenizer: a random encoder needs a tokenizer (a path or train-from-data)")
    settings = {
        "model_type": "roberta",
        "max_position_embeddings": encoding.max_length + 2,
        **m.encoder_config,
    }
    settings.update(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id)
    encoder_config = AutoConfig.for_model(**settings)
    model = DiploModel.from_encoder_config(encoder_config, tokenizer, heads, encoding, spec, m.features)
    if m.embeddings is not None:
        try:
            initialise_word_embeddings(model.encoder, load_embeddings(m.embeddings))
        except EmbeddingError as exc:
            raise ConfigError(f"model.embeddings: {exc}") from exc
    return model


def build_dataset(model: DiploModel, docs: list[Document], relations: bool = True) -> Dataset:
    """Training windows of ``docs``; ``relations``: whether their relations are annotated (see
    :func:`~diplo_ie.modeling.features.window_rows`)."""
    rows = []
    for doc in docs:
        enc = model.document_encoder.encode(doc, labels=model.spec)
        max_distance = model.head_config.max_pair_distance
        rows += window_rows(enc, model.document_encoder, max_distance, model.spec, relations)
    return Dataset.from_list(rows)


def balanced_status_weights(dataset: Dataset, n_statuses: int) -> torch.Tensor:
    """Inverse-frequency weights of the statuses among the training mentions, 1.0 on average over mentions;
    a status with no mention gets the weight of a status seen once."""
    counts = torch.zeros(n_statuses)
    for labels in dataset["status_labels"]:
        counts += torch.bincount(torch.tensor(labels, dtype=torch.long), minlength=n_statuses)
    return counts.sum().clamp(min=1) / (n_statuses * counts.clamp(min=1))


def _augmented(docs: list[Document], pools: MentionPools, share: float, seed: int) -> list[Document]:
    # Seeded per epoch, so a resumed run sees the same articles as an uninterrupted one.
    rng = random.Random(seed)
    return [replace_mentions(doc, pools, rng) if rng.random() < share else doc for doc in docs]


_LAYER_INDEX = re.compile(r"(?:^|\.)layers?\.(\d+)\.")


def encoder_depths(encoder: torch.nn.Module) -> dict[str, int]:
    """Each trainable encoder weight's depth: 0 for the embeddings, i + 1 for transformer layer i, and the top
    (number of layers) for what sits above the last layer (a pooler); names follow Hugging Face encoders
    ("encoder.layer.3.attention...")."""
    named = [(n, p) for n, p in encoder.named_parameters() if p.requires_grad]
    layers = {n: int(m[1]) + 1 for n, _ in named if (m := _LAYER_INDEX.search(n))}
    top = max(layers.values(), default=0)
    return {n: layers.get(n, 0 if "embed" in n else top) for n, _ in named}


def _optimizer(model: DiploModel, cfg: TrainConfig) -> torch.optim.Optimizer:
    t = cfg.training
    depths = encoder_depths(model.encoder)
    top = max(depths.values(), default=0)
    # One group per learning rate, so without decay the encoder is one group, as in runs made before it.
    by_lr: dict[float, list[torch.nn.Parameter]] = {}
    for name, param in model.encoder.named_parameters():
        if name in depths:
            by_lr.setdefault(t.learning_rate * t.layer_lr_decay ** (top - depths[name]), []).append(param)
    if model.feature_embeddings is not None:
        # Lexical features are input embeddings beside the word embeddings: at the heads' faster rate they
        # outgrew the words and the tagger learned slower.
        embedding_lr = t.learning_rate * t.layer_lr_decay**top
        by_lr.setdefault(embedding_lr, []).extend(model.feature_embeddings.parameters())
    encoder_ids = {id(p) for params in by_lr.values() for p in params}
    head_params = [p for p in model.parameters() if p.requires_grad and id(p) not in encoder_ids]
    groups = [{"params": params, "lr": lr} for lr, params in sorted(by_lr.items())]
    groups.append({"params": head_params, "lr": t.head_learning_rate or t.learning_rate})
    return torch.optim.AdamW(groups, weight_decay=t.weight_decay)


def _dev_metrics(model: DiploModel, cfg: TrainConfig, dev: list[Document]) -> dict[str, Any]:
    if not dev:
        return {}
    m = evaluate(model, dev, cfg.training.eval_batch_size)["all"]
    out = {"dev_span_f1": m["spans"]["micro"]["f1"], "dev_relation_f1": m["relations"]["micro"]["f1"]}
    if "events" in m:  # a spec without assembly stages has no events to score
        out["dev_event_f1"] = m["events"]["event"]["f1"]
    if cfg.training.dev_metric == "event" and "dev_event_f1" in out:
        out["dev_score"] = out["dev_event_f1"]
    else:
        out["dev_score"] = round((out["dev_span_f1"] + out["dev_relation_f1"]) / 2, 4)
    return out


def train(cfg: TrainConfig, *, resume: bool = False) -> dict[str, Any]:
    """Train per ``cfg``; returns the last epoch's metrics. The best model is in OUTPUT_DIR/best. Raises
    :class:`~diplo_ie.run_folder.FolderInUse` while another process trains into the same OUTPUT_DIR."""
    with run_folder_lock(Path(cfg.output_dir)):
        return _train(cfg, resume)


def _train(cfg: TrainConfig, resume: bool) -> dict[str, Any]:
    out_dir = Path(cfg.output_dir)
    checkpoint = out_dir / CHECKPOINT_DIR
    if resume and not has_training_state(checkpoint):
        raise ConfigError(f"--resume: no checkpoint in {checkpoint}")
    seed_everything(cfg.seed)
    data = select_documents(cfg)
    model = DiploModel.from_pretrained(checkpoint) if resume else build_model(cfg, data.train)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not resume and cfg.silver.epochs:
        _silver_stage(model, cfg, data.annotated, out_dir)
    dataset = build_dataset(model, data.train)
    t = cfg.training
    status_weights = balanced_status_weights(dataset, len(model.spec.statuses)) if t.status_balance else None
    pools = MentionPools.from_documents(data.train, Gazetteer.load()) if t.augment_prob > 0 else None

    def epoch_dataset(epoch: int) -> Dataset:
        if pools is None:
            return dataset
        return build_dataset(model, _augmented(data.train, pools, t.augment_prob, cfg.seed + epoch))

    # Replaced names change how many windows an article fills, so the schedule is sized on an epoch as it is
    # trained: sized on the plain articles, the rate reached zero an epoch early.
    first = epoch_dataset(1)
    optimizer = _optimizer(model, cfg)
    scheduler = _schedule(optimizer, t, len(first), t.epochs)
    progress = {"epoch": 0, "step": 0, "best": None, "bad_epochs": 0}
    if resume:
        progress = load_training_state(checkpoint, optimizer, scheduler)
    metrics: dict[str, Any] = {}
    for epoch in range(progress["epoch"] + 1, t.epochs + 1):
        if progress["bad_epochs"] >= t.early_stopping_patience:
            break
        dataset = first if epoch == 1 else epoch_dataset(epoch)
        metrics = _train_epoch(model, dataset, optimizer, scheduler, cfg, epoch, progress, status_weights)
        metrics.update(_dev_metrics(model, cfg, data.dev))
        score = metrics.get("dev_score")
        if score is None or progress["best"] is None or score > progress["best"]:
            progress["best"], progress["bad_epochs"] = score, 0
            model.save_pretrained(out_dir / BEST_DIR)
        else:
            progress["bad_epochs"] += 1
        progress["epoch"] = epoch
        metrics["best_dev_score"] = progress["best"]
        _log(out_dir, metrics)
        model.save_pretrained(checkpoint)
        save_training_state(checkpoint, optimizer, scheduler, progress)
    return metrics


def _silver_stage(
    model: DiploModel, cfg: TrainConfig, annotated: frozenset[tuple[str, str]], out_dir: Path
) -> None:
    """The silver epochs, with an optimizer and schedule of their own, logged as ``"stage": "silver"``: silver
    documents have spans only, so the tagging loss alone trains. A run resumed from a checkpoint has them
    behind it."""
    s = cfg.silver
    try:
        docs = silver_documents(s.corpora, s.documents, annotated, cfg.seed)
    except CorpusUnavailableError as exc:
        raise ConfigError(f"silver.corpora: {exc}") from None
    if not docs:
        raise ConfigError("silver.corpora: no unannotated article there names a call")
    dataset = build_dataset(model, docs, relations=False)
    optimizer = _optimizer(model, cfg)
    scheduler = _schedule(optimizer, cfg.training, len(dataset), s.epochs)
    progress = {"step": 0}
    for epoch in range(1, s.epochs + 1):
        metrics = _train_epoch(model, dataset, optimizer, scheduler, cfg, epoch, progress)
        _log(out_dir, {"stage": "silver", "documents": len(docs), **metrics})


def _schedule(optimizer: torch.optim.Optimizer, t: TrainingSettings, rows: int, epochs: int) -> Any:
    """Linear warm-up and decay over ``epochs`` passes over ``rows`` training windows."""
    from transformers import get_linear_schedule_with_warmup

    steps = max(1, -(-rows // (t.batch_size * t.gradient_accumulation_steps)) * epochs)
    return get_linear_schedule_with_warmup(optimizer, int(t.warmup_ratio * steps), steps)


def _log(out_dir: Path, record: dict[str, Any]) -> None:
    """One line of metrics, printed and appended to the run's metrics file."""
    line = json.dumps(record)
    print(line, flush=True)
    with (out_dir / METRICS_FILE).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _train_epoch(
    model: DiploModel,
    dataset: Dataset,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    cfg: TrainConfig,
    epoch: int,
    progress: dict[str, Any],
    status_weights: torch.Tensor | None = None,
) -> dict[str, Any]:
    t = cfg.training
    # Seeded per epoch, so a resumed run continues exactly as an uninterrupted one would.
    torch.manual_seed(cfg.seed + epoch)
    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(cfg.seed + epoch)).tolist()
    batches = [order[i : i + t.batch_size] for i in range(0, len(order), t.batch_size)]
    model.train()
    start, total, pad_id = time.time(), 0.0, model.document_encoder.pad_id
    bar = tqdm(batches, desc=f"epoch {epoch}", leave=False, disable=None)
    for n, indices in enumerate(bar, start=1):
        batch = collate([dataset[i] for i in indices], pad_id)
        with autocast(t.precision):
            loss = model.loss(batch, status_weights)["loss"]
        (loss / t.gradient_accumulation_steps).backward()
        total += float(loss.detach())
        if n % t.gradient_accumulation_steps == 0 or n == len(batches):
            torch.nn.utils.clip_grad_norm_(model.parameters(), t.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            progress["step"] += 1
        bar.set_postfix(loss=f"{total / n:.4f}")
    return {
        "epoch": epoch,
        "step": progress["step"],
        "train_loss": round(total / max(1, len(batches)), 5),
        "lr": scheduler.get_last_lr()[0],
        "seconds": round(time.time() - start, 2),
    }
