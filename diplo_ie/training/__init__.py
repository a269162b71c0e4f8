"""Fine-tuning from a YAML config: ``diplo-ie train CONFIG.yaml``."""

from diplo_ie.config import ConfigError
from diplo_ie.training.config import TrainConfig, build_config, load_config
from diplo_ie.training.trainer import train

__all__ = ["ConfigError", "TrainConfig", "build_config", "load_config", "train"]
